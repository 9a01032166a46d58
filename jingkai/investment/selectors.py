"""Reads of the investment pipeline, always through the user's scope (a zone its own projects, the province all):
the kanban, the 重点外资项目 list, and landing (not signing): conversion and median days per stage, 签约→开工 and
开工→投产 rates by zone and by owner."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum

from jingkai.investment.models import (
    KEY_FOREIGN_THRESHOLD,
    SIGNED_STAGES,
    STAGES,
    CoBuild,
    Event,
    FdiReceipt,
    Project,
    Stage,
    StageChange,
    StaleAlert,
    Team,
)
from jingkai.registry import provided
from jingkai.zones.selectors import IndicatorOffer, ZoneSection


def project_list(scope: Any) -> QuerySet[Project]:
    return scope.filter(Project.objects.select_related("zone", "owner_unit", "owner", "team"))


def project_get(scope: Any, pk: int) -> Project | None:
    return project_list(scope).filter(pk=pk).first()


@dataclass
class Column:
    stage: Stage
    projects: list[Project] = field(default_factory=list)


@dataclass(frozen=True)
class Board:
    columns: list[Column]
    due_this_week: list[Project]
    overdue: list[Project]


def week_bounds(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


# () -> [(code, name)]: the chains ("GS-NE") and links ("GS-NE/GS-NE-03") a lead may fill or a team cover (the
# chains app provides its catalogue's)
CHAIN_NAMES = "investment.chain_names"


def coverage_choices() -> list[tuple[str, str]]:
    return [pair for provider in provided(CHAIN_NAMES) for pair in provider()]


def chain_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, name in coverage_choices() if "/" not in code]


def coverage_names(codes: list[str]) -> list[str]:
    """Chains and links by name; a code the catalogue no longer has is said so, not shown raw."""
    names = dict(coverage_choices())
    return [names.get(code, "目录中已无此环节") for code in codes]


@dataclass(frozen=True)
class LeadQuery:
    """The board's search: project or company name, stage, owner (责任单位, 小分队 or 责任人) and chain."""

    name: str = ""
    stage: str = ""
    owner: str = ""
    chain: str = ""


def lead_rows(scope: Any, query: LeadQuery = LeadQuery(), zone_id: int | None = None) -> list[Project]:
    """The leads of the scope the query asks for, by next follow-up date (the board and its export)."""
    projects = project_list(scope)
    if zone_id is not None:
        projects = projects.filter(zone_id=zone_id)
    if query.name:
        projects = projects.filter(Q(name__icontains=query.name) | Q(company__icontains=query.name))
    if query.stage:
        projects = projects.filter(stage=query.stage)
    if query.owner:
        projects = projects.filter(Q(owner_unit__name__icontains=query.owner) | Q(team__name__icontains=query.owner)
                                   | Q(owner__first_name__icontains=query.owner)
                                   | Q(owner__last_name__icontains=query.owner))
    rows = list(projects.order_by("next_action_date", "id"))
    if query.chain:  # chain_links are "链/环节" strings in a JSON list: matched here, alike on every database
        rows = [p for p in rows if any(str(x).split("/")[0] == query.chain for x in p.chain_links or [])]
    return rows


def board(scope: Any, today: date, zone_id: int | None = None, query: LeadQuery = LeadQuery()) -> Board:
    columns = {s: Column(s) for s in STAGES}
    rows = lead_rows(scope, query, zone_id)
    for p in rows:
        columns[Stage(p.stage)].projects.append(p)
    _, sunday = week_bounds(today)
    live = [p for p in rows if p.stage != Stage.FULL and p.next_action_date is not None]
    return Board(list(columns.values()),
                 due_this_week=[p for p in live if today <= p.next_action_date <= sunday],  # type: ignore[operator]
                 overdue=[p for p in live if p.next_action_date < today])  # type: ignore[operator]


def key_foreign(scope: Any) -> list[Project]:
    """重点外资项目 (contracted foreign investment ≥ 1亿美元): new-industry ones first (措施（六）), then by amount."""
    rows = project_list(scope).filter(contracted_fdi__gte=KEY_FOREIGN_THRESHOLD)
    return sorted(rows, key=lambda p: (not p.new_industry, -(p.contracted_fdi or 0), p.pk))


@dataclass(frozen=True)
class StageFlow:
    stage: Stage
    reached: int  # projects that reached this stage (or a later one)
    conversion: float | None  # share of those that reached the previous stage
    median_days: float | None  # days spent in this stage by those that left it


@dataclass(frozen=True)
class Rate:
    group: str
    signed: int
    started: int
    producing: int

    @property
    def sign_to_start(self) -> float | None:
        return self.started / self.signed if self.signed else None

    @property
    def start_to_produce(self) -> float | None:
        return self.producing / self.started if self.started else None


@dataclass(frozen=True)
class Landing:
    funnel: list[StageFlow]
    by_zone: list[Rate]
    by_owner: list[Rate]
    total: int


def _rank(stage: str) -> int:
    return STAGES.index(Stage(stage))


def landing(scope: Any) -> Landing:
    projects = list(project_list(scope))
    ids = [p.pk for p in projects]
    entered: dict[int, dict[str, date]] = defaultdict(dict)
    for pid, to_stage, on in StageChange.objects.filter(project_id__in=ids).order_by("on", "id").values_list(
            "project_id", "to_stage", "on"):
        entered[pid].setdefault(to_stage, on)
    funnel = []
    previous: int | None = None
    for i, stage in enumerate(STAGES):
        reached = sum(1 for p in projects if _rank(p.stage) >= i)
        days = []
        if i + 1 < len(STAGES):
            nxt = STAGES[i + 1]
            for p in projects:
                start, end = entered[p.pk].get(stage), entered[p.pk].get(nxt)
                if start and end:
                    days.append((end - start).days)
        funnel.append(StageFlow(stage, reached, reached / previous if previous else None,
                                statistics.median(days) if days else None))
        previous = reached

    def rates(key) -> list[Rate]:
        groups: dict[str, list[Project]] = defaultdict(list)
        for p in projects:
            groups[key(p)].append(p)
        signed, started, producing = _rank(Stage.SIGNED), _rank(Stage.STARTED), _rank(Stage.PRODUCING)
        out = [Rate(name, sum(_rank(p.stage) >= signed for p in ps), sum(_rank(p.stage) >= started for p in ps),
                    sum(_rank(p.stage) >= producing for p in ps)) for name, ps in groups.items()]
        return sorted(out, key=lambda r: (-r.signed, r.group))

    return Landing(funnel, rates(lambda p: p.zone.name),
                   rates(lambda p: (p.owner.get_full_name() if p.owner else "") or p.owner_unit.name),
                   len(projects))


@dataclass(frozen=True)
class ZonePipeline:
    """What the pipeline offers the zone page beside its reported indicators (招商项目台账口径)."""

    year: int
    signed_this_year: int  # projects that entered 签约 this year
    signed_open: int  # projects at 签约 or later (达产 included)
    contracted_fdi: float  # 合同外资 of the signed projects, 万美元
    actual_fdi: float  # 实际使用外资 recorded on the signed projects, 万美元
    stalled: int  # signed projects under a 90-day 督办 for the stage they are still in


def zone_pipeline(scope: Any, zone: Any, today: date | None = None) -> ZonePipeline:
    """One query, whatever the number of projects (the zone page has a query budget)."""
    today = today or date.today()
    signed = Q(stage__in=list(SIGNED_STAGES))
    this_year = Exists(StageChange.objects.filter(project=OuterRef("pk"), to_stage=Stage.SIGNED, on__year=today.year))
    stale = Exists(StaleAlert.objects.filter(project=OuterRef("pk"), stage=OuterRef("stage"),
                                             stage_since=OuterRef("stage_since")))
    f = scope.filter(Project.objects.filter(zone=zone)).aggregate(
        this_year=Count("pk", filter=Q(this_year)), signed=Count("pk", filter=signed),
        contracted=Sum("contracted_fdi", filter=signed), actual=Sum("actual_fdi", filter=signed),
        stalled=Count("pk", filter=signed & Q(stale) & ~Q(stage=Stage.FULL)))
    return ZonePipeline(today.year, f["this_year"], f["signed"], float(f["contracted"] or 0), float(f["actual"] or 0),
                        f["stalled"])


def zone_section(scope: Any, zone: Any) -> Any:
    """The zone page's panel (extension point zones.page_sections): signed projects and foreign investment."""
    return ZoneSection("investment/_zone_section.html", zone_pipeline(scope, zone))


def event_list(scope: Any) -> QuerySet[Event]:
    """Province-wide events and those of the scope's zones."""
    events = Event.objects.select_related("zone")
    return events if scope.all_zones else events.filter(Q(zone__isnull=True) | Q(zone_id__in=scope.zone_ids))


@dataclass(frozen=True)
class EventRow:
    event: Event
    leads: int  # projects of the scope that came from it
    signed: int  # of which reached 签约 or later
    planned_investment: float  # 计划总投资 of the signed ones, 万元


def event_rows(scope: Any, events: Sequence[Event]) -> list[EventRow]:
    projects: dict[int, list[Project]] = defaultdict(list)
    for p in project_list(scope).filter(event__in=events):
        projects[p.event_id].append(p)  # type: ignore[index]
    rows = []
    for e in events:
        signed = [p for p in projects[e.pk] if p.is_signed]
        rows.append(EventRow(e, len(projects[e.pk]), len(signed), float(sum(p.planned_investment or 0 for p in signed))))
    return rows


def team_list(scope: Any) -> QuerySet[Team]:
    return scope.filter(Team.objects.select_related("zone")).order_by("zone__code", "name", "id")


def link_teams(zone: Any) -> list[tuple[str, list[str]]]:
    """The zone's teams as the 补链清单 names them, with the chains or links they cover (chains.link_teams)."""
    return [(f"{t.name}（负责人：{t.leader}）", list(t.coverage)) for t in Team.objects.filter(zone=zone).order_by("name")]


def co_build_list(scope: Any) -> QuerySet[CoBuild]:
    return scope.filter(CoBuild.objects.select_related("zone").prefetch_related("projects")).order_by(
        "zone__code", "-signed_on", "id")


def indicator_offers(zone: Any, period: Any) -> list[IndicatorOffer]:
    """What the pipeline offers the zone's indicator entry (extension point zones.indicator_offers): for a month,
    实际使用外资 (fdi_actual_usd, 1—n月累计 as the indicator is reported) from the projects' 到位外资 records; for a
    year, 合作共建园区数 (co_built_parks) from the 合作共建 agreements signed by its end. Signed projects have no
    indicator of the data dictionary, so none is offered for them. Nothing is offered without records."""
    offers = []
    if period.month:
        f = FdiReceipt.objects.filter(project__zone=zone, month__year=period.year,
                                      month__month__lte=period.month).aggregate(
            total=Sum("amount"), projects=Count("project", distinct=True), last=Max("created_at"))
        if f["projects"]:
            months = f"1—{period.month}月" if period.month > 1 else "1月"
            offers.append(IndicatorOffer(
                "fdi_actual_usd", f["total"], f"招商项目库：{months} {f['projects']} 个项目到位外资合计",
                f["last"].date() if f["last"] else None))
    elif not period.quarter:
        parks = CoBuild.objects.filter(zone=zone, signed_on__lte=period.end()).values("partner").distinct().count()
        if parks:
            offers.append(IndicatorOffer("co_built_parks", Decimal(parks),
                                         f"招商项目库：截至{period.year}年底已签合作共建协议的合作园区 {parks} 个"))
    return offers
