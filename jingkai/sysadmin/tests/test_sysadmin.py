"""系统管理 by URL and role: the province manages accounts (create, unit and rights, stop, reset password),
reads roles, units, code lists and the operation log; a zone or a department gets 403 and changes nothing.
Every write is audited and refused in the service too."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from jingkai.accounts.models import OrgUnit, User
from jingkai.audit.models import AuditEntry
from jingkai.audit.services import record
from jingkai.sysadmin import services

PAGES = ["/system/users/", "/system/users/new/", "/system/roles/", "/system/units/", "/system/codes/",
         "/system/log/"]
NEW = {"username": "lz-clerk2", "first_name": "兰州经开区统计员", "password1": "Pw-new-2026",
       "password2": "Pw-new-2026"}


@pytest.fixture
def lz_unit(site_data):
    return OrgUnit.objects.get(code="zone-gs-lz")


def test_only_the_province_reaches_the_pages(client, prov_user, dept_user, lz_zone_user):
    client.force_login(prov_user)
    for url in [*PAGES, f"/system/users/{lz_zone_user.pk}/"]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert "系统管理" in page.content.decode()  # the menu group
    for user in (dept_user, lz_zone_user):
        other = Client()
        other.force_login(user)
        for url in [*PAGES, f"/system/users/{prov_user.pk}/"]:
            assert other.get(url).status_code == 403, (user, url)
        assert "系统管理" not in other.get("/todo/").content.decode()


def test_the_province_creates_an_account_that_signs_in(client, prov_user, lz_unit):
    client.force_login(prov_user)
    response = client.post("/system/users/new/", NEW | {"org_unit": lz_unit.pk, "rights": ["measures.review_reports"]})
    user = User.objects.get(username="lz-clerk2")
    assert response.status_code == 302 and user.org_unit == lz_unit
    assert user.has_perm("measures.review_progressreport")
    entry = AuditEntry.objects.get(model="accounts.User", object_key="lz-clerk2", action="create")
    assert entry.user == prov_user and entry.after["org_unit"] == "兰州经济技术开发区管委会"
    assert "Pw-new" not in str(entry.after)
    assert Client().login(username="lz-clerk2", password="Pw-new-2026")
    page = client.get(f"/system/users/{user.pk}/").content.decode()
    assert "操作记录" in page and "新增" in page and "所属机构：" in page  # its own history, Chinese labels


def test_bad_input_is_told_in_chinese_and_nothing_is_written(client, prov_user, lz_unit):
    client.force_login(prov_user)
    page = client.post("/system/users/new/", NEW | {"org_unit": lz_unit.pk, "password2": "other-2026"})
    assert page.status_code == 400 and "两次输入的密码不一致" in page.content.decode()
    page = client.post("/system/users/new/", NEW | {"username": "demo-admin", "org_unit": lz_unit.pk})
    assert "用户名“demo-admin”已被使用" in page.content.decode()
    page = client.post("/system/users/new/", NEW | {"username": "含 空格", "org_unit": ""})
    text = page.content.decode()
    assert "用户名为 3—50 位字母" in text and "请选择所属机构" in text
    assert not User.objects.filter(username__in=["lz-clerk2", "含 空格"]).exists()


def test_a_zone_user_posting_is_refused_and_nothing_changes(lz_zone_user, dept_user, lz_unit, prov_user):
    for actor in (lz_zone_user, dept_user):
        client = Client()
        client.force_login(actor)
        assert client.post("/system/users/new/", NEW | {"org_unit": lz_unit.pk}).status_code == 403
        assert client.post(f"/system/users/{prov_user.pk}/active/", {"active": "0"}).status_code == 403
        assert client.post(f"/system/users/{prov_user.pk}/password/",
                           {"password1": "x-2026-abcd", "password2": "x-2026-abcd"}).status_code == 403
        with pytest.raises(PermissionDenied):  # the service refuses too, whoever calls it
            services.set_active(actor, prov_user, False)
    prov_user.refresh_from_db()
    assert prov_user.is_active and prov_user.check_password("pw-test-123")
    assert not User.objects.filter(username="lz-clerk2").exists() and not AuditEntry.objects.exists()


def test_deactivate_reset_password_and_assign(client, prov_user, lz_zone_user, dept_user):
    client.force_login(prov_user)
    url = f"/system/users/{lz_zone_user.pk}/"
    client.post(url + "active/", {"active": "0"})
    lz_zone_user.refresh_from_db()
    assert not lz_zone_user.is_active and not Client().login(username=lz_zone_user.username, password="pw-test-123")
    client.post(url + "active/", {"active": "1"})
    client.post(url + "password/", {"password1": "Reset-2026x", "password2": "Reset-2026x"})
    assert Client().login(username=lz_zone_user.username, password="Reset-2026x")
    client.post(url, {"first_name": "改派", "org_unit": dept_user.org_unit.pk})
    lz_zone_user.refresh_from_db()
    assert lz_zone_user.org_unit == dept_user.org_unit and lz_zone_user.first_name == "改派"
    actions = list(AuditEntry.objects.filter(object_key=lz_zone_user.username).values_list("action", flat=True))
    assert sorted(actions) == ["activate", "assign", "deactivate", "reset_password"]
    assert AuditEntry.objects.get(action="assign").before["org_unit"] == "兰州经济技术开发区管委会"
    page = client.get(url).content.decode()
    for label in ("停用", "启用", "重置密码", "分配机构和角色", "省工业和信息化厅"):
        assert label in page, label
    message = client.post(f"/system/users/{prov_user.pk}/active/", {"active": "0"}, follow=True).content.decode()
    assert "不能停用自己的账号" in message and User.objects.get(pk=prov_user.pk).is_active


def test_the_operation_log_filters_by_user_date_and_object_and_pages(client, prov_user, lz_zone_user):
    for n in range(25):
        record(lz_zone_user, "update", "enterprises.Enterprise", f"9162{n:02d}", before={"name": f"旧{n}"},
               after={"name": f"新{n}"})
    record(prov_user, "create", "measures.Task", "7", after={"title": "任务"})
    AuditEntry.objects.filter(object_key="7").update(at=dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC))
    client.force_login(prov_user)
    page = client.get("/system/log/?size=20").content.decode()
    assert "共 26 条" in page and "第 1 / 2 页" in page and "企业名称：</span>旧24 → 新24" in page
    page = client.get(f"/system/log/?user={lz_zone_user.username}&key=916201").content.decode()
    assert "共 1 条" in page and "企业" in page
    assert "共 1 条" in client.get("/system/log/?start=2026-03-01&end=2026-03-01").content.decode()
    assert "共 0 条" in client.get("/system/log/?end=2026-02-28").content.decode()
    assert "共 1 条" in client.get("/system/log/?model=measures.Task").content.decode()
    assert client.get("/system/log/?start=bad&end=2026-99-99&page=x").status_code == 200
    export = client.get("/system/log/?model=measures.Task&export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_roles_list_every_capability_and_codes_every_choice(client, prov_user):
    client.force_login(prov_user)
    roles = client.get("/system/roles/").content.decode()
    assert "管理用户账号" in roles and "审核本单位进展报告" in roles and "需个人授权" in roles
    codes = client.get("/system/codes/").content.decode()
    assert "园区管委会" in codes and "机构 · 类型" in codes
