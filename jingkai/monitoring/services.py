"""Writes of the reporting cycle: a zone submits (with data-quality checks), 省商务厅 reviews, drafts a
bulletin from reviewed figures only, reviews it and publishes it. Each checks its capability itself; the
review steps run through the shared workflow helper (row lock, separation of duties, audit)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jingkai.accounts import authz
from jingkai.audit.services import record
from jingkai.monitoring import capabilities as caps
from jingkai.monitoring.bulletin import build_bulletin, bulletin_title, document_number
from jingkai.monitoring.models import Bulletin, ReportingCalendar, Submission
from jingkai.monitoring.selectors import bulletin_data, quality_check, submission_label, visible_submissions
from jingkai.monitoring.workflows import (
    APPROVE,
    BULLETIN_FLOW,
    PUBLISH,
    RETURN,
    REVIEW_BULLETIN,
    SUBMISSION_FLOW,
    WITHDRAW,
    batch_refusal,
)
from jingkai.zones.models import Zone

M = TypeVar("M", Submission, Bulletin)


def _sync(target: M, moved: M, *fields: str) -> M:
    """The caller's instance follows the row the workflow moved (it worked on a locked, re-read copy)."""
    for name in fields:
        setattr(target, name, getattr(moved, name))
    return target


@transaction.atomic
def submit(user: Any, calendar: ReportingCalendar, zone: Zone, period: str) -> Submission:
    """A zone (or its city) reports a period; a returned report may be submitted again, an approved one not."""
    authz.require(user, caps.SUBMIT)
    if not user.scope.can_write_zone(zone.id):
        raise PermissionDenied(f"您无权报送{zone.name}的数据")
    existing = (Submission.objects.select_for_update()
                .filter(calendar=calendar, zone=zone, period=period).first())
    if existing and existing.state == Submission.State.APPROVED:
        raise ValidationError(f"{zone.name} {period} 已审核，不能重复报送")
    violations = quality_check(calendar, zone, period)
    submission, _ = Submission.objects.update_or_create(
        calendar=calendar, zone=zone, period=period,
        defaults={"state": Submission.State.SUBMITTED, "submitted_at": timezone.now(), "submitted_by": user,
                  "violations": violations, "comment": "", "reviewed_at": None, "reviewed_by": None})
    record(user, "submit", "monitoring.Submission", f"{zone.code}/{period}",
           before={"state": existing.state} if existing else None,
           after={"state": Submission.State.SUBMITTED.value, "violations": len(violations)})
    return submission


def review(user: Any, submission: Submission, approve: bool, comment: str = "") -> Submission:
    """省商务厅 reviews: errors block approval; warnings need a comment; a return needs one too.
    The reviewer is never the submitter (unless JINGKAI_ALLOW_SELF_APPROVAL)."""
    moved = SUBMISSION_FLOW.apply(user, submission, APPROVE if approve else RETURN, comment)
    return _sync(submission, moved, "state", "reviewed_at", "reviewed_by", "comment")


def withdraw(user: Any, submission: Submission, reason: str) -> Submission:
    """撤回: the zone (or its city) takes back its report while it awaits review, with a reason; it counts as not
    reported until submitted again. A reviewed report cannot be withdrawn (approved data stays approved: a figure
    changes through a 更正申请; a returned one is already open)."""
    moved = SUBMISSION_FLOW.apply(user, submission, WITHDRAW, reason)
    return _sync(submission, moved, "state", "reviewed_at", "reviewed_by", "comment")


@dataclass(frozen=True)
class BatchOutcome:
    submission_id: int
    label: str  # 兰州经济技术开发区 2026年1—10月
    approved: bool
    message: str  # why it was not approved ("" when it was)


def approve_batch(user: Any, confirmed: Mapping[int, datetime]) -> list[BatchOutcome]:
    """批量审核通过 of the reports the reviewer confirmed (id → the 报送时间 shown on the confirmation).

    Each goes through the same transition as one approved alone (capability, separation of duties, row lock,
    audit), in its own transaction: a refused one stays as it was, the others are approved. Refused: one with
    warnings or errors (it needs a review and an opinion of its own), one outside the user's scope, one already
    reviewed or withdrawn, one submitted again since the confirmation (what was confirmed is not what it holds)."""
    authz.require(user, caps.REVIEW)
    outcomes = []
    for pk, stamp in confirmed.items():
        label = f"报送（编号 {pk}）"
        try:
            with transaction.atomic():
                submission = visible_submissions(user).select_for_update().filter(pk=pk).first()
                if submission is None:
                    raise ValidationError("未找到该报送，或不在您的审核范围内")
                label = submission_label(submission)
                if submission.submitted_at != stamp:
                    raise ValidationError("确认后该报送已重新报送，请重新核对后再审核")
                refusal = batch_refusal(user, submission)
                if refusal:
                    raise ValidationError(refusal)
                review(user, submission, approve=True)
            outcomes.append(BatchOutcome(pk, label, True, ""))
        except (ValidationError, PermissionDenied) as error:
            message = " ".join(getattr(error, "messages", None) or [str(error)])
            outcomes.append(BatchOutcome(pk, label, False, message))
    return outcomes


@transaction.atomic
def draft_bulletin(user: Any, calendar: ReportingCalendar, period: str, today: date | None = None,
                   number: str | None = None) -> Bulletin:
    """A draft of `period`'s bulletin dated `today` (its 成文日期; 报送情况 as of that day), 发文字号 `number`.
    One unpublished bulletin per period: a second draft while one awaits review or publication is refused
    (the calendar row is locked, so two clicks at once make one draft)."""
    authz.require(user, caps.DRAFT_BULLETIN)
    data = bulletin_data(calendar, period, today or timezone.localdate())
    data.document_number = document_number(number)
    document = build_bulletin(data)
    with transaction.atomic():
        ReportingCalendar.objects.select_for_update().filter(pk=calendar.pk).first()
        pending = Bulletin.objects.filter(period=period).exclude(state=Bulletin.State.PUBLISHED).first()
        if pending is not None:
            raise ValidationError(f"{period} 的通报已有一份{pending.get_state_display()}（未发布），"
                                  "请先审核、发布该份，不能再起草第二份")
        bulletin = Bulletin.objects.create(period=period, document=document, created_by=user,
                                           sha256=hashlib.sha256(document).hexdigest(), title=bulletin_title(period, data.title),
                                           number=data.document_number or "", issue_date=data.issue_date)
        record(user, "create", "monitoring.Bulletin", str(bulletin.pk),
               after={"period": period, "sha256": bulletin.sha256, "document_number": data.document_number or "",
                      "issue_date": data.issue_date.isoformat()})
    return bulletin


def advance_bulletin(user: Any, bulletin: Bulletin, action: str | None = None) -> Bulletin:
    """草稿 → 已审核 (`review`, not by its drafter) → 已发布 (`publish`); a published bulletin never changes.
    Pages name the action, so that a second click finds the bulletin moved and is refused; without one the
    next step from the state the caller read is taken."""
    authz.require(user, caps.PUBLISH_BULLETIN)
    if bulletin.state == Bulletin.State.PUBLISHED:
        raise ValidationError("通报已发布，不能再修改")
    if action is None:
        action = REVIEW_BULLETIN if bulletin.state == Bulletin.State.DRAFT else PUBLISH
    return _sync(bulletin, BULLETIN_FLOW.apply(user, bulletin, action), "state", "published_at")
