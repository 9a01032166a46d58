"""Reads of the 督办 register, shared by the pages, the Excel/Word exports and the CLI.

Every read starts from `task_list(user)`: the tasks of the units the user acts for (`Scope.filter_units`).
Statuses are computed by the supervision engine from a bounded number of queries, whatever the number of
tasks (`task_rows` prefetches milestones, reports, their events and the target indicators' values).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from jingkai.accounts.models import OrgUnit
from jingkai.engines.supervision import (
    DONE,
    LAGGING,
    NOT_STARTED,
    ON_TRACK,
    OVERDUE,
    TaskFacts,
    Verdict,
    assess,
)
from jingkai.measures.catalogue import Item, Measure, Part, load_catalogue
from jingkai.measures.models import ProgressReport, ReportEvent, Task
from jingkai.measures.services import REPORT_FLOW
from jingkai.zones.models import Indicator, IndicatorValue, Zone

STATUSES: tuple[str, ...] = (NOT_STARTED, ON_TRACK, LAGGING, OVERDUE, DONE)
ASSIGNABLE_KINDS = (OrgUnit.Kind.PROVINCE, OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.ZONE)


def task_list(user: Any) -> QuerySet[Task]:
    """The tasks of the units the user acts for: every task for the province, a unit's own tasks, a city's
    and its zones' tasks; nothing for a user without a unit."""
    tasks = Task.objects.select_related("owner", "zone", "target_indicator")
    return user.scope.filter_units(tasks, "owner")


def get_task(user: Any, task_id: int) -> Task:
    """One task of the user's scope (404 outside it: its existence is not disclosed)."""
    return get_object_or_404(task_list(user), pk=task_id)


def get_report(user: Any, report_id: int) -> ProgressReport:
    return get_object_or_404(ProgressReport.objects.select_related("task__owner")
                             .filter(task__in=task_list(user)), pk=report_id)


def get_item(code: str) -> Item:
    item = next((i for i in load_catalogue().items if i.code == code), None)
    if item is None:
        raise Http404(f"没有措施事项 {code}")
    return item


# ---------------------------------------------------------------------------------------------- statuses

@dataclass(frozen=True)
class TaskRow:
    """A task with its computed status (the register's row, the export's line)."""

    task: Task
    status: str
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    progress: float | None


def _prefetched(tasks: QuerySet[Task]) -> QuerySet[Task]:
    confirmations = ReportEvent.objects.filter(to_state=ProgressReport.State.CONFIRMED)
    confirmed = ProgressReport.objects.filter(state=ProgressReport.State.CONFIRMED).prefetch_related(
        Prefetch("events", queryset=confirmations, to_attr="confirmations"))
    return tasks.prefetch_related("milestones", Prefetch("reports", queryset=confirmed, to_attr="confirmed"))


def _actual_values(tasks: Sequence[Task]) -> dict[int, float | None]:
    """The reported value of each target task's indicator (its target period, else the latest), in one query."""
    targeted = [t for t in tasks if t.target_indicator_id and t.zone_id]
    if not targeted:
        return {}
    values: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for zone_id, indicator_id, period, value in IndicatorValue.objects.filter(
            zone_id__in={t.zone_id for t in targeted},
            indicator_id__in={t.target_indicator_id for t in targeted}).values_list(
            "zone_id", "indicator_id", "period", "value"):
        values[(zone_id, indicator_id)][period] = value
    actual: dict[int, float | None] = {}
    for task in targeted:
        by_period = values.get((task.zone_id, task.target_indicator_id), {})  # type: ignore[arg-type]
        if task.target_period:
            actual[task.pk] = by_period.get(task.target_period)
        else:
            actual[task.pk] = by_period[max(by_period)] if by_period else None
    return actual


def task_facts(task: Task, actual: float | None) -> TaskFacts:
    """The engine's facts of a task loaded through `_prefetched` (confirmed reports and their confirmation)."""
    confirmed: list[ProgressReport] = task.confirmed  # type: ignore[attr-defined]
    latest = max(confirmed, key=lambda r: r.period, default=None)
    completed_on = None
    for report in confirmed:
        if report.completes_task:
            confirmed_at = [e.at for e in report.confirmations]  # type: ignore[attr-defined]
            completed_on = max(confirmed_at).date() if confirmed_at else None
    return TaskFacts(
        start=task.start, deadline=task.deadline,
        milestones=[(m.due, m.done_on) for m in task.milestones.all()],
        progress=latest.progress if latest else None, completed_on=completed_on,
        target_value=task.target_value, actual_value=actual,
        target_direction=task.target_indicator.direction if task.target_indicator else 1,
    )


def register_order(task: Task) -> tuple[tuple[int, ...], date, int]:
    numbers = tuple(int(n) if n.isdigit() else 0 for n in task.item_code.split("."))
    return numbers, task.deadline, task.pk


def task_rows(tasks: QuerySet[Task], today: date) -> list[TaskRow]:
    """Every task with its computed status, in register order (item 1.2 before 1.10, as the measures number
    them), five queries whatever the number of tasks."""
    loaded = sorted(_prefetched(tasks), key=register_order)
    actual = _actual_values(loaded)
    rows = []
    for task in loaded:
        facts = task_facts(task, actual.get(task.pk))
        verdict = assess(facts, today)
        rows.append(TaskRow(task, verdict.status, tuple(verdict.reasons), tuple(verdict.warnings), facts.progress))
    return rows


def task_verdict(task: Task, today: date | None = None) -> Verdict:
    row = task_rows(Task.objects.filter(pk=task.pk).select_related("target_indicator"), today or date.today())[0]
    return Verdict(row.status, list(row.reasons), list(row.warnings))


# The register's filters beside the status: tasks with a progress report in a state, tasks near their deadline.
REPORT_FILTERS = {"draft": "有未提交的进展", "returned": "有退回的进展", "submitted": "有待审核的进展",
                  "reviewed": "有待确认的进展"}
DUE_SOON = "soon"  # 临期: a deadline or milestone ahead (the engine's 预警), neither done nor overdue


@dataclass(frozen=True)
class RegisterQuery:
    """The register's search form: a keyword (item number, task, unit), a status, a report state, 临期."""

    q: str = ""
    status: str = ""
    report: str = ""
    due: str = ""

    @classmethod
    def of(cls, params: Any) -> RegisterQuery:
        """From the query string; unknown values are dropped (the whole register)."""
        status, report, due = params.get("status") or "", params.get("report") or "", params.get("due") or ""
        return cls(q=(params.get("q") or "").strip()[:100], status=status if status in STATUSES else "",
                   report=report if report in REPORT_FILTERS else "", due=due if due == DUE_SOON else "")

    @property
    def active(self) -> bool:
        return bool(self.q or self.status or self.report or self.due)


def due_soon(row: TaskRow) -> bool:
    return bool(row.warnings) and row.status not in {DONE, OVERDUE}


def register(user: Any, today: date, status: str | None = None, query: RegisterQuery | None = None) -> list[TaskRow]:
    """The task register of the user, optionally of one status (an unknown status: every task) or filtered by
    the search form."""
    query = query or RegisterQuery(status=status if status in STATUSES else "")
    tasks = task_list(user)
    if query.q:
        tasks = tasks.filter(Q(item_code__startswith=query.q) | Q(title__icontains=query.q)
                             | Q(owner__name__icontains=query.q) | Q(zone__name__icontains=query.q))
    if query.report:
        tasks = tasks.filter(pk__in=ProgressReport.objects.filter(state=query.report).values("task_id"))
    rows = task_rows(tasks, today)
    if query.status:
        rows = [r for r in rows if r.status == query.status]
    return [r for r in rows if due_soon(r)] if query.due else rows


# ------------------------------------------------------------------------------------------- 督办通报

@dataclass(frozen=True)
class BulletinCoverage:
    """What a 督办通报 covers and who issues it: the province's covers every task; a unit's only its own."""

    issuer: str  # 发文单位
    subject: str  # 全省 / the unit
    verb: str  # 分解落实 (the province's tasks) / 承担督办 (a unit's)
    whole_province: bool

    def title(self, today: date) -> str:
        if self.whole_province:
            return f"关于{today.year}年{today.month}月经开区若干措施落实情况的督办通报"
        return f"{self.subject}{today.year}年{today.month}月督办任务进展情况"

    @property
    def note(self) -> str:
        return "" if self.whole_province else f"本材料仅含{self.subject}承担的任务，不反映全省情况。"

    @property
    def request(self) -> str:
        if self.whole_province:
            return "请各责任单位对照任务清单，对滞后和逾期事项逐项说明原因、明确整改时限，于下月5日前报送进展。"
        return "请对照任务清单，对滞后和逾期事项逐项说明原因、明确整改时限，于下月5日前报送进展。"


PROVINCE_COVERAGE = BulletinCoverage("甘肃省商务厅", "全省", "分解落实", whole_province=True)


def bulletin_coverage(user: Any) -> BulletinCoverage:
    """The coverage of the user's 督办通报: the province's (every task) or its unit's (`task_list` scope)."""
    scope = user.scope
    if scope.unit_ids is None:
        return PROVINCE_COVERAGE
    name = user.org_unit.name if user.org_unit_id else "本单位"
    subject = f"{name}及所辖园区" if scope.kind == "city" else name
    return BulletinCoverage(name, subject, "承担督办", whole_province=False)


# --------------------------------------------------------------------------------------------- dashboard

@dataclass(frozen=True)
class StatusCounts:
    """A line of a count table: tasks of one part / measure / unit / zone by status."""

    key: str
    label: str
    counts: tuple[int, ...]  # in STATUSES order

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Dashboard:
    statuses: tuple[str, ...]
    totals: tuple[tuple[str, int], ...]
    by_part: tuple[StatusCounts, ...]
    by_measure: tuple[StatusCounts, ...]
    by_owner: tuple[StatusCounts, ...]
    by_zone: tuple[StatusCounts, ...]
    warnings: tuple[TaskRow, ...]  # deadlines or milestones ahead (预警)
    overdue: tuple[TaskRow, ...]  # 催办

    def chart_rows(self) -> list[dict[str, Any]]:
        """The per-measure counts for the chart (JSON)."""
        return [{"label": r.label, "counts": list(r.counts)} for r in self.by_measure]


def _counts(counter: Counter[tuple[str, str]], keys: Iterable[tuple[str, str]]) -> tuple[StatusCounts, ...]:
    return tuple(StatusCounts(key, label, tuple(counter[(key, s)] for s in STATUSES)) for key, label in keys)


def _measure_no(task: Task) -> int:
    return int(task.item_code.split(".")[0])


def dashboard(user: Any, today: date) -> Dashboard:
    rows = task_rows(task_list(user), today)
    catalogue = load_catalogue()
    part_of = {m.no: p for p in catalogue.parts for m in p.measures}
    by: dict[str, Counter[tuple[str, str]]] = {k: Counter() for k in ("part", "measure", "owner", "zone")}
    for row in rows:
        no = _measure_no(row.task)
        if no in part_of:
            by["part"][(part_of[no].title, row.status)] += 1
        by["measure"][(str(no), row.status)] += 1
        by["owner"][(row.task.owner.name, row.status)] += 1
        by["zone"][(row.task.zone.name if row.task.zone else "全省", row.status)] += 1
    owners = sorted({k for k, _ in by["owner"]})
    zones = sorted({k for k, _ in by["zone"]})
    return Dashboard(
        statuses=STATUSES,
        totals=tuple((s, sum(r.status == s for r in rows)) for s in STATUSES),
        by_part=_counts(by["part"], [(p.title, p.title) for p in catalogue.parts]),
        by_measure=_counts(by["measure"], [(str(m.no), f"{m.label}{m.title}") for m in catalogue.measures]),
        by_owner=_counts(by["owner"], [(k, k) for k in owners]),
        by_zone=_counts(by["zone"], [(k, k) for k in zones]),
        warnings=tuple(r for r in rows if due_soon(r)),
        overdue=tuple(r for r in rows if r.status == OVERDUE),
    )


# --------------------------------------------------------------------------------------------- catalogue

@dataclass(frozen=True)
class ItemStatus:
    item: Item
    counts: tuple[int, ...]  # tasks of the item by status, in STATUSES order


@dataclass(frozen=True)
class MeasureStatus:
    measure: Measure
    items: tuple[ItemStatus, ...]


@dataclass(frozen=True)
class PartStatus:
    part: Part
    measures: tuple[MeasureStatus, ...]


def catalogue_status(user: Any, today: date) -> list[PartStatus]:
    """The policy as parts → measures → items, each item with its tasks' statuses."""
    by_item: dict[str, Counter[str]] = defaultdict(Counter)
    for row in task_rows(task_list(user), today):
        by_item[row.task.item_code][row.status] += 1
    return [PartStatus(part, tuple(
        MeasureStatus(m, tuple(ItemStatus(i, tuple(by_item[i.code][s] for s in STATUSES)) for i in m.items))
        for m in part.measures)) for part in load_catalogue().parts]


# ------------------------------------------------------------------------------------------ item, task

@dataclass(frozen=True)
class ItemPage:
    item: Item
    zones: tuple[str, ...]  # the names of what the item's codes stand for
    indicators: tuple[str, ...]
    functions: tuple[str, ...]  # the platform functions that serve the item
    rows: list[TaskRow]
    events: list[ReportEvent]  # the latest transitions of the item's reports


def item_page(user: Any, code: str, today: date) -> ItemPage:
    item = get_item(code)
    tasks = task_list(user).filter(item_code=code)
    events = list(ReportEvent.objects.filter(report__task__in=tasks)
                  .select_related("report__task__owner", "user").order_by("-at", "-id")[:50])
    zones = dict(Zone.objects.filter(code__in=item.zones).values_list("code", "name"))
    indicators = dict(Indicator.objects.filter(key__in=item.indicators).values_list("key", "name"))
    functions = load_catalogue().capabilities
    return ItemPage(item, tuple(zones.get(c, c) for c in item.zones),
                    tuple(indicators.get(k, k) for k in item.indicators),
                    tuple(functions.get(k, {}).get("name") or k for k in item.capabilities),
                    task_rows(tasks, today), events)


def assignable_units() -> QuerySet[OrgUnit]:
    """The units a task can be given to: the province, its departments and the zone committees."""
    return OrgUnit.objects.filter(kind__in=ASSIGNABLE_KINDS).order_by("kind", "code")


def target_indicators(item: Item) -> QuerySet[Indicator]:
    """The indicators a task of the item can target: the item's own, else every indicator."""
    own = Indicator.objects.filter(key__in=item.indicators)
    return own if item.indicators and own.exists() else Indicator.objects.all()


@dataclass(frozen=True)
class ReportView:
    report: ProgressReport
    actions: tuple[tuple[str, str], ...]  # (action, button label) the user may take now


@dataclass(frozen=True)
class TaskPage:
    task: Task
    row: TaskRow
    item: Item | None
    reports: tuple[ReportView, ...]


def task_page(user: Any, task_id: int, today: date) -> TaskPage:
    """A task of the user's scope (404 outside it) with its status, reports, history and the user's actions."""
    rows = task_rows(task_list(user).filter(pk=task_id), today)
    if not rows:
        raise Http404("没有这项任务")
    row = rows[0]
    task = row.task
    item = next((i for i in load_catalogue().items if i.code == task.item_code), None)
    reports = (task.reports.select_related("author", "task__owner")
               .prefetch_related(Prefetch("events", queryset=ReportEvent.objects.select_related("user"))))
    views = tuple(ReportView(r, tuple((t.action, t.label) for t in REPORT_FLOW.allowed(user, r))) for r in reports)
    return TaskPage(task, row, item, views)


def confirm_preview(report: ProgressReport) -> list[tuple[str, str]]:
    """What 确认 makes final, for the confirmation page: the report as the province will confirm it."""
    task = report.task
    return [("任务", task.title), ("措施事项", task.item_code), ("责任单位", task.owner.name),
            ("报告期", report.period), ("完成进度", f"{report.progress:g}%"),
            ("申请办结", "是：确认后任务办结" if report.completes_task else "否"), ("进展情况", report.text),
            ("附件", report.attachment_name or ("有" if report.attachment else "无"))]
