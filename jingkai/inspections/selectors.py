"""Reads of 涉企检查: publication deadlines (20 working days with 调休), the overdue list, the monthly zone
report's figures and the enterprise's inspection calendar (the enterprise page's panel)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from jingkai.accounts.scope import Scope
from jingkai.engines import inspections as engine
from jingkai.engines.inspections.plan import deadline
from jingkai.enterprises.models import Enterprise
from jingkai.inspections.models import CreditRating, Draw, Visit
from jingkai.zones.models import Zone
from jingkai.zones.selectors import ZoneSection

ON_TIME, LATE, OVERDUE, DUE, NOT_NEEDED = "按时公示", "逾期公示", "逾期未公示", "待公示", "无需公示"


def publish_by(visit: Visit, rules: engine.Rules) -> dt.date:
    """The last day to publish the result: `publication_days` working days after the visit (调休 included)."""
    return dt.date.fromisoformat(deadline(visit.visited_on.isoformat(), rules.publication_days))


def publication_status(visit: Visit, today: dt.date, rules: engine.Rules) -> str:
    if visit.kind == Visit.Kind.NON_ENFORCEMENT:
        return NOT_NEEDED
    due = publish_by(visit, rules)
    if visit.published_on:
        return ON_TIME if visit.published_on <= due else LATE
    return OVERDUE if today > due else DUE


@dataclass(frozen=True)
class VisitRow:
    visit: Visit
    due: dt.date | None  # None: 非执法入企, nothing to publish
    status: str
    exemption: str  # the 个案 case in words, "" when the visit counts against the caps


def visit_row(visit: Visit, today: dt.date, rules: engine.Rules) -> VisitRow:
    status = publication_status(visit, today, rules)
    return VisitRow(visit, None if status == NOT_NEEDED else publish_by(visit, rules), status,
                    rules.exemptions.get(visit.exemption, visit.exemption))


def visit_rows(scope: Scope, today: dt.date, *, overdue_only: bool = False, zone: Zone | None = None,
               query: str = "") -> list[VisitRow]:
    """Every visit in scope (the page pages them), oldest first; `query` keeps those whose number, enterprise
    (name or 统一社会信用代码), zone, department or publication state contains it."""
    rules = engine.load()
    visits = scope.filter(Visit.objects.select_related("enterprise", "zone"))
    if zone is not None:
        visits = visits.filter(zone=zone)
    if overdue_only:
        visits = visits.filter(published_on__isnull=True).exclude(kind=Visit.Kind.NON_ENFORCEMENT)
    rows = []
    for v in visits.order_by("visited_on", "visit_no").iterator():
        row = visit_row(v, today, rules)
        if overdue_only and row.status != OVERDUE:
            continue
        if query and not any(query in text for text in (v.visit_no, v.enterprise.name, v.enterprise.uscc,
                                                         v.zone.name, row.status, *v.departments)):
            continue
        rows.append(row)
    return rows


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class ZoneMonth:
    """The monthly zone report (1月 to the month, and the month alone), 行政检查 only (非执法入企 apart)."""

    zone: Zone
    year: int
    month: int
    visits_month: int = 0
    visits_month_last_year: int = 0
    visits_ytd: int = 0
    visits_ytd_last_year: int = 0
    joint_rate: float | None = None
    planned: int = 0
    planned_done: int = 0
    due_for_publication: int = 0
    published_on_time: int = 0
    per_class: list[tuple[str, int, int, float | None]] = field(default_factory=list)  # class, firms, visits, per firm
    a_firms: int = 0
    a_not_visited: int = 0
    non_enforcement_ytd: int = 0

    @property
    def change(self) -> float | None:
        return _rate(self.visits_ytd - self.visits_ytd_last_year, self.visits_ytd_last_year)

    @property
    def completion_rate(self) -> float | None:
        return _rate(self.planned_done, self.planned)

    @property
    def publication_rate(self) -> float | None:
        return _rate(self.published_on_time, self.due_for_publication)

    @property
    def a_not_visited_share(self) -> float | None:
        return _rate(self.a_not_visited, self.a_firms)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(1)


def zone_month(zone: Zone, year: int, month: int) -> ZoneMonth:
    rules = engine.load()
    end = month_end(year, month)
    report = ZoneMonth(zone, year, month)
    rows = list(Visit.objects.filter(zone=zone, visited_on__year__in=[year - 1, year]).values_list(
        "enterprise_id", "enterprise__uscc", "visited_on", "departments", "kind", "published_on"))
    inspections = [r for r in rows if r[4] != Visit.Kind.NON_ENFORCEMENT]
    ytd = [r for r in inspections if r[2].year == year and r[2] <= end]
    last = [r for r in inspections if r[2].year == year - 1 and r[2] <= month_end(year - 1, month)]
    report.non_enforcement_ytd = sum(1 for r in rows if r[4] == Visit.Kind.NON_ENFORCEMENT and r[2].year == year
                                     and r[2] <= end)
    report.visits_ytd, report.visits_ytd_last_year = len(ytd), len(last)
    report.visits_month = sum(1 for r in ytd if r[2].month == month)
    report.visits_month_last_year = sum(1 for r in last if r[2].month == month)
    report.joint_rate = _rate(sum(1 for r in ytd if len(r[3]) > 1), len(ytd))
    for r in ytd:  # results due for publication by the month's end
        due = dt.date.fromisoformat(deadline(r[2].isoformat(), rules.publication_days))
        if due <= end:
            report.due_for_publication += 1
            report.published_on_time += bool(r[5] and r[5] <= due)
    visited_on = defaultdict(list)
    for r in ytd:
        visited_on[r[1]].append(r[2])
    for draw in Draw.objects.filter(zone=zone, period__startswith=str(year)):
        start = dt.date.fromisoformat(draw.result["period"]["start"])
        for v in draw.result["visits"]:
            if v["date"] <= end.isoformat():
                report.planned += 1
                report.planned_done += any(start <= d <= end for d in visited_on.get(v["uscc"], ()))
    classes = _classes(zone, f"{year}-{month:02d}")
    per_firm = Counter(r[0] for r in ytd)
    firms = Counter(classes.values())
    for cls in (*engine.CLASSES, ""):
        n = firms.get(cls, 0)
        if n:
            visits = sum(per_firm[e] for e, c in classes.items() if c == cls)
            report.per_class.append((cls or engine.UNCLASSIFIED, n, visits, visits / n))
    a_firms = [e for e, c in classes.items() if c == "A"]
    report.a_firms, report.a_not_visited = len(a_firms), sum(1 for e in a_firms if not per_firm[e])
    return report


def _classes(zone: Zone, month: str) -> dict[int, str]:
    """enterprise id → credit class: the latest monthly rating up to `month`, else the register's."""
    register = dict(Enterprise.objects.filter(zone=zone).values_list("id", "credit_class"))
    monthly = dict(CreditRating.objects.filter(enterprise__zone=zone, month__lte=month).order_by(
        "enterprise_id", "month").values_list("enterprise_id", "credit_class"))
    return {e: monthly.get(e, c or "") for e, c in register.items()}


@dataclass(frozen=True)
class Calendar:
    rows: list[VisitRow]
    caps: list[tuple[str, int, int]]  # department, counted visits this year, cap
    recent: int  # visits (all kinds, all departments) within the warning window
    warn: bool
    rules: engine.Rules


def enterprise_calendar(enterprise: Enterprise, today: dt.date) -> Calendar:
    rules = engine.load()
    visits = list(Visit.objects.filter(enterprise=enterprise, visited_on__gte=dt.date(today.year - 1, 1, 1))
                  .select_related("zone", "enterprise").order_by("-visited_on", "visit_no"))
    rows = [visit_row(v, today, rules) for v in visits]
    counted: Counter[str] = Counter()
    for v in visits:
        if v.visited_on.year == today.year and not v.exemption and v.kind != Visit.Kind.NON_ENFORCEMENT:
            counted.update(v.departments)
    since = today - dt.timedelta(rules.window_days)
    recent = sum(1 for v in visits if since < v.visited_on <= today)
    return Calendar(rows, [(d, n, rules.per_level_cap) for d, n in sorted(counted.items())], recent,
                    bool(rules.frequent_visits) and recent >= rules.frequent_visits, rules)


def enterprise_section(scope: Scope, enterprise: Enterprise) -> ZoneSection:
    """The enterprise page's panel (extension point enterprises.page_sections): 入企检查日历."""
    return ZoneSection("inspections/_enterprise_section.html", enterprise_calendar(enterprise, timezone.localdate()))
