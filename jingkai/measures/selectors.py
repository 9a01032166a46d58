from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from jingkai.engines.supervision import TaskFacts, Verdict, assess
from jingkai.measures.models import ProgressReport, Task
from jingkai.zones.models import IndicatorValue


def task_list(user) -> QuerySet[Task]:
    """Province: every task; others: the tasks their unit owns (a city also its zones' tasks)."""
    tasks = Task.objects.select_related("owner", "zone", "target_indicator")
    scope = user.scope
    if scope.kind == "province":
        return tasks
    if scope.kind == "city":
        return tasks.filter(owner__parent=user.org_unit) | tasks.filter(owner=user.org_unit)
    if user.org_unit_id is None:
        return tasks.none()
    return tasks.filter(owner=user.org_unit)


def task_facts(task: Task) -> TaskFacts:
    confirmed = [r for r in task.reports.all() if r.state == ProgressReport.State.CONFIRMED]
    latest = max(confirmed, key=lambda r: r.period, default=None)
    completed_on = None
    for report in confirmed:
        if report.completes_task:
            confirmed_at = [e.at for e in report.events.all() if e.to_state == ProgressReport.State.CONFIRMED]
            completed_on = max(confirmed_at).date() if confirmed_at else None
    actual = None
    if task.target_indicator_id and task.zone_id:
        values = IndicatorValue.objects.filter(zone_id=task.zone_id, indicator_id=task.target_indicator_id)
        if task.target_period:
            values = values.filter(period=task.target_period)
        found = values.order_by("-period").first()
        actual = found.value if found else None
    return TaskFacts(
        start=task.start, deadline=task.deadline,
        milestones=[(m.due, m.done_on) for m in task.milestones.all()],
        progress=latest.progress if latest else None, completed_on=completed_on,
        target_value=task.target_value, actual_value=actual,
        target_direction=task.target_indicator.direction if task.target_indicator_id else 1,
    )


def task_verdict(task: Task, today: date | None = None) -> Verdict:
    return assess(task_facts(task), today or date.today())


@dataclass
class TaskRow:
    task: Task
    status: str
    reasons: list[str]
    warnings: list[str]
    progress: float | None


def task_rows(tasks, today: date) -> list[TaskRow]:
    """Every task with its computed status, in register order."""
    tasks = tasks.prefetch_related("milestones", "reports__events") if isinstance(tasks, QuerySet) else tasks
    rows = []
    for task in tasks:
        facts = task_facts(task)
        verdict = assess(facts, today)
        rows.append(TaskRow(task, verdict.status, verdict.reasons, verdict.warnings, facts.progress))
    return rows
