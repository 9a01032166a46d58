"""Demo reporting cycle: the monthly calendar for Gansu's zones, past months reviewed, the latest month
in every state (reviewed, submitted, returned, not reported), and a published bulletin."""

from datetime import date, datetime, time, timedelta

import numpy as np
from django.utils import timezone

from jingkai.monitoring.models import Bulletin, ReportingCalendar, Submission
from jingkai.monitoring.services import due_date
from jingkai.zones.models import Indicator, IndicatorValue, Zone


def build(seed: int, today: date) -> ReportingCalendar:
    rng = np.random.default_rng(seed + 6)
    Bulletin.objects.all().delete()
    ReportingCalendar.objects.all().delete()  # submissions go with it
    calendar = ReportingCalendar.objects.create(name="开发区主要经济指标月报", frequency="month", due_day=10)
    calendar.indicators.set(Indicator.objects.filter(frequency="month"))
    zones = list(Zone.objects.filter(province="甘肃省").order_by("code"))
    calendar.zones.set(zones)
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
            at = timezone.make_aware(datetime.combine(due + timedelta(days=late_days), time(16, 30)))
            submissions.append(Submission(
                calendar=calendar, zone=zone, period=period, state=state, submitted_at=at,
                reviewed_at=at + timedelta(days=2) if state != "submitted" else None,
                comment="请核实出口额与进出口总额的勾稽关系" if state == "returned" else ""))
    Submission.objects.bulk_create(submissions, batch_size=2000)
    return calendar
