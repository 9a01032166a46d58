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
