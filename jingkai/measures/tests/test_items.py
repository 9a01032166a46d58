from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingkai.audit.models import AuditEntry
from jingkai.measures.models import Task
from jingkai.measures.services import create_tasks, parse_milestones


def test_milestone_lines_parse_and_bad_dates_name_the_line():
    assert parse_milestones("2026-06-30 中期评估\n\n2026-09-30") == [
        (date(2026, 6, 30), "中期评估"), (date(2026, 9, 30), "节点")]
    with pytest.raises(ValidationError, match="第1个节点“6月底 评估”"):
        parse_milestones("6月底 评估")


def test_province_turns_an_item_into_tasks_per_unit(client, zones, province_user, lz_user):
    client.force_login(province_user)
    response = client.post("/measures/items/6.1/", {
        "title": "新兴产业外资项目落地", "owners": ["dept-fgw", "zone-gs-lz"], "start": "2026-01-01",
        "deadline": "2026-12-31", "milestones": "2026-06-30 签约\n2026-10-31 到资",
        "target_indicator": "fdi_actual_usd", "target_value": "5000", "target_period": "2026-12"})
    assert response.status_code == 302
    tasks = Task.objects.order_by("owner__code")
    assert [(t.owner.code, t.zone_id is not None, t.milestones.count()) for t in tasks] == [
        ("dept-fgw", False, 2), ("zone-gs-lz", True, 2)]
    assert AuditEntry.objects.filter(model="measures.Task").count() == 2
    page = client.get("/measures/items/6.1/").content.decode()
    assert "新兴产业外资项目落地" in page and "分解下达任务" in page
    client.force_login(lz_user)
    page = client.get("/measures/items/6.1/").content.decode()
    assert "分解下达任务" not in page and page.count("新兴产业外资项目落地") == 1  # only its own task
    assert client.post("/measures/items/6.1/", {"owners": ["zone-gs-lz"]}).status_code == 403


def test_task_rules(zones, province_user, lz_user):
    from jingkai.accounts.models import OrgUnit

    owners = OrgUnit.objects.filter(code="dept-fgw")
    with pytest.raises(PermissionDenied):
        create_tasks(lz_user, item_code="6.1", title="x", owners=owners, start=date(2026, 1, 1), deadline=date(2026, 2, 1))
    with pytest.raises(ValidationError, match="早于"):
        create_tasks(province_user, item_code="6.1", title="x", owners=owners, start=date(2026, 3, 1),
                     deadline=date(2026, 2, 1))


def test_catalogue_page_lists_every_measure(client, zones, province_user):
    client.force_login(province_user)
    page = client.get("/measures/catalogue/").content.decode()
    assert "（十六）加强财政金融支持" in page and 'href="/measures/items/16.1/"' in page
    assert client.get("/measures/items/99.9/").status_code == 404


def test_a_wrong_task_form_names_the_fields_and_values(client, zones, province_user):
    client.force_login(province_user)
    response = client.post("/measures/items/6.1/", {
        "start": "2026-13-01", "deadline": "2026-12-31", "target_value": "五千", "milestones": "6月底 评估",
        "target_period": "2026年"})
    page = response.content.decode()
    assert response.status_code == 200 and not Task.objects.exists()
    for message in ("请至少选择一个责任单位", "开始日期“2026-13-01”应写作 YYYY-MM-DD", "目标值“五千”不是数字",
                    "第1个节点“6月底 评估”的日期应写作 YYYY-MM-DD", "目标期间“2026年”应写作 YYYY 或 YYYY-MM"):
        assert message in page, message
    page = client.post("/measures/items/6.1/", {"owners": ["zone-gs-lz"], "start": "2026-03-01",
                                                "deadline": "2026-02-01", "target_value": "10"}).content.decode()
    assert "完成时限 2026-02-01 早于开始日期 2026-03-01" in page and not Task.objects.exists()
