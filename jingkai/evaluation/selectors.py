"""Reading stored evaluation runs: the ranking, a zone's scorecard, what-if and target path, as typed
results shared by the pages, the Word/Excel exports and the CLI.

Who sees what: every account holding `evaluation.view` (every account with an organisation) sees the whole
ranking (the Ministry publishes it); a zone's scorecard only for zones in the user's scope (the views get
the zone through `zones.selectors.zone_list`, so anything else is 404).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from types import MappingProxyType
from typing import Any

import numpy as np

from jingkai.accounts import authz
from jingkai.engines.evaluation import Methodology, load
from jingkai.evaluation import capabilities as caps
from jingkai.evaluation import services
from jingkai.evaluation.models import EvaluationRun
from jingkai.evaluation.results import UnitResult, UnitSensitivity, WhatIf
from jingkai.zones.models import Zone

DEFAULT_METHODOLOGY = "mofcom-2021"
GANSU = "甘肃省"
REGION_LABELS: Mapping[str, str] = MappingProxyType(dict(Zone.Region.choices))
NO_ORGANISATION = "您的账号未关联机构，无权查看综合评价"


def require_view(user: Any) -> None:
    authz.require(user, caps.VIEW_EVALUATION, NO_ORGANISATION)


# ---------------------------------------------------------------- runs


@cache
def methodology_choices() -> tuple[tuple[str, str], ...]:
    """(id, name) of the shipped methodologies that score zones."""
    return tuple((m.id, m.name) for m in services.zone_methodologies())


def computable_years(methodology_id: str) -> list[int]:
    """The years with the zones' annual values of the methodology's indicators, oldest first."""
    return services.data_years(load(methodology_id))


def current_run(methodology_id: str, year: int | None = None) -> EvaluationRun | None:
    """The run shown for a methodology and year (the latest year with a run when None): the one
    requested last."""
    runs = EvaluationRun.objects.select_related("created_by").filter(methodology=methodology_id)
    if year is not None:
        runs = runs.filter(year=year)
    else:
        runs = runs.order_by("-year", "-requested_at", "-id")
    return runs.first()


def run_years(methodology_id: str) -> list[int]:
    return sorted(set(EvaluationRun.objects.filter(methodology=methodology_id).values_list("year", flat=True)))


def sensitivity_of(run: EvaluationRun) -> Mapping[str, UnitSensitivity]:
    """The Monte Carlo figures for the run's exact inputs, by unit: its own, or those of the latest run of
    the same methodology text and input table (empty when there are none)."""
    if run.sensitivity:
        return run.own_sensitivity()
    sibling = (EvaluationRun.objects.filter(methodology=run.methodology, methodology_hash=run.methodology_hash,
                                            year=run.year, input_hash=run.input_hash, sensitivity__isnull=False)
               .exclude(sensitivity_runs=0).order_by("-requested_at", "-id").only("sensitivity").first())
    return sibling.own_sensitivity() if sibling else MappingProxyType({})


def groups(meth: Methodology) -> list[Any]:
    """The aggregates directly under the root (对外开放, 发展质量, …)."""
    by_code = {a.code: a for a in meth.aggregates}
    return [by_code[c] for c in meth.root.children if c in by_code]


def region_label(region: str | None) -> str:
    return REGION_LABELS.get(region or "", region or "")


# ---------------------------------------------------------------- ranking


@dataclass(frozen=True)
class RankingRow:
    unit: str
    name: str
    province: str | None
    region: str | None
    score: float | None
    rank: int | None
    region_rank: int | None
    scores: Mapping[str, float | None]
    bonus: float | None
    gansu: bool
    reference: bool  # sets the scale and the ranks (a provincial zone scored on the national scale does not)
    bottom5: bool  # in its region's bottom five by the nominal ranks
    sensitivity: UnitSensitivity | None
    linked: bool = False  # the user may open the zone's scorecard

    @property
    def rank_interval(self) -> tuple[float, float] | None:
        return self.sensitivity.rank_interval if self.sensitivity else None

    @property
    def median_rank(self) -> float | None:
        return self.sensitivity.median_rank if self.sensitivity else None

    @property
    def bottom5_probability(self) -> float | None:
        return self.sensitivity.bottom5_probability if self.sensitivity else None


def ranking(run: EvaluationRun, region: str | None = None,
            sensitivity: Mapping[str, UnitSensitivity] | None = None) -> list[RankingRow]:
    """Rows of the ranking, best first (by region rank within a region), each with the zone's province,
    whether it is a Gansu zone, whether it sits in its region's bottom five, and its Monte Carlo figures."""
    sens = sensitivity_of(run) if sensitivity is None else sensitivity
    ref = run.reference()
    rows = []
    for u in run.units().values():
        if region and u.region != region:
            continue
        province = run.input_value(u.unit, "province")
        rows.append(RankingRow(
            unit=u.unit, name=u.name, province=province, region=u.region, score=u.score, rank=u.rank,
            region_rank=u.region_rank, scores=u.scores, bonus=u.bonus, gansu=province == GANSU,
            reference=u.unit in ref, sensitivity=sens.get(u.unit),
            bottom5=u.region_rank is not None and u.region_rank > run.region_size(u.region) - 5))
    if region:
        rows.sort(key=lambda r: (r.region_rank is None, r.region_rank or 0, r.unit))
    return rows


@dataclass(frozen=True)
class Ranking:
    """A run's ranking for one scope (全国 or a region), as the page and the Excel export show it."""

    run: EvaluationRun
    meth: Methodology
    region: str | None
    groups: list[Any]
    rows: list[RankingRow]
    gansu: list[RankingRow]  # Gansu's zones in the national ranking (the cards above the table)
    n_reference: int

    @property
    def has_sensitivity(self) -> bool:
        return any(r.sensitivity is not None for r in self.rows)

    @property
    def region_label(self) -> str:
        return region_label(self.region) if self.region else "全国"


def ranking_of(user: Any, run: EvaluationRun, region: str | None = None) -> Ranking:
    """The run's ranking; rows link to the scorecards of the zones in the user's scope."""
    require_view(user)
    sens = sensitivity_of(run)
    national = ranking(run, None, sens)
    rows = ranking(run, region, sens) if region else national
    visible = set(user.scope.filter(Zone.objects.filter(code__in=[r.unit for r in national]), "self")
                  .values_list("code", flat=True))
    meth = services.methodology_of(run)
    return Ranking(run=run, meth=meth, region=region, groups=groups(meth),
                   rows=[replace(r, linked=r.unit in visible) for r in rows],
                   gansu=[replace(r, linked=r.unit in visible) for r in national if r.gansu],
                   n_reference=len(run.reference()))


# ---------------------------------------------------------------- scorecard


def radar(run: EvaluationRun, unit: str) -> dict[str, Any]:
    """Group scores of the zone against the median of its region and of all reference zones (ECharts data)."""
    meth = services.methodology_of(run)
    rec = services.unit_of(run, unit)
    ref = run.reference()
    codes = [g.code for g in groups(meth)]

    def median(rows: list[UnitResult], code: str) -> float | None:
        vals = [score for r in rows if (score := r.scores.get(code)) is not None]
        return float(np.median(vals)) if vals else None

    everyone = list(run.units().values())
    peers = [u for u in everyone if u.unit in ref]
    same = [u for u in peers if u.region == rec.region]
    top = [max((u.scores.get(c) or 0) for u in everyone) for c in codes]
    return {
        "indicators": [{"name": g.name, "max": round(max(t, 1e-9) * 1.05, 2)} for g, t in zip(groups(meth), top,
                                                                                          strict=True)],
        "series": [
            {"name": rec.name, "value": [_round(rec.scores.get(c)) for c in codes]},
            {"name": f"{region_label(rec.region)}中位数", "value": [_round(median(same, c)) for c in codes]},
            {"name": "全国中位数", "value": [_round(median(peers, c)) for c in codes]},
        ],
    }


def _round(x: float | None, digits: int = 2) -> float | None:
    return None if x is None else round(x, digits)


@dataclass(frozen=True)
class TrendPoint:
    year: int
    score: float | None
    rank: int | None
    region_rank: int | None
    n: int  # zones ranked that year


def trend(run: EvaluationRun, unit: str) -> list[TrendPoint]:
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
        rec = r.unit(unit)
        if rec is not None:
            out.append(TrendPoint(year, rec.score, rec.rank, rec.region_rank, len(r.reference())))
    return out


@dataclass(frozen=True)
class GroupRow:
    code: str
    name: str
    weight: float
    score: float | None
    unverified: bool
    region_median: float | None
    national_median: float | None


@dataclass(frozen=True)
class InputRow:
    """A value of the what-if form: an indicator or a bonus column, with the run's value."""

    code: str
    name: str
    unit: str
    value: float | None
    unverified: bool


@dataclass(frozen=True)
class Scorecard:
    """A zone's scorecard in a run: what the page and the Word export show."""

    zone: Zone
    run: EvaluationRun
    meth: Methodology
    rec: UnitResult
    region: str | None
    region_label: str
    n_reference: int
    region_size: int
    sens: UnitSensitivity | None
    diagnosis: list[dict[str, Any]]  # the engine's rows (indicator, name, unit, raw, normalised, …)
    drags: list[dict[str, Any]]  # the diagnosis rows that drag the zone most
    group_rows: list[GroupRow]
    trend: list[TrendPoint]
    inputs: list[InputRow]
    charts: dict[str, Any]  # ECharts data (radar, drags, trend)

    @property
    def drag_codes(self) -> list[str]:
        return [d["indicator"] for d in self.drags]

    @property
    def target_default(self) -> int:
        """The region rank proposed as a target: five places better, at least first."""
        return max(1, (self.rec.region_rank or 1) - 5)

    @property
    def unverified_count(self) -> int:
        return len(self.meth.unverified_items())


def scorecard(user: Any, zone: Zone, run: EvaluationRun) -> Scorecard:
    """The zone's scorecard; EvaluationError when the run does not contain the zone."""
    require_view(user)
    meth = services.methodology_of(run)
    rec = services.unit_of(run, zone.code)
    diag = services.diagnosis(run, zone.code)
    by_code = {row["indicator"]: row for row in diag["indicators"]}
    drags = [by_code[c] for c in diag["drags"]]
    unverified = {item["code"] for item in meth.unverified_items()}
    points = trend(run, zone.code)
    chart_radar = radar(run, zone.code)
    group_rows = [GroupRow(g.code, g.name, g.weight, rec.scores.get(g.code), g.code in unverified, region_median,
                           national_median)
                  for g, region_median, national_median in zip(groups(meth), chart_radar["series"][1]["value"],
                                                               chart_radar["series"][2]["value"], strict=True)]
    inputs = [InputRow(i.code, i.name, i.unit, by_code[i.code]["raw"], i.unverified) for i in meth.indicators]
    inputs += [InputRow(b.column, b.name, "项（加分项）", run.input_value(zone.code, b.column), b.unverified)
               for b in meth.bonus]
    return Scorecard(
        zone=zone, run=run, meth=meth, rec=rec, region=rec.region, region_label=region_label(rec.region),
        n_reference=len(run.reference()), region_size=run.region_size(rec.region),
        sens=sensitivity_of(run).get(zone.code), diagnosis=diag["indicators"], drags=drags, group_rows=group_rows,
        trend=points, inputs=inputs,
        charts={
            "radar": chart_radar,
            "drags": {"names": [d["name"] for d in drags],
                      "median": [round(d["lost_vs_median"] or 0, 3) for d in drags],
                      "top": [round(d["lost_vs_top_quartile"] or 0, 3) for d in drags]},
            "trend": {"years": [t.year for t in points], "rank": [t.rank for t in points],
                      "region_rank": [t.region_rank for t in points], "score": [_round(t.score) for t in points]},
        },
    )


# ---------------------------------------------------------------- what-if and target path


def current_inputs(run: EvaluationRun, unit: str) -> dict[str, Any]:
    """The run's values of the what-if columns (indicator codes and bonus columns) for the unit."""
    meth = services.methodology_of(run)
    return {c: run.input_value(unit, c) for c in [i.code for i in meth.indicators] + [b.column for b in meth.bonus]}


@dataclass(frozen=True)
class TargetRow:
    indicator: str
    name: str
    unit: str
    from_value: float
    to_value: float
    change: float
    points_gained: float
    unverified: bool


@dataclass(frozen=True)
class TargetPlan:
    """The least-effort path to a goal, the zone's region rank before and after it."""

    path: Any  # the engine's TargetPath (achieved, message, from/to score and rank, effort)
    rows: list[TargetRow]
    after: WhatIf | None  # the path applied: the region rank reached (the engine reports the national one)
    region_rank: int | None
    region_label: str


def target_plan(run: EvaluationRun, unit: str, goal: dict[str, Any]) -> TargetPlan:
    """EvaluationError when the engine cannot solve for the goal."""
    path = services.target(run, unit, goal)
    meth = services.methodology_of(run)
    indicators = {i.code: i for i in meth.indicators}
    rows = [TargetRow(r["indicator"], r["name"], getattr(indicators.get(r["indicator"]), "unit", ""), r["from"], r["to"],
                      r["change"], r["points_gained"], bool(getattr(indicators.get(r["indicator"]), "unverified", False)))
            for r in path.rows]
    after = services.apply_what_if(run, unit, {r.indicator: r.to_value for r in rows}) if rows else None
    rec = services.unit_of(run, unit)
    return TargetPlan(path=path, rows=rows, after=after, region_rank=rec.region_rank,
                      region_label=REGION_LABELS.get(rec.region or "", "地区"))


def what_if(run: EvaluationRun, unit: str, changes: dict[str, float | None]) -> WhatIf:
    """The zone's score and ranks after the changes (nothing is stored). EvaluationError on unknown columns."""
    return services.apply_what_if(run, unit, changes)
