"""Writes of the reporting cycle: a zone submits (with data-quality checks), 省商务厅 reviews, drafts a
bulletin from reviewed figures only, reviews it and publishes it. Each checks its capability itself; the
review steps run through the shared workflow helper (row lock, separation of duties, audit)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jingkai.accounts import authz
from jingkai.audit.services import record
from jingkai.monitoring import capabilities as caps
from jingkai.monitoring.bulletin import build_bulletin, document_number
from jingkai.monitoring.models import Bulletin, ReportingCalendar, Submission
from jingkai.monitoring.selectors import bulletin_data, quality_check
from jingkai.monitoring.workflows import (
    APPROVE,
    BULLETIN_FLOW,
    PUBLISH,
    RETURN,
    REVIEW_BULLETIN,
    SUBMISSION_FLOW,
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


@transaction.atomic
def draft_bulletin(user: Any, calendar: ReportingCalendar, period: str, today: date | None = None,
                   number: str | None = None) -> Bulletin:
    """A draft of `period`'s bulletin dated `today` (its 成文日期; 报送情况 as of that day), 发文字号 `number`."""
    authz.require(user, caps.DRAFT_BULLETIN)
    data = bulletin_data(calendar, period, today or timezone.localdate())
    data.document_number = document_number(number)
    document = build_bulletin(data)
    bulletin = Bulletin.objects.create(period=period, document=document, created_by=user,
                                       sha256=hashlib.sha256(document).hexdigest())
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
