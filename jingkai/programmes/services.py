"""Running a programme over the database and storing the explained results.

    run = run_programme("sme-specialized", 2024)          # version in force today, every zone
    run = run_programme("mujun-gansu", 2024, zone_codes=["GS-LZ"])

A run is identified by the rule files used (their text, prerequisites included) and the input data (as
seen on the evaluation date: tags resolved to held/not held). The same rules on the same input reuse the
stored run instead of evaluating again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from functools import cache
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

import jingkai.programmes.capabilities as caps
from jingkai.accounts import authz
from jingkai.audit.services import record
from jingkai.bulk import insert_rows
from jingkai.engines.rules import (
    LIST_KEYS,
    Explainer,
    RuleError,
    RuleSet,
    evaluate,
    explained_columns,
    input_keys,
    registry,
    rulesets_used,
    select,
    tag_columns,
)
from jingkai.enterprises.models import Enterprise
from jingkai.programmes.loaders import load_enterprise_years
from jingkai.programmes.models import ProgrammeResult, ProgrammeRun


class ProgrammeError(ValueError):
    """A run that cannot be made; the message is shown to the user."""


# -- identity of a run ------------------------------------------------------------------------------
def rules_sha256(rs: RuleSet, on: dt.date) -> str:
    h = hashlib.sha256()
    for r in rulesets_used(rs, on):
        h.update(r.id.encode())
        h.update(r.path.read_bytes() if r.path else repr(r.spec).encode())
    return h.hexdigest()


def input_sha256(df: pl.DataFrame, on: dt.date) -> str:
    """Hash of the input table in a canonical form: columns sorted, rows by (uscc, year), lists joined,
    tags replaced by whether each is held on the evaluation date."""
    names = sorted(set(df["tags"].explode().drop_nulls().str.split("@").list.first().to_list())) \
        if "tags" in df.columns and df.height else []
    flat = df.drop("tags", strict=False).with_columns(tag_columns(df["tags"], names, on) if names else [])
    flat = flat.with_columns([pl.col(c).list.sort().list.join(";") for c in LIST_KEYS if c in flat.columns])
    flat = flat.select(sorted(flat.columns)).sort(["uscc", "year"])
    return hashlib.sha256(flat.write_csv().encode()).hexdigest()


# -- evaluating and storing -------------------------------------------------------------------------
@cache
def explainer(ruleset_id: str) -> Explainer:
    """One compiled explainer per rule-set version."""
    return Explainer(registry()[ruleset_id])


def unmet_requirements(rs: RuleSet, table: pl.DataFrame) -> pl.Series:
    """Per row, how many of the tier's requirements (each criterion, the score or a direct route) are not met:
    the measure of “how close” that orders candidate lists. 0 for score and class programmes."""
    checks = [f"ok:{c['code']}" for c in rs.spec.get("criteria") or []]
    checks += [c for c in ("score_or_route", "routes_ok") if c in table.columns]
    if rs.kind != "tier" or not checks:
        return pl.Series("unmet", [0] * table.height, dtype=pl.Int64)
    return table.select(pl.sum_horizontal([(pl.col(c) != True).fill_null(True).cast(pl.Int64)  # noqa: E712
                                           for c in checks]).alias("unmet"))["unmet"]


def explained_json(rs: RuleSet, table: pl.DataFrame) -> list[str]:
    """One JSON object per row: what `Explainer.result(row)` needs to explain it again (encoded by polars)."""
    cols = explained_columns(rs, table.columns)
    sub = table.select(cols).with_columns(pl.col(pl.Float64).fill_nan(None).round(9))
    return sub.select(pl.struct(cols).struct.json_encode().alias("j"))["j"].to_list()


def explain(result: ProgrammeResult) -> dict:
    """The full explanation of a stored result (criteria with rule texts, and the gap), by the engine."""
    return explainer(result.run.ruleset).result(result.criteria)


def result_gap(result: ProgrammeResult) -> list[dict]:
    """The stored gap or, where the run did not store it (far from passing), the engine's, computed now."""
    if gap_is_stored(result.eligible, result.gap, result.gap_count):
        return result.gap
    return explainer(result.run.ruleset).gaps(result.criteria)


def gap_is_stored(eligible: bool | None, gap: list[dict], gap_count: int) -> bool:
    """Whether a result's gap is its stored one (else the engine computes it from the criteria)."""
    return bool(gap) or eligible is True or not gap_count


def gap_of(ruleset: str, eligible: bool | None, gap: list[dict], gap_count: int, criteria: dict) -> list[dict]:
    """`result_gap` from a result's column values (`ruleset`: its run's rule-set id)."""
    return gap if gap_is_stored(eligible, gap, gap_count) else explainer(ruleset).gaps(criteria)


def _summary(rs: RuleSet, table: pl.DataFrame, out_of_scope: dict[str, int] | None = None) -> dict:
    """Per zone and in all: rated enterprises, eligible, classes, score bands; `out_of_scope` counts per zone the
    enterprises outside the scheme's scope (not rated), so the page can say how many were left out and why."""
    out_of_scope = out_of_scope or {}
    by_zone: dict[str, dict] = defaultdict(lambda: {"n": 0, "eligible": 0, "undecided": 0, "classes": Counter(),
                                                    "bands": Counter(), "score_sum": 0.0, "scored": 0})
    cols = [c for c in ("zone_code", "eligible", "score", "class") if c in table.columns]
    for row in table.select(cols).iter_rows(named=True):
        z = by_zone[row["zone_code"]]
        z["n"] += 1
        if row.get("eligible") is True:
            z["eligible"] += 1
        elif rs.kind == "tier" and row.get("eligible") is None:
            z["undecided"] += 1
        if row.get("class"):
            z["classes"][row["class"]] += 1
        if row.get("score") is not None:
            z["score_sum"] += row["score"]
            z["scored"] += 1
            z["bands"][score_band(row["score"])] += 1
    for code in out_of_scope:
        by_zone[code]  # a zone whose enterprises are all outside the scope still has a row
    zones = {}
    for code, z in sorted(by_zone.items()):
        zones[code] = {"n": z["n"], "out_of_scope": out_of_scope.get(code, 0), "eligible": z["eligible"], "undecided": z["undecided"],
                       "classes": dict(z["classes"]), "bands": dict(z["bands"]),
                       "mean_score": round(z["score_sum"] / z["scored"], 2) if z["scored"] else None}
    return {"title": rs.title, "program": rs.program, "version": rs.version, "kind": rs.kind,
            "document": rs.provenance.get("document"), "provisional": rs.provisional, "unverified": rs.unverified,
            "n": table.height, "eligible": sum(z["eligible"] for z in zones.values()), "zones": zones,
            "scope_rule": (rs.spec.get("scope") or {}).get("rule")}


SCORE_BANDS = [(80, "80分以上"), (60, "60—80分"), (40, "40—60分"), (20, "20—40分"), (None, "20分以下")]


def score_band(score: float) -> str:
    """Display bands for score distributions (for charts only; not a classification of any scheme)."""
    return next(label for low, label in SCORE_BANDS if low is None or score >= low)


def run_programme(program_id: str, year: int, date: dt.date | None = None, *, user: Any = None,
                  zone_codes: list[str] | None = None) -> ProgrammeRun:
    """Evaluate `program_id` (a programme, or a rule-set id naming the version) on the enterprise-years of
    `year`, on `date` (default today), and store the run; an identical earlier run is returned instead.

    `user` must hold `programmes.run`; None is the system itself (the `run_programme` command, the demo)."""
    if user is not None:
        authz.require(user, caps.RUN_PROGRAMME)
    on = date or timezone.localdate()
    try:
        rs = select(program_id, on)
    except RuleError as exc:
        raise ProgrammeError(str(exc)) from exc
    zones = sorted(zone_codes or [])
    df = load_enterprise_years(year, zones or None, input_keys(rs, on))
    if df.height == 0:
        raise ProgrammeError(f"{year}年没有可评价的企业年度数据")
    return run_on_frame(rs, df, on, year, zones, user)


def run_on_frame(rs: RuleSet, df: pl.DataFrame, on: dt.date, year: int, zones: list[str], user=None) -> ProgrammeRun:
    """run_programme on an already loaded table (the demo loads once for all its runs). The input hash
    covers the columns the rule set reads, so a table loaded for several rule sets hashes as one loaded
    for this one."""
    rules_hash, input_hash = rules_sha256(rs, on), input_sha256(df.select(_read_columns(rs, on, df)), on)
    same = ProgrammeRun.objects.filter(ruleset=rs.id, rules_sha256=rules_hash, input_sha256=input_hash, year=year)
    for earlier in same:
        if earlier.results.count() == earlier.summary_info().n:
            return earlier
        earlier.delete()  # its enterprises were deleted since (e.g. demo rebuilt): not a valid run any more
    table = evaluate(rs, df, on)
    out_of_scope: dict[str, int] = {}
    if "in_scope" in table.columns:
        # outside the scheme's scope (亩均: not 门类 B/C/D, or no 行业代码): not rated at all, rather than
        # rated and ranked; counted per zone so the page says how many were left out
        inside = pl.col("in_scope").fill_null(False)
        out_of_scope = dict(table.filter(~inside).group_by("zone_code").len().iter_rows())
        table = table.filter(inside)
    return _store(rs, table, on, year, zones, rules_hash, input_hash, user, out_of_scope)


IDENTITY = ("uscc", "year", "zone_code", "tags")


def _read_columns(rs: RuleSet, on: dt.date, df: pl.DataFrame) -> list[str]:
    wanted = input_keys(rs, on) | set(IDENTITY)
    return [c for c in df.columns if c in wanted]


# Requirements an enterprise does not close to qualify: a large enterprise is never an SME candidate.
STRUCTURAL = ["size"]
GAPS_STORED_PER_ZONE = 20  # the first candidates of each zone (the lists' first page); others on display


def _stored_gaps(rs: RuleSet, table: pl.DataFrame, rows: list[str], unmet: pl.Series) -> dict[int, str]:
    """Gaps of each zone's closest candidates: not eligible, fewest unmet requirements, highest score."""
    if rs.kind != "tier":
        return {}
    ranked = (table.select("zone_code", "eligible", pl.col("score") if "score" in table.columns else pl.lit(None).alias("score"))
              .with_row_index("i").with_columns(unmet=unmet)
              .filter(pl.col("eligible").ne_missing(True),
                      *(table[f"ok:{c}"].ne_missing(False) for c in STRUCTURAL if f"ok:{c}" in table.columns))
              .sort(["unmet", "score"], descending=[False, True], nulls_last=True)
              .group_by("zone_code", maintain_order=True).head(GAPS_STORED_PER_ZONE))
    ex = explainer(rs.id)
    return {i: json.dumps(ex.gaps(json.loads(rows[i])), ensure_ascii=False) for i in ranked["i"]}


def _store(rs, table, on, year, zones, rules_hash, input_hash, user, out_of_scope=None) -> ProgrammeRun:
    rows = explained_json(rs, table)
    unmet = unmet_requirements(rs, table)
    gaps = _stored_gaps(rs, table, rows, unmet)
    enterprises = Enterprise.objects.filter(zone__code__in=zones) if zones else Enterprise.objects.all()
    ids = {u: (e, z) for u, e, z in enterprises.values_list("uscc", "id", "zone_id")}
    tier = rs.kind == "tier"
    keys = table.select(
        "uscc", *(pl.col(c) if c in table.columns else pl.lit(None).alias(c) for c in ("eligible", "score", "class")),
        pl.coalesce([pl.col(c) for c in ("stage", "segment") if c in table.columns] or [pl.lit(None)]).alias("stage"))
    summary = _summary(rs, table, out_of_scope)
    with transaction.atomic():
        run = ProgrammeRun.objects.create(
            program=rs.program, ruleset=rs.id, rules_sha256=rules_hash, evaluation_date=on, year=year, zones=zones,
            input_sha256=input_hash, created_by=user if getattr(user, "pk", None) else None, summary=summary)
        values = ((run.pk, *ids[uscc], eligible if tier else None, score, klass, stage or "", n, row, gaps.get(i, "[]"))
                  for i, ((uscc, eligible, score, klass, stage), n, row)
                  in enumerate(zip(keys.iter_rows(), unmet.to_list(), rows, strict=True)))
        _insert_results(values)
        record(user, "run", "programmes.ProgrammeRun", run.pk, after={
            "ruleset": rs.id, "year": year, "date": on.isoformat(), "zones": zones, "n": summary["n"],
            "eligible": summary["eligible"], "input_sha256": input_hash},
            note=f"{rs.title}（{rs.version}）：评价{year}年数据企业{summary['n']}家")
    return run


RESULT_COLUMNS = ["run_id", "enterprise_id", "zone_id", "eligible", "score", "class", "stage", "gap_count", "criteria",
                  "gap"]


def _insert_results(values) -> None:
    """Plain tuples with the JSON already encoded, no model instances."""
    insert_rows(ProgrammeResult._meta.db_table, RESULT_COLUMNS, values)
