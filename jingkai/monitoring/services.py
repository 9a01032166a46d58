"""The reporting cycle: due dates and statuses, submission with data-quality checks, review, and
bulletins built only from reviewed figures."""

import hashlib
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jingkai.audit.services import record
from jingkai.engines.monitoring import check, derive, to_records
from jingkai.monitoring.bulletin import BulletinData, build_bulletin
from jingkai.monitoring.models import Bulletin, ReportingCalendar, Submission
from jingkai.zones.models import IndicatorValue, Zone
from jingkai.zones.periods import parse_period

NOT_REPORTED, OVERDUE = "未报", "逾期"
BULLETIN_INDICATORS = ["industrial_output", "fixed_asset_investment", "trade_total", "fdi_actual_usd", "tax_revenue"]


def due_date(calendar: ReportingCalendar, period: str) -> date:
    """The day a period's report is due: `due_day` of the month after the period ends."""
    p = parse_period(period)
    last_month = p.month or (p.quarter * 3 if p.quarter else 12)
    year, month = (p.year + 1, 1) if last_month == 12 else (p.year, last_month + 1)
    return date(year, month, min(calendar.due_day, 28))


def status(calendar: ReportingCalendar, period: str, submission: Submission | None, today: date) -> str:
    if submission is not None:
        return submission.get_state_display()
    return OVERDUE if today > due_date(calendar, period) else NOT_REPORTED


def status_matrix(calendar: ReportingCalendar, zones, periods: list[str], today: date) -> list[dict]:
    found = {(s.zone_id, s.period): s for s in Submission.objects.filter(calendar=calendar, period__in=periods)}
    return [{"zone": zone, "cells": [(period, status(calendar, period, found.get((zone.id, period)), today),
                                      found.get((zone.id, period))) for period in periods]}
            for zone in zones]


def indicator_rows(calendar: ReportingCalendar, zone_ids, years: set[int], approved_only: bool) -> list[dict]:
    values = IndicatorValue.objects.filter(
        indicator__in=calendar.indicators.all(), zone_id__in=zone_ids,
        period__regex=r"^(" + "|".join(str(y) for y in sorted(years)) + r")-\d\d$",
    ).values_list("zone__code", "zone_id", "period", "indicator__key", "value")
    approved = None
    if approved_only:
        approved = set(Submission.objects.filter(calendar=calendar, state=Submission.State.APPROVED)
                       .values_list("zone_id", "period"))
    return [{"zone_code": code, "period": period, "indicator": key, "value": value}
            for code, zone_id, period, key, value in values
            if approved is None or (zone_id, period) in approved]


def quality_check(calendar: ReportingCalendar, zone: Zone, period: str) -> list[dict]:
    """The data-quality rules on a zone's period, with its own history and its peers' for comparison."""
    year = parse_period(period).year
    peers = list(calendar.zones.values_list("id", flat=True))
    rows = [r for r in indicator_rows(calendar, peers, {year - 1, year}, approved_only=False)
            if r["period"] <= period]
    expected = [{"zone_code": zone.code, "period": period, "indicator": i.key} for i in calendar.indicators.all()]
    found = check(rows, expected=expected).to_dicts()
    return [v for v in found if v["zone_code"] == zone.code and v["period"] == period]


@transaction.atomic
def submit(user, calendar: ReportingCalendar, zone: Zone, period: str) -> Submission:
    if not user.scope.can_write_zone(zone.id):
        raise PermissionDenied(f"无权报送{zone.name}的数据")
    existing = Submission.objects.filter(calendar=calendar, zone=zone, period=period).first()
    if existing and existing.state == Submission.State.APPROVED:
        raise ValidationError(f"{zone.name} {period} 已审核，不能重复报送")
    violations = quality_check(calendar, zone, period)
    submission, _ = Submission.objects.update_or_create(
        calendar=calendar, zone=zone, period=period,
        defaults={"state": Submission.State.SUBMITTED, "submitted_at": timezone.now(), "submitted_by": user,
                  "violations": violations, "comment": "", "reviewed_at": None, "reviewed_by": None})
    record(user, "submit", "monitoring.Submission", f"{zone.code}/{period}",
           before={"state": existing.state} if existing else None, after={"state": "submitted",
                                                                          "violations": len(violations)})
    return submission


@transaction.atomic
def review(user, submission: Submission, approve: bool, comment: str = "") -> Submission:
    """省商务厅 reviews: errors block approval; warnings need a comment; a return needs one too."""
    if user.scope.kind != "province":
        raise PermissionDenied("只有省商务厅可以审核报送数据")
    if submission.state != Submission.State.SUBMITTED:
        raise ValidationError(f"当前状态“{submission.get_state_display()}”不能审核")
    errors = [v for v in submission.violations if v["severity"] == "error"]
    warnings = [v for v in submission.violations if v["severity"] == "warning"]
    if approve and errors:
        raise ValidationError(f"存在 {len(errors)} 项错误（{errors[0]['message']}），不能审核通过，请退回修改")
    if (warnings and approve or not approve) and not comment.strip():
        raise ValidationError("存在预警的数据审核通过时须填写说明；退回时须填写退回意见")
    before = submission.state
    submission.state = Submission.State.APPROVED if approve else Submission.State.RETURNED
    submission.reviewed_at, submission.reviewed_by, submission.comment = timezone.now(), user, comment
    submission.save()
    record(user, "approve" if approve else "return", "monitoring.Submission",
           f"{submission.zone.code}/{submission.period}", before={"state": before},
           after={"state": submission.state, "comment": comment})
    return submission


def bulletin_data(calendar: ReportingCalendar, period: str, today: date) -> BulletinData:
    """Derived figures of the reviewed data only: unreviewed figures do not count."""
    year = parse_period(period).year
    zones = list(calendar.zones.order_by("code"))
    rows = indicator_rows(calendar, [z.id for z in zones], {year - 1, year}, approved_only=True)
    derived = to_records(derive(rows)) if rows else []
    found = {s.zone_id: s for s in Submission.objects.filter(calendar=calendar, period=period)}
    due = due_date(calendar, period)
    late = [z.code for z in zones if z.id in found and found[z.id].submitted_at.date() > due]
    missing = [z.code for z in zones if z.id not in found or found[z.id].state != Submission.State.APPROVED]
    reported = set(calendar.indicators.values_list("key", flat=True))
    keys = [k for k in BULLETIN_INDICATORS if k in reported]
    return BulletinData(period=period, issuer="甘肃省商务厅", issue_date=today, rows=derived, indicators=keys,
                        zone_names={z.code: z.name for z in zones}, late_zones=late, missing_zones=missing)


@transaction.atomic
def draft_bulletin(user, calendar: ReportingCalendar, period: str, today: date | None = None) -> Bulletin:
    document = build_bulletin(bulletin_data(calendar, period, today or timezone.localdate()))
    bulletin = Bulletin.objects.create(period=period, document=document, created_by=user,
                                       sha256=hashlib.sha256(document).hexdigest())
    record(user, "create", "monitoring.Bulletin", str(bulletin.pk), after={"period": period, "sha256": bulletin.sha256})
    return bulletin


@transaction.atomic
def advance_bulletin(user, bulletin: Bulletin) -> Bulletin:
    """草稿 → 已审核 → 已发布; a published bulletin never changes."""
    if user.scope.kind != "province":
        raise PermissionDenied("只有省商务厅可以审核和发布通报")
    steps = {Bulletin.State.DRAFT: Bulletin.State.REVIEWED, Bulletin.State.REVIEWED: Bulletin.State.PUBLISHED}
    if bulletin.state not in steps:
        raise ValidationError("通报已发布，不能再修改")
    before = bulletin.state
    bulletin.state = steps[bulletin.state]
    if bulletin.state == Bulletin.State.PUBLISHED:
        bulletin.published_at = timezone.now()
    bulletin.save(update_fields=["state", "published_at"])
    record(user, "advance", "monitoring.Bulletin", str(bulletin.pk), before={"state": before},
           after={"state": bulletin.state})
    return bulletin


