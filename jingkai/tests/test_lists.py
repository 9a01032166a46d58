"""The shared list helper (jingkai.lists): whitelisted sort keys, natural order of item numbers, paging within
the API's bound, the export of the current list; and the enterprise list using it (a queryset list)."""

import io
import re
from types import SimpleNamespace

from django.http import QueryDict
from openpyxl import load_workbook

from jingkai import lists
from jingkai.enterprises.models import Enterprise
from jingkai.paging import MAX_OFFSET, page_number

COLUMNS = (lists.Column("item", "事项", natural=True), lists.Column("name", "名称"),
           lists.Column("note", "说明", sortable=False))
ROWS = [SimpleNamespace(item=f"1.{n}", name=f"任务{n:02d}", note="") for n in (10, 2, 1, 9)] + [
    SimpleNamespace(item="", name="未编号", note="")]


def _sorted(query: str) -> list[str]:
    return [r.item for r in lists.listing(ROWS, QueryDict(query), COLUMNS, default_sort="item").rows]


def test_item_numbers_sort_naturally_and_empty_values_last_both_ways():
    assert _sorted("") == ["1.1", "1.2", "1.9", "1.10", ""]
    assert _sorted("sort=item&dir=desc") == ["1.10", "1.9", "1.2", "1.1", ""]
    assert lists.natural_key("2.10") > lists.natural_key("2.9") > lists.natural_key("1.10")


def test_only_declared_sortable_keys_sort():
    assert _sorted("sort=note") == _sorted("sort=__class__") == _sorted("sort=name;drop") == _sorted("")
    assert [r.name for r in lists.listing(ROWS, QueryDict("sort=name"), COLUMNS).rows][0] == "任务01"


def test_the_page_number_is_bound_as_the_api_offset():
    assert page_number("3", 50) == 3 and page_number("x", 50) == page_number("-2", 50) == page_number("", 50) == 1
    assert page_number("9" * 5000, 50) == page_number(str(10**30), 50) == MAX_OFFSET // 50 + 1
    assert page_number("３", 50) == 1  # full-width digits are not a page number here
    page = lists.listing(ROWS, QueryDict("page=" + "9" * 40 + "&size=20"), COLUMNS).page
    assert page.number == 1 and page.paginator.per_page == 20  # past the end: the last page there is


def test_the_enterprise_list_sorts_in_the_database_and_exports_the_current_list(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/enterprises/?zone=GS-JC&sort=name&dir=desc&size=20").content.decode()
    assert 'aria-sort="descending"' in page and "企业名称 ▼" in page
    names = re.findall(r">(\w\w测试企业\d{3}有限公司)</a>", page)
    assert names == sorted(names, reverse=True) and all(n.startswith("金昌") for n in names)
    assert "export=xlsx" in page and "当前列表 Excel" in page
    response = client.get("/enterprises/?zone=GS-JC&sort=name&dir=desc&page=2&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    heading = rows.index(next(r for r in rows if r[0] == "企业名称"))
    exported = [r[0] for r in rows[heading + 1:]]
    assert rows[heading][:3] == ("企业名称", "统一社会信用代码", "所在园区")
    # every page of the filtered list, sorted as shown
    assert exported == sorted(exported, reverse=True) and len(exported) == Enterprise.objects.filter(
        zone__code="GS-JC").count() > len(names)
    assert all(r[2] == "金昌经济技术开发区" for r in rows[heading + 1:])


def test_the_task_register_sorts_item_numbers_naturally_both_ways_and_exports_the_sorted_list(client, prov_user):
    from datetime import date, timedelta

    from jingkai.accounts.models import OrgUnit
    from jingkai.measures.models import Task

    owner, today = OrgUnit.objects.get(code="zone-gs-lz"), date.today()
    for n in (2, 10, 1, 9):
        Task.objects.create(item_code=f"3.{n}", title=f"排序任务{n}", owner=owner, start=today,
                            deadline=today + timedelta(days=n))
    client.force_login(prov_user)
    codes = re.findall(r"<tr class=\"status-[^\"]+\"><td>([\d.]+)</td>", client.get(
        "/measures/tasks/?q=排序&sort=item&dir=desc").content.decode())
    assert codes == ["3.10", "3.9", "3.2", "3.1"]
    sheet = load_workbook(io.BytesIO(client.get("/measures/tasks/?q=排序&sort=deadline&export=xlsx").content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("3.")]
    assert [r[0] for r in rows] == ["3.1", "3.2", "3.9", "3.10"] and rows[0][1] == "排序任务1"


def test_the_submission_list_searches_and_sorts_zones(client, prov_user, site_data):
    from jingkai.monitoring.models import ReportingCalendar

    calendar = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    calendar.zones.set([site_data["GS-LZ"], site_data["GS-JC"]])
    client.force_login(prov_user)
    page = client.get("/monitoring/submissions/?q=金昌").content.decode()
    assert "金昌经济技术开发区" in page and "兰州经济技术开发区</td>" not in page and "共 1 条" in page
    page = client.get("/monitoring/submissions/?sort=zone&dir=desc").content.decode()
    assert 'aria-sort="descending"' in page and "当前列表 Excel" in page
