"""Every monitoring page runs the same number of queries whatever the number of zones, months,
submissions and bulletins (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingkai.monitoring.models import Bulletin, ReportingCalendar, Submission
from jingkai.monitoring.selectors import recent_periods
from jingkai.testing import make_user, make_zone
from jingkai.zones.models import Indicator, IndicatorValue

KEYS = ["industrial_output", "trade_total", "exports", "imports"]
MAX_QUERIES = 20  # session, user, menu and the page's own reads


@pytest.fixture
def calendar(db):
    cal = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    cal.indicators.set(Indicator.objects.filter(key__in=KEYS))
    return cal


def grow(calendar: ReportingCalendar, zones: int, months: int, bulletins: int, author) -> Submission:
    """`zones` zones reporting the last `months` months (this year and last), all approved but the newest."""
    from datetime import date

    indicators = list(Indicator.objects.filter(key__in=KEYS))
    periods = recent_periods(date.today(), months)
    made = [make_zone(f"GS-Q{i:02d}") for i in range(zones)]
    calendar.zones.add(*made)
    values, submissions = [], []
    for n, zone in enumerate(made):
        for period in periods:
            for year_back in (0, 1):
                p = f"{int(period[:4]) - year_back}{period[4:]}"
                values += [IndicatorValue(zone=zone, period=p, indicator=i, value=100.0 + n) for i in indicators]
                state = "submitted" if period == periods[0] else "approved"
                submissions.append(Submission(calendar=calendar, zone=zone, period=p, state=state, submitted_by=author,
                                              submitted_at="2026-10-05T10:00:00+08:00",
                                              violations=[{"severity": "warning", "message": "偏高", "rule": "r",
                                                           "indicator": "exports"}]))
    IndicatorValue.objects.bulk_create(values, ignore_conflicts=True)
    Submission.objects.bulk_create(submissions, ignore_conflicts=True)
    Bulletin.objects.bulk_create([Bulletin(period=periods[-1], document=b"x", sha256="0", created_by=author,
                                           state=("draft", "reviewed", "published")[i % 3]) for i in range(bulletins)])
    return Submission.objects.filter(calendar=calendar, state="submitted").order_by("id")[0]


PAGES = ["/monitoring/", "/monitoring/?freq=quarter", "/monitoring/submissions/", "/monitoring/bulletins/",
         "/monitoring/indicators/industrial_output/", "/monitoring/indicators/industrial_output/GS-Q00/"]


@pytest.mark.parametrize("url", [*PAGES, "submission"])
@pytest.mark.parametrize("role", ["province", "zone"])
def test_monitoring_pages_cost_the_same_queries_at_two_data_sizes(client, calendar, django_assert_max_num_queries,
                                                                  url, role):
    zone_user = None  # created once its zone exists
    counts = []
    for zones, months, bulletins in ((2, 4, 2), (9, 12, 12)):
        author = make_user(f"author-{zones}", "province")
        submission = grow(calendar, zones, months, bulletins, author)
        if role == "province":
            viewer = make_user(f"viewer-{zones}", "province")
        else:
            viewer = zone_user or make_user("viewer-zone", "zone-gs-q00")
            zone_user = viewer
            submission = Submission.objects.filter(zone__code="GS-Q00").order_by("id")[0]
        client.force_login(viewer)
        target = f"/monitoring/submissions/{submission.pk}/" if url == "submission" else url
        client.get(target)  # warm the per-process caches (menu flag, content types) before counting
        with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as queries:
            response = client.get(target)
        assert response.status_code == 200
        if url.startswith("/monitoring/?") or url == "/monitoring/":
            assert response.context["dashboard"].tables  # the full path: rankings and the trend are computed
        counts.append(len(queries))
    print(f"{role} {url}: {counts} queries")
    assert counts[0] == counts[1], f"{url}: {counts[0]} queries with little data, {counts[1]} with more"
