"""Stored evaluation runs: compute (or reuse) a run from the zones' annual values, and the analyses
the pages show on a stored run (diagnosis, what-if, target path), always on the run's own input table
and methodology text, so that a page shows what was computed even after the data or the file changed.
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import polars as pl
from django.db import IntegrityError, transaction
from django.utils import timezone

from jingkai.audit.services import record
from jingkai.engines.evaluation import (
    EvaluationError,
    Methodology,
    available,
    diagnose,
    evaluate,
    load,
    monte_carlo,
    parse,
    target_path,
    what_if,
)
from jingkai.evaluation.loaders import load_zone_table
from jingkai.evaluation.models import EvaluationRun
from jingkai.zones.models import IndicatorValue, Zone

GANSU = "甘肃省"
GROUP_KEY = "region"
TEXT_COLUMNS = {"zone_code", "name", "region", "level", "province"}


# ---------------------------------------------------------------- methodology and inputs


def zone_methodologies() -> list[Methodology]:
    """The shipped methodologies that score zones (unit key zone_code)."""
    return [m for m in map(load, available()) if m.unit_key == "zone_code"]


def methodology_doc(meth: Methodology) -> dict:
    """The methodology's full text (after `extends`) as JSON."""
    return json.loads(json.dumps(meth.raw, default=str, ensure_ascii=False))


def digest(obj) -> str:
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def zones_for(meth: Methodology):
    """The zones evaluated together: the national zones; with a reference set (scoring other zones on
    the national scale) every zone, the reference column deciding the scale and the ranks."""
    if meth.reference:
        return Zone.objects.all()
    return Zone.objects.filter(level=Zone.Level.NATIONAL)


def data_years(meth: Methodology) -> list[int]:
    """The years with annual values of the methodology's indicators, oldest first."""
    columns = {i.column for i in meth.indicators} | {b.column for b in meth.bonus}
    periods = (IndicatorValue.objects.filter(zone__in=zones_for(meth), indicator__key__in=columns)
               .exclude(period__contains="-").values_list("period", flat=True).distinct())  # YYYY-MM, YYYY-Qn
    return sorted({int(p) for p in periods if len(p) == 4 and p.isdigit()})


def canonical(table: pl.DataFrame, unit_key: str) -> dict[str, list]:
    """The input table as {column: values}, rows sorted by unit and columns by name; NaN → None."""
    table = table.sort(unit_key)

    def clean(v):
        return None if isinstance(v, float) and not math.isfinite(v) else v

    return {c: [clean(v) for v in table[c].to_list()] for c in sorted(table.columns)}


def table_of(inputs: dict[str, list], meth: Methodology) -> pl.DataFrame:
    text = TEXT_COLUMNS | {meth.unit_key, *meth.group_keys} | ({meth.name_key} if meth.name_key else set())
    if meth.reference:
        text.add(meth.reference["column"])
    return pl.DataFrame({c: pl.Series(c, v, dtype=pl.String if c in text else pl.Float64, strict=False)
                         for c, v in inputs.items()})


def methodology_of(run: EvaluationRun) -> Methodology:
    return parse(run.methodology_doc)


def table_of_run(run: EvaluationRun) -> pl.DataFrame:
    return table_of(run.inputs, methodology_of(run))


# ---------------------------------------------------------------- payloads (the JSON shape of `jingkai evaluate`)


def payload(meth: Methodology, result, year: int) -> dict:
    """The JSON of `jingkai evaluate`, plus `reference`: the units that set the scale and the ranks."""
    return {
        "methodology": meth.id, "version": meth.version, "name": meth.name, "year": year,
        "unverified": meth.unverified_items(), "screened_out": result.screened_out,
        "warnings": result.inputs.warnings, "units": result.records(),
        "reference": sorted(str(u) for u in result.inputs.units[result.inputs.ref]),
    }


def sensitivity_payload(meth: Methodology, table: pl.DataFrame, n: int, seed: int) -> dict:
    mc = monte_carlo(meth, table, n=n, seed=seed)
    return {"N": n, "runs": mc.runs, "seed": seed, "assumptions": mc.assumption_labels,
            "overall": mc.overall_indices(), "units": mc.per_unit()}


# ---------------------------------------------------------------- runs


def run_evaluation(methodology_id: str, year: int | None = None, user=None, sensitivity: int = 0,
                   seed: int = 0) -> EvaluationRun:
    """Evaluate the zones' annual values of `year` (the latest year with values when None) and store the
    run; an identical run (same methodology text, year, input table, N and seed) is reused, not stored
    again. `run.reused` tells which. Every call is audited."""
    meth = load(methodology_id)
    if year is None:
        years = data_years(meth)
        if not years:
            raise EvaluationError("数据库中没有该评价方法所需指标的年度数值")
        year = years[-1]
    inputs = canonical(load_zone_table(meth, year, zones_for(meth)), meth.unit_key)
    doc = methodology_doc(meth)
    key = {"methodology": meth.id, "methodology_hash": digest(doc), "year": year, "input_hash": digest(inputs),
           "sensitivity_runs": max(int(sensitivity or 0), 0), "seed": seed}
    now = timezone.now()
    run = EvaluationRun.objects.filter(**key).first()
    reused = run is not None
    if run is None:
        table = table_of(inputs, meth)
        result = evaluate(meth, table)
        sens = sensitivity_payload(meth, table, key["sensitivity_runs"], seed) if key["sensitivity_runs"] else None
        try:
            with transaction.atomic():
                run = EvaluationRun.objects.create(
                    **key, methodology_name=meth.name, methodology_version=meth.version, methodology_doc=doc,
                    inputs=inputs, result=payload(meth, result, year), sensitivity=sens, created_by=_user(user),
                    requested_at=now)
        except IntegrityError:  # computed at the same time by someone else
            run, reused = EvaluationRun.objects.get(**key), True
    if reused:
        EvaluationRun.objects.filter(pk=run.pk).update(requested_at=now)
        run.requested_at = now
    run.reused = reused
    record(user, "evaluate", "evaluation.EvaluationRun", run.pk,
           after={k: v for k, v in key.items() if k != "methodology_hash"} | {"reused": reused},
           note=f"{meth.name} {year}年{'（复用已有结果）' if reused else ''}")
    return run


def _user(user):
    return user if getattr(user, "pk", None) else None


def reproduce(run: EvaluationRun) -> dict:
    """The run's result computed again from its stored methodology text and input table."""
    meth = methodology_of(run)
    if digest(run.inputs) != run.input_hash or digest(run.methodology_doc) != run.methodology_hash:
        raise EvaluationError("评价结果的输入或评价方法与摘要不符")
    return payload(meth, evaluate(meth, table_of(run.inputs, meth)), run.year)


def current_run(methodology_id: str, year: int | None = None) -> EvaluationRun | None:
    """The run shown for a methodology and year (the latest year with a run when None): the one
    requested last."""
    runs = EvaluationRun.objects.filter(methodology=methodology_id)
    if year is not None:
        runs = runs.filter(year=year)
    else:
        runs = runs.order_by("-year", "-requested_at", "-id")
    return runs.first()


def run_years(methodology_id: str) -> list[int]:
    return sorted(set(EvaluationRun.objects.filter(methodology=methodology_id).values_list("year", flat=True)))


def sensitivity_of(run: EvaluationRun) -> dict | None:
    """The Monte Carlo results for the run's exact inputs: its own, or those of the latest run of the
    same methodology text and input table."""
    if run.sensitivity:
        return run.sensitivity
    sibling = (EvaluationRun.objects.filter(methodology=run.methodology, methodology_hash=run.methodology_hash,
                                            year=run.year, input_hash=run.input_hash, sensitivity__isnull=False)
               .exclude(sensitivity_runs=0).order_by("-requested_at", "-id").first())
    return sibling.sensitivity if sibling else None


# ---------------------------------------------------------------- ranking


def reference_units(run: EvaluationRun) -> set[str]:
    """The units that set the scale and the ranks (all units without a reference set)."""
    return set(run.result["reference"])


def ranking(run: EvaluationRun, region: str | None = None) -> list[dict]:
    """Rows of the ranking, best first (by region rank within a region), each with the zone's province,
    whether it is a Gansu zone, whether it sits in its region's bottom five, and its Monte Carlo figures."""
    sens = (sensitivity_of(run) or {}).get("units", {})
    province = dict(zip(run.inputs["zone_code"], run.inputs.get("province", [None] * len(run.inputs["zone_code"])),
                        strict=True))
    ref = reference_units(run)
    sizes: dict[str, int] = {}
    for u in run.result["units"]:
        if u["unit"] in ref:
            g = u.get("groups", {}).get(GROUP_KEY)
            sizes[g] = sizes.get(g, 0) + 1
    rows = []
    for u in run.result["units"]:
        g = u.get("groups", {}).get(GROUP_KEY)
        if region and g != region:
            continue
        group_rank = u["group_ranks"].get(GROUP_KEY)
        rows.append({
            "unit": u["unit"], "name": u.get("name", u["unit"]), "province": province.get(u["unit"]), "region": g,
            "score": u["score"], "rank": u["rank"], "region_rank": group_rank, "scores": u["scores"],
            "bonus": u["bonus"], "gansu": province.get(u["unit"]) == GANSU, "reference": u["unit"] in ref,
            "bottom5": group_rank is not None and group_rank > sizes.get(g, 0) - 5,
            **sens.get(u["unit"], {}),
        })
    if region:
        rows.sort(key=lambda r: (r["region_rank"] is None, r["region_rank"] or 0, r["unit"]))
    return rows


def unit_record(run: EvaluationRun, unit: str) -> dict:
    for u in run.result["units"]:
        if u["unit"] == unit:
            return u
    raise EvaluationError(f"评价结果中没有单位 {unit}")


# ---------------------------------------------------------------- scorecard


def groups(meth: Methodology) -> list:
    """The aggregates directly under the root (对外开放, 发展质量, …)."""
    by_code = {a.code: a for a in meth.aggregates}
    return [by_code[c] for c in meth.root.children if c in by_code]


def radar(run: EvaluationRun, unit: str) -> dict:
    """Group scores of the zone against the median of its region and of all reference zones."""
    meth = methodology_of(run)
    rec = unit_record(run, unit)
    ref = reference_units(run)
    region = rec.get("groups", {}).get(GROUP_KEY)
    codes = [g.code for g in groups(meth)]

    def median(rows, code):
        vals = [r["scores"][code] for r in rows if r["scores"].get(code) is not None]
        return float(np.median(vals)) if vals else None

    peers = [u for u in run.result["units"] if u["unit"] in ref]
    same = [u for u in peers if u.get("groups", {}).get(GROUP_KEY) == region]
    top = [max((u["scores"].get(c) or 0) for u in run.result["units"]) for c in codes]
    return {
        "indicators": [{"name": g.name, "max": round(max(t, 1e-9) * 1.05, 2)} for g, t in zip(groups(meth), top,
                                                                                          strict=True)],
        "series": [
            {"name": rec.get("name", unit), "value": [_round(rec["scores"].get(c)) for c in codes]},
            {"name": f"{REGION_LABELS.get(region, region)}中位数", "value": [_round(median(same, c)) for c in codes]},
            {"name": "全国中位数", "value": [_round(median(peers, c)) for c in codes]},
        ],
    }


REGION_LABELS = dict(Zone.Region.choices)


def _round(x, digits=2):
    return None if x is None else round(x, digits)


def diagnosis(run: EvaluationRun, unit: str) -> dict:
    meth = methodology_of(run)
    return diagnose(evaluate(meth, table_of(run.inputs, meth)), unit)


def trend(run: EvaluationRun, unit: str) -> list[dict]:
    """The zone's score and ranks in each year with a run of the same methodology (the current run of each)."""
    latest: dict[int, int] = {}
    for pk, year in (EvaluationRun.objects.filter(methodology=run.methodology)
                     .order_by("year", "-requested_at", "-id").values_list("pk", "year")):
        latest.setdefault(year, pk)
    others = (EvaluationRun.objects.filter(pk__in=[pk for year, pk in latest.items() if year != run.year])
              .defer("inputs", "sensitivity", "methodology_doc"))
    current = {r.year: r for r in others} | {run.year: run}
    out = []
    for year, r in sorted(current.items()):
        try:
            rec = unit_record(r, unit)
        except EvaluationError:
            continue
        out.append({"year": year, "score": rec["score"], "rank": rec["rank"],
                    "region_rank": rec["group_ranks"].get(GROUP_KEY), "n": len(reference_units(r))})
    return out


def apply_what_if(run: EvaluationRun, unit: str, changes: dict[str, float | None]) -> dict:
    """New score and ranks of the zone after changing some of its inputs (raw values in the
    methodology's units); the other zones keep theirs."""
    meth = methodology_of(run)
    table = table_of(run.inputs, meth)
    before = unit_record(run, unit)
    res = what_if(meth, table, {unit: changes})
    u = res.index(unit)
    return {
        "score": float(res.score[u]), "rank": int(res.rank[u]),
        "region_rank": int(res.group_ranks[GROUP_KEY][u]) if GROUP_KEY in res.group_ranks else None,
        "before": before, "changes": changes,
        "scores": {code: _round(float(v[u])) for code, v in res.scores().items()},
    }


def target(run: EvaluationRun, unit: str, goal: dict):
    """The least-effort improvements of the zone's inputs that reach `goal` (see engine target_path)."""
    meth = methodology_of(run)
    return target_path(meth, table_of(run.inputs, meth), unit, goal)
