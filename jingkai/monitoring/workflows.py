"""The two approval flows of the reporting cycle, on the shared helper (`jingkai.workflow`).

- A submission: 已报 → 已审核 (errors block it; warnings need a comment) or → 退回 (always with a comment).
  The reviewer is never the submitter. While it awaits review, its zone (or city) may 撤回 it with a reason
  (→ 已撤回: counts as not reported, may be submitted again). Nothing leaves 已审核: approved data stays approved,
  a reviewer cannot take an approval back, and a figure changes only through a 更正申请.
- A bulletin: 草稿 → 已审核 → 已发布; a published bulletin never changes. The reviewer of a draft is not the
  person who drafted it.

Separation of duties gives way only to `settings.JINGKAI_ALLOW_SELF_APPROVAL` (a one-person office).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from jingkai.monitoring import capabilities as caps
from jingkai.monitoring.models import Bulletin, CorrectionRequest, Submission
from jingkai.workflow import Transition, Workflow

APPROVE, RETURN, WITHDRAW = "approve", "return", "withdraw"
REVIEW_ACTIONS = (APPROVE, RETURN)  # the reviewer's decisions (withdrawing is the zone's own step)
REVIEW_BULLETIN, PUBLISH = "review", "publish"


def errors_of(submission: Submission) -> list[dict[str, Any]]:
    return [v for v in submission.violations if v.get("severity") == "error"]


def warnings_of(submission: Submission) -> list[dict[str, Any]]:
    return [v for v in submission.violations if v.get("severity") == "warning"]


def batch_refusal(user: Any, submission: Submission) -> str:
    """Why `user` may not approve `submission` in a batch (批量审核), "" when they may: it must await review, be
    theirs to approve, and carry no quality finding — errors are returned, warnings need an opinion of their own."""
    if submission.state != Submission.State.SUBMITTED:
        return f"当前状态为“{submission.get_state_display()}”，不能审核通过"
    if APPROVE not in SUBMISSION_FLOW.allowed_actions(user, submission):
        if submission.submitted_by_id == user.pk:
            return "本人报送的数据须由其他人员审核"
        return "您无权审核此报送"
    errors, warnings = errors_of(submission), warnings_of(submission)
    if errors:
        return f"存在 {len(errors)} 项错误，不能审核通过，须逐份审核后退回"
    if warnings:
        return f"存在 {len(warnings)} 项预警，须逐份审核并填写审核意见"
    return ""


def _approvable(submission: Submission, comment: str) -> None:
    errors = errors_of(submission)
    if errors:
        raise ValidationError(f"存在 {len(errors)} 项错误（{errors[0]['message']}），不能审核通过，请退回修改")
    warnings = warnings_of(submission)
    if warnings and not comment:
        raise ValidationError(f"存在 {len(warnings)} 项预警（{warnings[0]['message']}），审核通过时须在审核意见中说明")


def _reviewed(user: Any, submission: Submission, comment: str) -> dict[str, Any]:
    submission.reviewed_at, submission.reviewed_by, submission.comment = timezone.now(), user, comment
    return {"comment": comment}


def _submitter(submission: Submission) -> set[int | None]:
    return {submission.submitted_by_id}


def _own_zone(user: Any, submission: Submission) -> bool:
    """Only the zone itself (or its city) withdraws its report."""
    return bool(user.scope.can_write_zone(submission.zone_id))


def _withdrawn(user: Any, submission: Submission, reason: str) -> dict[str, Any]:
    """The reason is kept on the report (shown as 撤回原因) until it is submitted again; the audit has it too."""
    submission.comment, submission.reviewed_at, submission.reviewed_by = reason, None, None
    return {}


SUBMISSION_FLOW: Workflow[Submission] = Workflow(
    model=Submission, audit_model="monitoring.Submission", key=lambda s: f"{s.zone.code}/{s.period}",
    lock_related=("zone",),
    transitions=(
        Transition(APPROVE, "审核通过", {Submission.State.SUBMITTED}, Submission.State.APPROVED, caps.REVIEW,
                   not_by=_submitter, check=_approvable, effect=_reviewed),
        Transition(RETURN, "退回", {Submission.State.SUBMITTED}, Submission.State.RETURNED, caps.REVIEW,
                   not_by=_submitter, comment_required=True, comment_message="退回时须在审核意见中写明退回原因",
                   effect=_reviewed),
        Transition(WITHDRAW, "撤回", {Submission.State.SUBMITTED}, Submission.State.WITHDRAWN, caps.SUBMIT,
                   may=_own_zone, comment_required=True, comment_message="撤回时须写明撤回原因",
                   effect=_withdrawn),
    ),
)


def _published(user: Any, bulletin: Bulletin, comment: str) -> dict[str, Any]:
    bulletin.published_at = timezone.now()
    return {"published_at": bulletin.published_at.isoformat()}


BULLETIN_FLOW: Workflow[Bulletin] = Workflow(
    model=Bulletin, audit_model="monitoring.Bulletin", key=lambda b: str(b.pk),
    transitions=(
        Transition(REVIEW_BULLETIN, "审核", {Bulletin.State.DRAFT}, Bulletin.State.REVIEWED, caps.PUBLISH_BULLETIN,
                   not_by=lambda b: {b.created_by_id}),
        Transition(PUBLISH, "发布", {Bulletin.State.REVIEWED}, Bulletin.State.PUBLISHED, caps.PUBLISH_BULLETIN,
                   effect=_published),
    ),
)


def _corrected(user: Any, correction: CorrectionRequest, comment: str) -> dict[str, Any]:
    """Write the corrected value through the intake (its checks, its audit of before and after); any refusal
    there undoes the approval."""
    from jingkai.monitoring.corrections import apply_correction

    correction.reviewed_at, correction.reviewed_by, correction.comment = timezone.now(), user, comment
    before = apply_correction(user, correction)
    return {"indicator": correction.indicator.key, "before": before, "value": correction.new_value}


def _rejected(user: Any, correction: CorrectionRequest, comment: str) -> dict[str, Any]:
    correction.reviewed_at, correction.reviewed_by, correction.comment = timezone.now(), user, comment
    return {}


CORRECTION_FLOW: Workflow[CorrectionRequest] = Workflow(
    model=CorrectionRequest, audit_model="monitoring.CorrectionRequest",
    key=lambda c: f"{c.submission.zone.code}/{c.submission.period}/{c.indicator.key}",
    lock_related=("submission", "submission__zone", "indicator"),
    transitions=(
        Transition(APPROVE, "同意更正", {CorrectionRequest.State.PENDING}, CorrectionRequest.State.APPROVED,
                   caps.REVIEW, not_by=lambda c: {c.requested_by_id}, effect=_corrected),
        Transition(RETURN, "不同意更正", {CorrectionRequest.State.PENDING}, CorrectionRequest.State.REJECTED,
                   caps.REVIEW, not_by=lambda c: {c.requested_by_id}, comment_required=True,
                   comment_message="不同意更正时须在审核意见中写明理由", effect=_rejected),
    ),
)
