"""Stored evaluation runs: compute (or reuse) a run from the zones' annual values, and the engine's
analyses on a stored run (diagnosis, what-if, target path), always on the run's own input table and
methodology text, so that a page shows what was computed even after the data or the file changed.

This module is where the Django side calls the evaluation engine; the pages' and exports' reads are in
`evaluation.selectors`. Computing a run needs the capability `evaluation.compute`.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import IntegrityError, transaction
from django.utils import timezone

import jingkai.evaluation.capabilities as caps
from jingkai.accounts import authz
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
from jingkai.evaluation.results import GROUP_KEY, ChangedValue, UnitResult, WhatIf
from jingkai.zones.models import IndicatorValue, Zone

GANSU = "甘肃省"
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


@dataclass(frozen=True)
class RunOutcome:
    """A run asked for: the stored run and whether an identical earlier one was reused."""

    run: EvaluationRun
    reused: bool


def run_evaluation(methodology_id: str, year: int | None = None, *, user: Any = None, sensitivity: int = 0,
                   seed: int = 0) -> RunOutcome:
    """Evaluate the zones' annual values of `year` (the latest year with values when None) and store the
    run; an identical run (same methodology text, year, input table, N and seed) is reused, not stored
    again. Every call is audited.

    `user` must hold `evaluation.compute`; None is the system itself (the demo build, tests, the shell)."""
    if user is not None:
        authz.require(user, caps.COMPUTE, "只有省商务厅可以计算综合评价")
    meth = load(methodology_id)
    if year is None:
        years = data_years(meth)
        if not years:
            raise EvaluationError("数据库中没有该评价方法所需指标的年度数值")
        year = years[-1]
    inputs = canonical(load_zone_table(meth, year, zones_for(meth)), meth.unit_key)
    doc = methodology_doc(meth)
    runs = max(int(sensitivity or 0), 0)
    key = {"methodology": meth.id, "methodology_hash": digest(doc), "year": year, "input_hash": digest(inputs),
           "sensitivity_runs": runs, "seed": seed}
    now = timezone.now()
    run = EvaluationRun.objects.filter(**key).first()
    reused = run is not None
    if run is None:
        table = table_of(inputs, meth)
        result = evaluate(meth, table)
        sens = sensitivity_payload(meth, table, runs, seed) if runs else None
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
    record(user, "evaluate", "evaluation.EvaluationRun", run.pk,
           after={k: v for k, v in key.items() if k != "methodology_hash"} | {"reused": reused},
           note=f"{meth.name} {year}年{'（复用已有结果）' if reused else ''}")
    return RunOutcome(run, reused)


def _user(user):
    return user if getattr(user, "pk", None) else None


def reproduce(run: EvaluationRun) -> dict:
    """The run's result computed again from its stored methodology text and input table."""
    meth = methodology_of(run)
    if digest(run.inputs) != run.input_hash or digest(run.methodology_doc) != run.methodology_hash:
        raise EvaluationError("评价结果的输入或评价方法与摘要不符")
    return payload(meth, evaluate(meth, table_of(run.inputs, meth)), run.year)


# ---------------------------------------------------------------- analyses on a stored run (nothing is stored)


def unit_of(run: EvaluationRun, unit: str) -> UnitResult:
    """The unit's result in the run; EvaluationError when the run does not contain it."""
    rec = run.unit(unit)
    if rec is None:
        raise EvaluationError(f"评价结果中没有单位 {unit}")
    return rec


def diagnosis(run: EvaluationRun, unit: str) -> dict:
    meth = methodology_of(run)
    return diagnose(evaluate(meth, table_of(run.inputs, meth)), unit)


def apply_what_if(run: EvaluationRun, unit: str, changes: dict[str, float | None]) -> WhatIf:
    """New score and ranks of the zone after changing some of its inputs (raw values in the
    methodology's units); the other zones keep theirs."""
    meth = methodology_of(run)
    table = table_of(run.inputs, meth)
    before = unit_of(run, unit)
    res = what_if(meth, table, {unit: changes})
    u = res.index(unit)
    nodes = {i.code: (i.name, i.unit) for i in meth.indicators} | {b.column: (b.name, "") for b in meth.bonus}
    return WhatIf(
        before=before, score=float(res.score[u]), rank=int(res.rank[u]),
        region_rank=int(res.group_ranks[GROUP_KEY][u]) if GROUP_KEY in res.group_ranks else None,
        scores={code: _round(float(v[u])) for code, v in res.scores().items()},
        rows=tuple(ChangedValue(c, *nodes.get(c, (c, "")), run.input_value(unit, c), v) for c, v in changes.items()),
    )


def _round(x, digits=2):
    return None if x is None else round(x, digits)


def target(run: EvaluationRun, unit: str, goal: dict):
    """The least-effort improvements of the zone's inputs that reach `goal` (see engine target_path)."""
    meth = methodology_of(run)
    return target_path(meth, table_of(run.inputs, meth), unit, goal)
