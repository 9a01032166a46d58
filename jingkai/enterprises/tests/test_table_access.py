"""Which enterprise fact tables a department reads (OrgUnit.year_tables): by default all of them (the
departments that run programmes need them); limited, the others are absent from the enterprise page, the
exports, the API and the chains pages, and the account page says so."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jingkai.accounts.models import DATA_TABLES, OrgUnit, User
from jingkai.accounts.scope import scope_of
from jingkai.api.tests.conftest import bearer
from jingkai.enterprises.models import YEAR_TABLES, Enterprise

FIRST = "兰州测试企业000有限公司"  # site_data: years 2023 and 2024 with revenue, employees, honors …


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _limit(unit_code: str, tables: list[str] | None) -> None:
    OrgUnit.objects.filter(code=unit_code).update(year_tables=tables)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_keys_are_the_fact_tables():
    assert list(DATA_TABLES) == [t.key() for t in YEAR_TABLES]
    assert [f"企业年度{label}" for label in DATA_TABLES.values()] == [str(t._meta.verbose_name) for t in YEAR_TABLES]


def test_a_department_reads_every_table_by_default(dept_user):
    assert scope_of(dept_user).year_tables is None
    uscc = Enterprise.objects.get(name=FIRST).uscc
    item = bearer(dept_user).get(f"/api/v1/enterprise-years?uscc={uscc}&year=2023").json()["items"][0]
    assert item["revenue"] == 52000.5 and item["employees"] == 420 and item["honors"] == ["high_tech_enterprise"]


@pytest.fixture
def limited(dept_user):
    _limit("dept-gxt", ["talent"])  # 人才 only: no finances, no honors
    return User.objects.get(pk=dept_user.pk)  # a fresh object: the scope is computed once per user object


def test_api_leaves_out_what_the_department_may_not_read(limited):
    uscc = Enterprise.objects.get(name=FIRST).uscc
    page = bearer(limited).get(f"/api/v1/enterprise-years?uscc={uscc}").json()
    assert page["count"] == 2
    for item in page["items"]:
        assert item["employees"] in (420, 455)
        assert item["revenue"] is None and item["tax_paid"] is None and item["honors"] == []  # as if no row


def test_no_row_of_a_table_not_read(limited):
    _limit("dept-gxt", ["niche"])
    limited = User.objects.get(pk=limited.pk)
    uscc = Enterprise.objects.get(name=FIRST).uscc
    items = bearer(limited).get(f"/api/v1/enterprise-years?uscc={uscc}").json()["items"]
    # only 2024 has niche facts … but every table has a row per enterprise-year (make_enterprise_year)
    assert [i["year"] for i in items] == [2023, 2024] and all(i["revenue"] is None for i in items)
    _limit("dept-gxt", [])  # an empty list: none of the tables
    none = User.objects.get(pk=limited.pk)
    assert bearer(none).get("/api/v1/enterprise-years").json() == {"count": 0, "items": []}


def test_enterprise_page_shows_only_the_tables_read(dept_user):
    uscc = Enterprise.objects.get(name=FIRST).uscc
    full = _client(dept_user).get(f"/enterprises/{uscc}/").content.decode()
    assert "企业年度财务数据" in full and "52,000.5" in full
    _limit("dept-gxt", ["talent"])  # the unit's setting: read again on the next request
    page = _client(dept_user).get(f"/enterprises/{uscc}/").content.decode()
    assert "企业年度人才数据" in page and "420" in page
    assert "企业年度财务数据" not in page and "52,000.5" not in page


def test_exports_leave_out_what_the_department_may_not_read(limited):
    client = _client(limited)
    assert len(_csv(client.get("/export/enterprise-talent.csv"))) > 1
    finance = _csv(client.get("/export/enterprise-finance.csv"))
    assert finance[1:] == []  # headings, no rows
    combined = _csv(client.get("/export/enterprise-years.csv"))
    head = combined[0]
    rows = [dict(zip(head, r, strict=True)) for r in combined[1:]]
    assert rows and all(r["营业收入（万元）"] == r["实缴税金（万元）"] == "" for r in rows)
    assert any(r["年平均职工人数（人）"] == "420" for r in rows)


def test_account_page_says_what_the_user_reads(limited, prov_user):
    page = _client(limited).get("/account/").content.decode()
    assert "省工业和信息化厅" in page and "全省所有园区" in page
    assert page.count("不可读取") == 5 and page.count(">可读取<") == 1
    assert _client(prov_user).get("/account/").content.decode().count(">可读取<") == 6


def test_only_departments_are_limited(lz_zone_user):
    unit = lz_zone_user.org_unit
    OrgUnit.objects.filter(pk=unit.pk).update(year_tables=["talent"])  # set on a committee: no effect
    user = User.objects.get(pk=lz_zone_user.pk)
    assert scope_of(user).year_tables is None
    assert _client(user).get("/account/").content.decode().count("不可读取") == 0


def test_the_scope_costs_no_extra_query(limited):
    with CaptureQueriesContext(connection) as queries:
        scope_of(User.objects.get(pk=limited.pk))
    assert len(queries) == 2  # the user, then its unit (and zone) as before


def test_the_province_sets_it_in_the_admin(dept_user):
    admin = User.objects.create_superuser("root-admin", password="pw-test-123")
    unit = OrgUnit.objects.get(code="dept-gxt")
    url = f"/admin/accounts/orgunit/{unit.pk}/change/"
    form = {"code": unit.code, "name": unit.name, "kind": unit.kind, "parent": ""}
    client = _client(admin)
    assert client.post(url, form | {"year_tables": ["talent", "finance"]}).status_code == 302
    unit.refresh_from_db()
    assert unit.year_tables == ["finance", "talent"]  # in the tables' order
    assert client.post(url, form).status_code == 302  # none ticked: every table
    unit.refresh_from_db()
    assert unit.year_tables is None
