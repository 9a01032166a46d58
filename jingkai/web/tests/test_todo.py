"""The 待办 panel: each role sees what waits for it, within its scope, with the count in the menu and a link to
the list that shows the items (collected from the domains through the extension point web.todo)."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission

from jingkai.accounts.models import OrgUnit
from jingkai.measures.models import ProgressReport, Task
from jingkai.monitoring.models import Bulletin, ReportingCalendar, Submission
from jingkai.testing import make_user, zone_user
from jingkai.web.todo import todo_panel

TODAY = date.today()


def months_before(n: int) -> list[str]:
    """The n months before this month, newest first."""
    out, year, month = [], TODAY.year, TODAY.month
    for _ in range(n):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        out.append(f"{year}-{month:02d}")
    return out


@pytest.fixture
def work(site_data, prov_user, dept_user):
    """兰州 reported four of the last six months, one was returned, the latest is missing; 金昌 reported only
    the latest (awaiting review). Tasks: 兰州's overdue one, 兰州's due in 10 days, 金昌's and 工信厅's."""
    lz, jc = site_data["GS-LZ"], site_data["GS-JC"]
    lz_clerk, jc_clerk = zone_user(lz), zone_user(jc)
    calendar = ReportingCalendar.objects.create(name="园区月报", frequency="month", due_day=10)
    calendar.zones.set([lz, jc])
    latest, returned, *older = months_before(6)
    for period in older:
        Submission.objects.create(calendar=calendar, zone=lz, period=period, state="approved",
                                  submitted_at="2026-01-05T10:00+08:00", submitted_by=lz_clerk)
    Submission.objects.create(calendar=calendar, zone=lz, period=returned, state="returned",
                              submitted_at="2026-01-05T10:00+08:00", submitted_by=lz_clerk, comment="数据有误")
    pending = Submission.objects.create(calendar=calendar, zone=jc, period=latest, state="submitted",
                                        submitted_at="2026-01-05T10:00+08:00", submitted_by=jc_clerk)
    other_prov = make_user("prov-2", "province")
    Bulletin.objects.create(period=latest, state="draft", document=b"PK", sha256="0" * 64, created_by=other_prov)
    Bulletin.objects.create(period=older[0], state="draft", document=b"PK", sha256="0" * 64, created_by=prov_user)
    Bulletin.objects.create(period=returned, state="reviewed", document=b"PK", sha256="0" * 64)

    units = {code: OrgUnit.objects.get(code=code) for code in ("zone-gs-lz", "zone-gs-jc", "dept-gxt")}
    start = TODAY - timedelta(days=300)
    late = Task.objects.create(item_code="6.1", title="外资项目落地", owner=units["zone-gs-lz"], zone=lz,
                               start=start, deadline=TODAY - timedelta(days=1))
    soon = Task.objects.create(item_code="6.2", title="标准厂房建设", owner=units["zone-gs-lz"], zone=lz,
                               start=start, deadline=TODAY + timedelta(days=10))
    jc_task = Task.objects.create(item_code="6.3", title="金昌任务", owner=units["zone-gs-jc"], zone=jc,
                                  start=start, deadline=TODAY - timedelta(days=5))
    dept_task = Task.objects.create(item_code="1.1", title="工信厅任务", owner=units["dept-gxt"],
                                    start=start, deadline=TODAY + timedelta(days=200))
    ProgressReport.objects.create(task=late, period=latest, text="x", progress=50, state="returned", author=lz_clerk)
    ProgressReport.objects.create(task=soon, period=latest, text="x", progress=90, state="submitted", author=lz_clerk)
    ProgressReport.objects.create(task=jc_task, period=latest, text="x", progress=90, state="reviewed",
                                  author=jc_clerk)
    ProgressReport.objects.create(task=dept_task, period=latest, text="x", progress=10, state="draft",
                                  author=dept_user)
    reviewer = make_user("lz-reviewer", "zone-gs-lz")
    reviewer.user_permissions.add(Permission.objects.get(codename="review_progressreport"))
    return {"lz": lz_clerk, "jc": jc_clerk, "reviewer": reviewer, "pending": pending, "soon": soon}


def counts(user) -> dict[str, int]:
    return {item.key: item.count for group in todo_panel(user, TODAY).groups for item in group.items}


def test_zone_committee_sees_its_months_and_returns(work):
    assert counts(work["lz"]) == {
        "monitoring.to_submit": 1, "monitoring.returned": 1,  # its latest month; the returned one
        "measures.drafts": 0, "measures.returned": 1, "measures.due_soon": 1, "measures.overdue": 1,
        "jobs.done": 0, "jobs.failed": 0}
    assert counts(work["jc"])["monitoring.to_submit"] == 5 and counts(work["jc"])["measures.overdue"] == 1


def test_unit_reviewer_sees_its_units_reports_to_review(work):
    assert counts(work["reviewer"])["measures.to_review"] == 1
    assert "measures.to_review" not in counts(work["lz"])  # the clerk has no reviewing right
    assert "measures.to_review" not in counts(work["jc"])


def test_province_reviews_and_publishes(work, prov_user):
    found = counts(prov_user)
    assert found["monitoring.to_review"] == 1  # 金昌's latest month
    assert found["monitoring.bulletin_drafts"] == 1  # not its own draft: another person reviews that
    assert found["monitoring.bulletins_to_publish"] == 1
    assert found["measures.to_confirm"] == 1
    assert found["measures.overdue"] == 2  # it supervises every task
    assert "monitoring.to_submit" not in found and found["measures.returned"] == 0  # the province's own tasks


def test_department_sees_its_own_tasks_only(work, dept_user):
    assert counts(dept_user) == {"measures.drafts": 1, "measures.returned": 0, "measures.due_soon": 0,
                                 "measures.overdue": 0, "jobs.done": 0, "jobs.failed": 0}


def test_city_sees_its_zones(work, site_data):
    city = make_user("lz-city", "city-620100")
    found = counts(city)
    assert found["monitoring.to_submit"] == 1 and found["monitoring.returned"] == 1  # 兰州's, not 金昌's
    assert found["measures.overdue"] == 1


def test_home_panel_links_to_the_filtered_lists_and_the_menu_shows_the_total(client, work, prov_user):
    client.force_login(prov_user)
    page = client.get("/").content.decode()
    panel = page[page.index('id="todo"'):page.index("</section>", page.index('id="todo"'))]
    for heading in ("待审核", "临期和逾期任务", "待发布通报"):
        assert f"<h3>{heading}</h3>" in panel
    assert f'href="/monitoring/submissions/{work["pending"].pk}/"' in panel  # the one month to review
    assert 'href="/measures/tasks/?status=%E5%B7%B2%E9%80%BE%E6%9C%9F"' in panel  # 已逾期
    assert 'href="/monitoring/bulletins/"' in panel
    total = sum(counts(prov_user).values())
    assert f'<span class="count" title="待办事项">{total}</span>' in page


def test_zone_committee_reads_its_todo_page(client, work):
    client.force_login(work["lz"])
    page = client.get("/todo/").content.decode()
    assert "<h1>我的待办</h1>" in page and "<h3>待报送</h3>" in page and "<h3>被退回</h3>" in page
    assert "<h3>待审核</h3>" not in page and "<h3>待发布通报</h3>" not in page
    assert 'href="/measures/tasks/?due=soon"' in page
    assert f'href="/measures/tasks/{work["soon"].pk}/"' not in page  # the clerk does not review
    response = client.get("/measures/tasks/?due=soon")
    assert "标准厂房建设" in response.content.decode() and "外资项目落地" not in response.content.decode()
    response = client.get("/measures/tasks/?report=returned")
    assert "外资项目落地" in response.content.decode() and "标准厂房建设" not in response.content.decode()


def test_nothing_waits_for_an_account_without_a_unit(client, site_data):
    client.force_login(make_user("nobody"))
    page = client.get("/todo/").content.decode()
    assert "没有需要办理" in page and 'class="count"' not in page
