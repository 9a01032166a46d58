"""The register's pages run a bounded number of queries whatever the number of tasks, reports and targets."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingkai.accounts.models import OrgUnit
from jingkai.measures.models import Milestone, ProgressReport, ReportEvent, Task
from jingkai.zones.models import Indicator, IndicatorValue

PAGES = ["/measures/", "/measures/catalogue/", "/measures/tasks/", "/measures/items/6.1/",
         "/measures/export/progress.xlsx", "/measures/export/bulletin.docx"]
LIMIT = 15  # every page above, at any size (session, user, menu, then five for the register)


def make_register(zones, n: int) -> Task:
    """n tasks per zone, each with milestones, a confirmed and a submitted report with history, and a
    quantitative target with reported values."""
    today = date.today()
    fdi = Indicator.objects.get(key="fdi_actual_usd")
    tasks = []
    for code, zone in zones.items():
        unit = OrgUnit.objects.get(code=f"zone-{code.lower()}")
        IndicatorValue.objects.get_or_create(zone=zone, indicator=fdi, period=f"{today.year - 1}-12",
                                             defaults={"value": 100.0})
        for i in range(n):
            tasks.append(Task.objects.create(
                item_code="6.1", title=f"{zone.name}任务{i}", owner=unit, zone=zone,
                start=today - timedelta(days=100), deadline=today + timedelta(days=10 + i),
                target_indicator=fdi, target_value=500.0, target_period="" if i % 2 else f"{today.year - 1}-12"))
    for task in tasks:
        Milestone.objects.create(task=task, title="方案", due=today - timedelta(days=30))
        for period, state in (("2026-01", "confirmed"), ("2026-02", "submitted")):
            report = ProgressReport.objects.create(task=task, period=period, text="x", progress=30, state=state,
                                                   completes_task=state == "confirmed")
            ReportEvent.objects.create(report=report, from_state="draft", to_state=state)
    return tasks[0]


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("url", PAGES)
def test_register_pages_run_the_same_number_of_queries_for_3_and_30_tasks(client, zones, province_user, url):
    client.force_login(province_user)
    make_register(zones, 3)
    client.get(url)  # warm the per-process caches (catalogue, menu flag)
    small = queries(client, url)
    make_register(zones, 27)
    large = queries(client, url)
    assert large == small <= LIMIT, (url, small, large)


def test_task_page_queries_do_not_grow_with_its_reports(client, zones, lz_user, django_assert_max_num_queries):
    client.force_login(lz_user)
    task = make_register(zones, 1)
    client.get(f"/measures/tasks/{task.pk}/")
    small = queries(client, f"/measures/tasks/{task.pk}/")
    for month in range(3, 13):
        report = ProgressReport.objects.create(task=task, period=f"2026-{month:02d}", text="y", progress=40)
        ReportEvent.objects.create(report=report, from_state="draft", to_state="submitted")
        Milestone.objects.create(task=task, title=f"节点{month}", due=date.today())
    with django_assert_max_num_queries(small):
        assert client.get(f"/measures/tasks/{task.pk}/").status_code == 200
    assert small <= LIMIT
