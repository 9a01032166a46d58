"""The review workflow of progress reports: 填报 → 部门/园区审核 → 省商务厅确认, with return for revision.

Every transition keeps a ReportEvent (the status history) and an audit entry.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingkai.audit.services import record
from jingkai.measures.models import Milestone, ProgressReport, ReportEvent, Task

State = ProgressReport.State

# (from states, to state) → who may do it
_TRANSITIONS = {
    "submit": ({State.DRAFT, State.RETURNED}, State.SUBMITTED),
    "approve": ({State.SUBMITTED}, State.REVIEWED),
    "confirm": ({State.REVIEWED}, State.CONFIRMED),
    "return": ({State.SUBMITTED, State.REVIEWED}, State.RETURNED),
}


def _is_owner(user, report: ProgressReport) -> bool:
    return user.org_unit_id is not None and user.org_unit_id == report.task.owner_id


def _is_reviewer(user, report: ProgressReport) -> bool:
    return _is_owner(user, report) and user.has_perm("measures.review_progressreport")


def allowed_actions(user, report: ProgressReport) -> list[str]:
    province = user.scope.kind == "province"
    actions = []
    if report.state in _TRANSITIONS["submit"][0] and _is_owner(user, report):
        actions.append("submit")
    if report.state == State.SUBMITTED and _is_reviewer(user, report):
        actions += ["approve", "return"]
    if report.state == State.REVIEWED and province:
        actions += ["confirm", "return"]
    return actions


@transaction.atomic
def transition(user, report: ProgressReport, action: str, comment: str = "") -> ProgressReport:
    report = ProgressReport.objects.select_for_update().select_related("task").get(pk=report.pk)
    if action not in allowed_actions(user, report):
        raise PermissionDenied(f"当前状态“{report.get_state_display()}”下您无权执行此操作")
    if action == "return" and not comment.strip():
        raise ValidationError("退回时必须填写修改意见")
    before = report.state
    report.state = _TRANSITIONS[action][1]
    report.save(update_fields=["state", "updated_at"])
    ReportEvent.objects.create(report=report, user=user, from_state=before, to_state=report.state, comment=comment)
    record(user, action, "measures.ProgressReport", f"{report.task_id}/{report.period}",
           before={"state": before}, after={"state": report.state, "comment": comment})
    return report


@transaction.atomic
def save_draft(user, task, period: str, text: str, progress: float, completes_task: bool = False,
               attachment=None) -> ProgressReport:
    """Create or edit the report of a period; only the owner unit, and only while it is theirs to edit."""
    if user.org_unit_id != task.owner_id:
        raise PermissionDenied("只有责任单位可以填报进展")
    if not 0 <= progress <= 100:
        raise ValidationError(f"完成进度 {progress} 应在 0—100 之间")
    report, created = ProgressReport.objects.get_or_create(
        task=task, period=period, defaults={"text": text, "progress": progress, "author": user,
                                            "completes_task": completes_task})
    if not created and report.state not in {State.DRAFT, State.RETURNED}:
        raise ValidationError(f"{period} 的报告已{report.get_state_display()}，不能再修改")
    before = None if created else {"text": report.text, "progress": report.progress}
    report.text, report.progress, report.completes_task = text, progress, completes_task
    if attachment is not None:
        report.attachment = attachment
    report.save()
    record(user, "create" if created else "update", "measures.ProgressReport", f"{task.id}/{period}",
           before=before, after={"text": text, "progress": progress, "completes_task": completes_task})
    return report


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
def create_tasks(user, item_code: str, title: str, owners, start: date, deadline: date,
                 milestones: list[tuple[date, str]] = (), target_indicator=None, target_value=None,
                 target_period: str = "") -> list[Task]:
    """省商务厅 turns an action item into one task per owner unit (a department, or a zone committee,
    whose zone the task then concerns)."""
    if user.scope.kind != "province":
        raise PermissionDenied("只有省商务厅可以分解下达任务")
    if deadline < start:
        raise ValidationError(f"完成时限 {deadline} 早于开始日期 {start}")
    if (target_indicator is None) != (target_value is None):
        raise ValidationError("量化目标须同时填写指标和目标值")
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
