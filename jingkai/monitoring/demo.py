"""Demo reporting cycle: the monthly calendar for Gansu's zones, past months reviewed, the latest month
in every state (reviewed, submitted, returned, not reported), and a draft bulletin of the latest reviewed
month written by 省商务厅's clerk (demo-province-clerk), so that demo-admin — not its author — can review and
publish it. Reports are submitted by the zones' own accounts where they have one, never by a reviewer."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
from django.db.models import F
from django.utils import timezone

from jingkai.accounts.models import OrgUnit, User
from jingkai.monitoring.bulletin import MissingCJKFont
from jingkai.monitoring.corrections import request_correction, review_correction
from jingkai.monitoring.models import Bulletin, ReportingCalendar, Submission
from jingkai.monitoring.selectors import due_date
from jingkai.monitoring.services import draft_bulletin
from jingkai.zones.models import Indicator, IndicatorValue, Zone

CLERK = "demo-province-clerk"  # drafts bulletins; not a login account (no usable password)


def _clerk() -> User:
    clerk, created = User.objects.get_or_create(
        username=CLERK, defaults={"org_unit": OrgUnit.objects.get(code="province"), "first_name": "省商务厅综合处",
                                  "email": f"{CLERK}@demo.invalid"})
    if created:
        clerk.set_unusable_password()
        clerk.save(update_fields=["password"])
    return clerk


def build(seed: int, today: date) -> ReportingCalendar:
    rng = np.random.default_rng(seed + 6)
    Bulletin.objects.all().delete()
    ReportingCalendar.objects.all().delete()  # submissions go with it
    calendar = ReportingCalendar.objects.create(name="开发区主要经济指标月报", frequency="month", due_day=10)
    # the monthly report carries the quarterly 地区生产总值 too, in months 3, 6, 9 and 12
    calendar.indicators.set(Indicator.objects.filter(frequency__in=["month", "quarter"]))
    zones = list(Zone.objects.filter(province="甘肃省").order_by("code"))
    calendar.zones.set(zones)
    submitters = {u.zone_pk: u for u in User.objects.filter(
        username__startswith="demo-", org_unit__kind=OrgUnit.Kind.ZONE, org_unit__zone__in=zones)
        .exclude(username__endswith="-reviewer")  # the unit's 督办 reviewer does not report the zone's figures
        .annotate(zone_pk=F("org_unit__zone__id"))}
    reviewer = User.objects.filter(username="demo-admin").first()
    periods = sorted(set(IndicatorValue.objects.filter(zone__in=zones, period__regex=r"^\d{4}-\d\d$")
                         .values_list("period", flat=True)))
    latest = periods[-1] if periods else None
    submissions = []
    for zone in zones:
        for period in periods:
            due = due_date(calendar, period)
            state = "approved"
            if period == latest:
                state = str(rng.choice(["approved", "approved", "submitted", "returned", "missing"]))
                if zone.code == "GS-LZ":
                    state = "approved"
            if state == "missing":
                continue
            late_days = int(rng.integers(1, 6)) if rng.random() < 0.08 else -int(rng.integers(0, 8))
            # never after `today`: a period not yet due is reported early, not late (no report from the future)
            day = min(due + timedelta(days=late_days), today - timedelta(days=1))
            at = timezone.make_aware(datetime.combine(day, time(16, 30)))
            reviewed = state != "submitted"
            submissions.append(Submission(
                calendar=calendar, zone=zone, period=period, state=state, submitted_at=at,
                submitted_by=submitters.get(zone.id),
                reviewed_at=min(at + timedelta(days=2), timezone.make_aware(datetime.combine(today, time(9, 0))))
                if reviewed else None, reviewed_by=reviewer if reviewed else None,
                comment="请核实出口额与进出口总额的勾稽关系" if state == "returned" else ""))
    Submission.objects.bulk_create(submissions, batch_size=2000)
    if latest and "GS-LZ" in {z.code for z in zones}:
        _corrections(calendar, latest, submitters.get(next(z.id for z in zones if z.code == "GS-LZ")), reviewer)
    if latest:
        try:
            draft_bulletin(_clerk(), calendar, latest, today)
        except MissingCJKFont:
            pass  # no Chinese font on this machine: the bulletin is drafted in the UI once one is installed
    return calendar


# The latest month of 兰州 (always approved in the demo) carries one approved and one pending 更正申请, so the
# correction path is visible: the zone asks, the province reviews, the history keeps both values.
DEMO_CORRECTIONS = (
    ("fixed_asset_investment", 0.998, "统计局反馈：一项目入库投资额重复计入，核减后更正", True),
    ("tax_revenue", 1.003, "税务部门反馈月末补录一笔入库税款，申请更正", False),
)


def _corrections(calendar: ReportingCalendar, period: str, requester: User | None, reviewer: User | None) -> None:
    if requester is None or reviewer is None:
        return
    submission = Submission.objects.get(calendar=calendar, zone__code="GS-LZ", period=period)
    for key, factor, reason, approve in DEMO_CORRECTIONS:
        stored = IndicatorValue.objects.filter(zone=submission.zone, period=period, indicator__key=key).first()
        if stored is None or not calendar.indicators.filter(key=key).exists():
            continue
        correction = request_correction(requester, submission, key, f"{stored.value * factor:.1f}", reason)
        if approve:
            review_correction(reviewer, correction, True, "经核实，同意更正")
