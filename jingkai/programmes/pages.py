"""The programme pages' reads: typed results built from the selectors (stored runs through the user's scope)
and the presentation (results in words, chart data), shared by the views and the exports. Reading needs
`programmes.view`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jingkai.accounts import authz
from jingkai.engines.rules import RuleSet
from jingkai.enterprises.models import Enterprise
from jingkai.programmes import capabilities as caps
from jingkai.programmes import presentation
from jingkai.programmes.models import ProgrammeResult, ProgrammeRun
from jingkai.programmes.selectors import PAGES, Page, latest_run, ruleset_of, zone_counts
from jingkai.programmes.services import gap_is_stored
from jingkai.zones.models import Zone
from jingkai.zones.selectors import zone_list


def require_view(user: Any) -> None:
    authz.require(user, caps.VIEW_PROGRAMMES, "您的账号未关联机构，无权查看企业培育与评价")


@dataclass(frozen=True)
class IndexCard:
    page: Page
    runs: list[ProgrammeRun]  # the latest run of each of the page's programmes that has one


def index_cards(user: Any) -> list[IndexCard]:
    require_view(user)
    return [IndexCard(page, [r for r in (latest_run(p) for p in page.programs) if r]) for page in PAGES.values()]


@dataclass(frozen=True)
class ZoneRow:
    """A zone's line in a programme page's table."""

    zone: Zone
    n: int
    eligible: int
    undecided: int
    near: int  # not eligible, one requirement short, not yet recognised
    by_class: list[int]  # counts in the order of the page's classes
    mean_score: float | None
    out_of_scope: int  # enterprises outside the scheme's scope, not rated


@dataclass(frozen=True)
class Overview:
    """A programme page above the list: the run, its rule file, the zones' table and the chart."""

    run: ProgrammeRun
    rs: RuleSet | None
    zones: list[ZoneRow]
    classes: list[tuple[str, str]]
    stages: list[str]
    chart: dict[str, Any]

    @property
    def out_of_scope(self) -> int:
        """Enterprises of the visible zones left out because the scheme does not cover them."""
        return sum(z.out_of_scope for z in self.zones)


def overview(user: Any, page: Page, program: str, version: str | None, run: ProgrammeRun) -> Overview:
    require_view(user)
    scope = user.scope
    counts = zone_counts(scope, run)
    visible = [z for z in zone_list(scope).order_by("code")
               if z.code in counts or run.zone_summary(z.code).out_of_scope]
    none = {"n": 0, "eligible": 0, "undecided": 0, "near": 0, "classes": {}}
    tier_runs = {p: latest_run(p, version) for p in page.programs} if page.slug == "sme" else {program: run}
    rs = ruleset_of(run)
    classes = presentation.class_labels(rs)
    rows = [ZoneRow(z, c["n"], c["eligible"], c["undecided"], c["near"], [c["classes"].get(k, 0) for k, _ in classes],
                    s.mean_score, s.out_of_scope)
            for z in visible for c, s in [(counts.get(z.code, none), run.zone_summary(z.code))]]
    return Overview(run=run, rs=rs, zones=rows, classes=classes, stages=presentation.stages(rs),
                    chart=presentation.chart(page.slug, page, tier_runs, visible, scope))


@dataclass(frozen=True)
class ResultRow:
    result: ProgrammeResult
    enterprise: Enterprise
    zone: Zone
    conclusion: str
    gaps: list[str]


def result_rows(user: Any, run: ProgrammeRun, results_page: Any) -> list[ResultRow]:
    """The rows of one page of `results` in words (conclusion and gaps)."""
    require_view(user)
    rs = ruleset_of(run)
    hidden = presentation.withheld(run, user.scope)
    rows = list(results_page.object_list)
    # the criteria JSON (not read by the list) only of the rows whose gap the engine computes now
    computed = [r.pk for r in rows if not gap_is_stored(r.eligible, r.gap, r.gap_count)]
    criteria = dict(ProgrammeResult.objects.filter(pk__in=computed).values_list("pk", "criteria")) if computed else {}
    for r in rows:
        r.run = run
        if r.pk in criteria:
            r.criteria = criteria[r.pk]
    return [ResultRow(**presentation.row(r, rs, hidden)) for r in rows]
