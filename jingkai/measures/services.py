"""Writes in the 督办 register: tasks cut from action items, progress reports and their review workflow
(填报 → 部门/园区审核 → 省商务厅确认, with return for revision).

Every write checks its capability here (`measures.capabilities`) and leaves an audit entry; every
transition of a report also keeps a ReportEvent (the status history shown on the task page).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from jingkai.accounts import authz
from jingkai.accounts.models import OrgUnit
from jingkai.audit.services import record
from jingkai.measures import attachments
from jingkai.measures.capabilities import ASSIGN_TASKS, CONFIRM_REPORTS, REPORT_PROGRESS, REVIEW_REPORTS
from jingkai.measures.models import Milestone, ProgressReport, ReportEvent, Task
from jingkai.workflow import Transition, Workflow
from jingkai.zones.models import Indicator

State = ProgressReport.State
EDITABLE = frozenset({State.DRAFT, State.RETURNED})


def acts_for_owner(user: Any, report: ProgressReport) -> bool:
    """The user works for the task's owner unit (its own unit, or a unit below it)."""
    return bool(user.scope.acts_for(report.task.owner_id))


def _author(report: ProgressReport) -> set[int | None]:
    return {report.author_id}


def _record_event(user: Any, report: ProgressReport, before: str, after: str, comment: str) -> None:
    ReportEvent.objects.create(report=report, user=user, from_state=before, to_state=after, comment=comment)


def _may_return(user: Any, report: ProgressReport) -> bool:
    """The reviewer returns a submitted report; the province returns a reviewed one."""
    if report.state == State.SUBMITTED:
        return authz.has(user, REVIEW_REPORTS) and acts_for_owner(user, report)
    return authz.has(user, CONFIRM_REPORTS)


CONFIRM = "confirm"  # the province's final step (the page asks for confirmation first)
# Separation of duties: whoever wrote the report neither reviews, returns nor confirms it.
REPORT_FLOW: Workflow[ProgressReport] = Workflow(
    model=ProgressReport, audit_model="measures.ProgressReport", key=lambda r: f"{r.task_id}/{r.period}",
    lock_related=("task",),
    transitions=(
        Transition("submit", "提交审核", EDITABLE, State.SUBMITTED, REPORT_PROGRESS, may=acts_for_owner),
        Transition("approve", "审核通过", {State.SUBMITTED}, State.REVIEWED, REVIEW_REPORTS, may=acts_for_owner,
                   not_by=_author),
        Transition(CONFIRM, "确认", {State.REVIEWED}, State.CONFIRMED, CONFIRM_REPORTS, not_by=_author),
        Transition("return", "退回修改", {State.SUBMITTED, State.REVIEWED}, State.RETURNED, may=_may_return,
                   not_by=_author, comment_required=True, comment_message="退回时必须填写修改意见"),
    ),
    on_applied=_record_event,
)


def transition(user: Any, report: ProgressReport, action: str, comment: str = "") -> ProgressReport:
    """Move a report one step (locks the row: two clicks at once move it once)."""
    return REPORT_FLOW.apply(user, report, action, comment)


def action_label(action: str) -> str:
    return REPORT_FLOW.transition(action).label


def may_report(user: Any, task: Task) -> bool:
    """Whether the user files progress for the task: the capability, for a unit the user acts for."""
    return authz.has(user, REPORT_PROGRESS) and bool(user.scope.acts_for(task.owner_id))


@transaction.atomic
def save_draft(user: Any, *, task: Task, period: str, text: str, progress: float, completes_task: bool = False,
               attachment: UploadedFile | None = None) -> ProgressReport:
    """Create or edit the report of a period; only the owner unit, and only while it is theirs to edit."""
    authz.require(user, REPORT_PROGRESS)
    if not may_report(user, task):
        raise PermissionDenied(f"只有责任单位（{task.owner.name}）可以填报进展")
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": f"完成进度 {progress:g} 应在 0—100 之间"})
    report, created = ProgressReport.objects.select_for_update().get_or_create(
        task=task, period=period, defaults={"text": text, "progress": progress, "author": user,
                                            "completes_task": completes_task})
    if not created and report.state not in EDITABLE:
        raise ValidationError({"period": f"{period} 的报告已{report.get_state_display()}，不能再修改"})
    before = None if created else {"text": report.text, "progress": report.progress,
                                   "completes_task": report.completes_task, **_attachment_audit(report)}
    report.text, report.progress, report.completes_task = text, progress, completes_task
    if attachment is not None:
        try:
            attachments.validate(attachment)  # the form checks too; a service takes no file the rule refuses
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from error
        report.attachment_name, report.attachment_size = str(attachment.name), int(attachment.size or 0)
        report.attachment_sha256 = attachments.sha256(attachment)
        report.attachment.save(report.attachment_name, attachment, save=False)
    report.save()
    after = {"text": text, "progress": progress, "completes_task": completes_task, **_attachment_audit(report)}
    record(user, "create" if created else "update", "measures.ProgressReport", f"{task.id}/{period}",
           before=before, after=after)
    return report


def _attachment_audit(report: ProgressReport) -> dict[str, Any]:
    """The attachment a report holds, as its audit entry names it: original name, size in bytes, SHA-256."""
    if not report.attachment:
        return {}
    return {"attachment": {"name": report.attachment_name, "size": report.attachment_size,
                           "sha256": report.attachment_sha256}}


def parse_milestones(text: str) -> list[tuple[date, str]]:
    """One milestone a line: `2026-06-30 完成中期评估`."""
    milestones = []
    for n, line in enumerate(filter(None, (raw.strip() for raw in text.splitlines())), start=1):
        day, _, title = line.partition(" ")
        try:
            milestones.append((date.fromisoformat(day), title.strip() or "节点"))
        except ValueError as error:
            raise ValidationError(f"第{n}个节点“{line}”的日期应写作 YYYY-MM-DD") from error
    return milestones


@transaction.atomic
def create_tasks(user: Any, *, item_code: str, title: str, owners: Iterable[OrgUnit], start: date, deadline: date,
                 milestones: Sequence[tuple[date, str]] = (), target_indicator: Indicator | None = None,
                 target_value: float | None = None, target_period: str = "") -> list[Task]:
    """省商务厅 turns an action item into one task per owner unit (a department, or a zone committee,
    whose zone the task then concerns)."""
    authz.require(user, ASSIGN_TASKS)
    owners = list(owners)
    if not owners:
        raise ValidationError({"owners": "请至少选择一个责任单位"})
    if deadline < start:
        raise ValidationError({"deadline": f"完成时限 {deadline} 早于开始日期 {start}"})
    if (target_indicator is None) != (target_value is None):
        field = "target_value" if target_value is None else "target_indicator"
        raise ValidationError({field: "量化目标须同时填写指标和目标值"})
    tasks = []
    for owner in owners:
        task = Task.objects.create(item_code=item_code, title=title, owner=owner, zone=owner.zone, start=start,
                                   deadline=deadline, target_indicator=target_indicator, target_value=target_value,
                                   target_period=target_period, created_by=user)
        Milestone.objects.bulk_create([Milestone(task=task, title=t, due=d) for d, t in milestones])
        record(user, "create", "measures.Task", str(task.pk), after={
            "item": item_code, "title": title, "owner": owner.code, "deadline": str(deadline),
            "milestones": [[str(d), t] for d, t in milestones], "target": target_value})
        tasks.append(task)
    return tasks


@transaction.atomic
def raise_supervision(*, item_code: str, title: str, owner_id: int, zone_id: int | None, start: date,
                      deadline: date) -> int:
    """A 督办 task raised by a rule of another domain (extension point `measures.raise_supervision`), not by a
    person: no capability to check; audited as the system's. Returns the task's id."""
    task = Task.objects.create(item_code=item_code, title=title[:300], owner_id=owner_id, zone_id=zone_id,
                               start=start, deadline=deadline)
    record(None, "create", "measures.Task", str(task.pk), after={
        "item": item_code, "title": title, "owner": owner_id, "deadline": str(deadline), "raised_by_rule": True})
    return task.pk
