"""The pipeline: creation and scope, stage transitions through the workflow helper, the 公平竞争审查 gate before
签约, the duplicate-company warning, the 1亿美元 flag, the 90-day 督办 and the pages."""

import calendar
import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jingkai.accounts.models import OrgUnit
from jingkai.audit.models import AuditEntry
from jingkai.investment import dedupe, exports, services
from jingkai.investment.models import Agreement, Project, Stage, StageChange, StaleAlert
from jingkai.investment.selectors import board, key_foreign, landing, project_list, zone_pipeline
from jingkai.measures.models import Task


def new(zone, **kw) -> services.NewProject:
    unit = OrgUnit.objects.get(zone=zone)
    return services.NewProject(**({"name": "锂电正极材料项目", "company": "宁德时代新能源科技股份有限公司",
                                   "origin": "chain_leader", "zone_id": zone.pk, "owner_unit_id": unit.pk} | kw))


def walk(user, project, to: Stage) -> Project:
    while project.stage != to:
        nxt = list(Stage)[list(Stage).index(Stage(project.stage)) + 1]
        project = services.advance(user, project, f"to_{nxt.value}")
    return project


@pytest.fixture
def lz_project(site_data, lz_zone_user):
    return services.create_project(lz_zone_user, new(site_data["GS-LZ"]))


def test_zone_creates_in_own_zone_only_and_sees_its_own(site_data, lz_zone_user, jc_zone_user, prov_user, dept_user):
    mine = services.create_project(lz_zone_user, new(site_data["GS-LZ"]))
    with pytest.raises(PermissionDenied):
        services.create_project(lz_zone_user, new(site_data["GS-JC"]))
    with pytest.raises(PermissionDenied):
        services.create_project(dept_user, new(site_data["GS-LZ"]))  # a department reads, does not enter
    assert list(project_list(jc_zone_user.scope)) == []
    assert list(project_list(prov_user.scope)) == [mine]
    assert AuditEntry.objects.filter(model="investment.Project", action="create", object_key=str(mine.pk)).exists()
    assert StageChange.objects.get(project=mine).to_stage == Stage.LEAD


def test_transitions_go_through_the_workflow_with_history_and_audit(lz_project, lz_zone_user, jc_zone_user):
    assert services.FLOW.allowed_actions(lz_zone_user, lz_project) == ["to_contact"]
    assert services.FLOW.allowed_actions(jc_zone_user, lz_project) == []  # another zone may not move it
    with pytest.raises(PermissionDenied):
        services.advance(jc_zone_user, lz_project, "to_contact")
    with pytest.raises(ValidationError, match="当前状态“线索”下不能推进至考察"):
        services.advance(lz_zone_user, lz_project, "to_visit")  # no skipping a stage
    moved = walk(lz_zone_user, lz_project, Stage.NEGOTIATE)
    assert moved.stage_since == timezone.localdate()
    assert [c.to_stage for c in moved.stage_changes.order_by("id")] == ["lead", "contact", "visit", "negotiate"]
    assert AuditEntry.objects.filter(model="investment.Project", action="to_visit").count() == 1


def test_signing_with_a_firm_specific_preference_needs_a_passed_fair_competition_review(lz_project, lz_zone_user):
    project = walk(lz_zone_user, lz_project, Stage.NEGOTIATE)
    services.save_agreement(lz_zone_user, project, terms="五年内按地方留成部分给予奖励", has_preference=True,
                            preference_terms="按企业所得税地方留成部分给予财政奖励")
    with pytest.raises(ValidationError, match="公平竞争审查") as refused:
        services.advance(lz_zone_user, project, "to_signed")
    assert "国务院令第783号" in refused.value.messages[0]
    services.save_agreement(lz_zone_user, project, review_result=Agreement.Review.FAILED,
                            review_date=date(2026, 1, 5), reviewer="园区公平竞争审查机构")
    with pytest.raises(ValidationError, match="公平竞争审查"):
        services.advance(lz_zone_user, project, "to_signed")  # a failed review does not open the gate
    with pytest.raises(ValidationError, match="审查日期"):
        services.save_agreement(lz_zone_user, project, review_result="passed", review_date=None)
    services.save_agreement(lz_zone_user, project, review_result="passed", review_date=date(2026, 1, 20),
                            reviewer="园区公平竞争审查机构")
    assert services.advance(lz_zone_user, project, "to_signed").stage == Stage.SIGNED


def test_signing_without_a_preference_needs_no_review(lz_project, lz_zone_user):
    project = walk(lz_zone_user, lz_project, Stage.NEGOTIATE)
    services.save_agreement(lz_zone_user, project, terms="按市场价格出让用地", has_preference=False)
    assert services.advance(lz_zone_user, project, "to_signed").stage == Stage.SIGNED


@pytest.mark.parametrize(("new_name", "dup"), [
    ("宁德时代", True),  # 简称 of the full name
    ("宁德时代新能源科技股份有限公司", True),
    ("宁德时代新能源科技有限公司", True),
    ("宁德新材料有限公司", False),
    ("兰州石化设备有限公司", False),
])
def test_duplicate_company_names(new_name, dup):
    found = dedupe.matches(new_name, [(1, "宁德时代新能源科技股份有限公司"), (2, "甘肃金川集团股份有限公司")])
    assert bool(found) is dup
    if dup:
        assert found[0].key == 1


def test_similar_projects_hide_other_zones_names(site_data, lz_project, jc_zone_user, prov_user):
    seen, hidden = services.similar_projects(jc_zone_user, "宁德时代")
    assert (seen, hidden) == ([], 1)
    seen, hidden = services.similar_projects(prov_user, "宁德时代")
    assert [m.key for m in seen] == [lz_project.pk] and hidden == 0


@pytest.mark.parametrize(("amount", "key"), [("9999.99", False), ("10000", True), ("10000.01", True)])
def test_key_foreign_flag_at_one_hundred_million_dollars(site_data, lz_zone_user, amount, key):
    p = services.create_project(lz_zone_user, new(site_data["GS-LZ"], contracted_fdi=Decimal(amount)))
    assert p.is_key_foreign is key
    assert (p in key_foreign(lz_zone_user.scope)) is key


def test_key_foreign_list_puts_new_industry_first_and_exports(site_data, lz_zone_user, client):
    z = site_data["GS-LZ"]
    big = services.create_project(lz_zone_user, new(z, name="大项目", contracted_fdi=Decimal("50000")))
    newind = services.create_project(lz_zone_user, new(z, name="氢能项目", contracted_fdi=Decimal("12000"),
                                                       new_industry=True, investor_country="德国",
                                                       factor_needs="用地200亩"))
    assert key_foreign(lz_zone_user.scope) == [newind, big]
    client.force_login(lz_zone_user)
    today = timezone.localdate()
    response = client.get(reverse("investment:key_foreign_export") + f"?month={today:%Y-%m}")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet["A1"].value == f"重点外资项目清单（{today.year}年{today.month}月）"
    heading = [c.value for c in sheet[3]]  # title, subtitle, heading (jingkai.spreadsheets)
    assert heading[:5] == ["序号", "项目名称", "投资方", "国别（地区）", "合同外资（万美元）"]
    assert heading[-1] == "本月进展"
    assert [c.value for c in sheet[4]][1:5] == ["氢能项目", "宁德时代新能源科技股份有限公司", "德国", 12000]
    assert sheet.print_title_rows == "$3:$3" and sheet.page_setup.paperSize == 9
    assert book.properties.created.date() == date(today.year, today.month, calendar.monthrange(today.year,
                                                                                               today.month)[1])
    # the month before both were entered: they were not projects yet
    before = today.replace(day=1) - timedelta(days=1)
    response = client.get(reverse("investment:key_foreign_export") + f"?month={before:%Y-%m}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A4"].value == "本月暂无重点外资项目"


def test_key_foreign_month_shows_the_stage_and_progress_of_that_month(site_data, lz_zone_user):
    p = services.create_project(lz_zone_user, new(site_data["GS-LZ"], contracted_fdi=Decimal("10000")),
                                on=date(2026, 9, 10))
    p = walk(lz_zone_user, p, Stage.SIGNED)
    StageChange.objects.filter(project=p).exclude(to_stage=Stage.LEAD).update(on=date(2026, 11, 3))
    services.add_follow_up(lz_zone_user, p, text="完成签约", on=date(2026, 11, 3))
    services.add_follow_up(lz_zone_user, p, text="九月初次接触", on=date(2026, 9, 12))
    for month, stage, progress in ((10, "线索", "本月无新进展"), (11, "签约", "11月3日：完成签约")):
        sheet = openpyxl.load_workbook(io.BytesIO(exports.key_foreign_xlsx([p], 2026, month, "兰州"))).active
        row = [c.value for c in sheet[4]]
        assert (row[7], row[-1]) == (stage, progress)


def test_ledger_and_performance_exports(site_data, lz_project, lz_zone_user, client):
    signed = walk(lz_zone_user, services.create_project(lz_zone_user, new(site_data["GS-LZ"], name="已签约项目")),
                  Stage.SIGNED)
    Project.objects.filter(pk=signed.pk).update(stage_since=timezone.localdate() - timedelta(days=90))
    client.force_login(lz_zone_user)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("investment:ledger_export")).content)).active
    assert sheet["A1"].value.startswith("招商线索台账") and sheet["K3"].value == "本阶段天数（天）"
    assert sorted(sheet.cell(r, 2).value for r in (4, 5)) == ["已签约项目", "锂电正极材料项目"]
    response = client.get(reverse("investment:performance_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4 and sheet["B4"].value == "已签约项目"  # only the signed one
    assert (sheet["H4"].value, sheet["I4"].value) == (90, "是")  # 90 天 included


@pytest.mark.parametrize(("days", "raised"), [(89, False), (90, True)])
def test_stalled_signed_project_raises_one_supervision_at_90_days(lz_project, lz_zone_user, days, raised):
    project = walk(lz_zone_user, lz_project, Stage.SIGNED)
    today = date(2026, 11, 25)
    Project.objects.filter(pk=project.pk).update(stage_since=today - timedelta(days=days))
    alerts = services.check_stale(today)
    assert bool(alerts) is raised
    assert services.check_stale(today) == []  # idempotent
    tasks = Task.objects.filter(item_code=services.STALE_ITEM)
    assert tasks.count() == (1 if raised else 0)
    if raised:
        task = tasks.get()
        assert task.owner == OrgUnit.objects.get(zone=project.zone) and task.zone == project.zone
        assert "90 天" in task.title and StaleAlert.objects.get().task_id == task.pk


def test_leads_and_finished_projects_do_not_raise(lz_project, lz_zone_user):
    today = date(2026, 11, 25)
    Project.objects.filter(pk=lz_project.pk).update(stage_since=today - timedelta(days=400))  # a lead
    assert services.check_stale(today) == []


def test_check_stale_command(lz_project, lz_zone_user, capsys):
    project = walk(lz_zone_user, lz_project, Stage.STARTED)
    Project.objects.filter(pk=project.pk).update(stage_since=date(2026, 1, 1))
    call_command("investment", "check-stale", "--date", "2026-11-25")
    call_command("investment", "check-stale", "--date", "2026-11-25")
    assert Task.objects.filter(item_code=services.STALE_ITEM).count() == 1
    assert "新增督办 1 项" in capsys.readouterr().out


def test_board_and_landing(site_data, lz_zone_user):
    today = timezone.localdate()
    z = site_data["GS-LZ"]
    a = services.create_project(lz_zone_user, new(z, name="甲", next_action_date=today))
    b = services.create_project(lz_zone_user, new(z, name="乙", next_action_date=today - timedelta(days=1)))
    walk(lz_zone_user, a, Stage.STARTED)
    view = board(lz_zone_user.scope, today)
    assert view.due_this_week == [a] and view.overdue == [b]
    result = landing(lz_zone_user.scope)
    signed = next(f for f in result.funnel if f.stage == Stage.SIGNED)
    assert signed.reached == 1 and signed.conversion == 1.0
    assert next(f for f in result.funnel if f.stage == Stage.CONTACT).conversion == 0.5
    rate = result.by_zone[0]
    assert (rate.signed, rate.started, rate.sign_to_start, rate.start_to_produce) == (1, 1, 1.0, 0.0)


def test_pages_in_chinese(site_data, lz_project, lz_zone_user, client):
    client.force_login(lz_zone_user)
    for url in (reverse("investment:board"), reverse("investment:landing"), reverse("investment:key_foreign"),
                reverse("investment:project", args=[lz_project.pk]), reverse("investment:create")):
        html = client.get(url).content.decode()
        assert "None" not in html, url
    response = client.post(reverse("investment:create"), {
        "name": "新项目", "company": "宁德时代", "origin": "event", "zone": site_data["GS-LZ"].pk})
    assert "名称相近" in response.content.decode() and Project.objects.count() == 1
    response = client.post(reverse("investment:create"), {
        "name": "新项目", "company": "宁德时代", "origin": "event", "zone": site_data["GS-LZ"].pk,
        "confirm_duplicate": "on"})
    assert response.status_code == 302 and Project.objects.count() == 2
    url = reverse("investment:follow_up", args=[lz_project.pk])
    client.post(url, {"text": "已电话沟通", "next_action_date": "2026-12-10", "next_action": "赴厦门拜访"})
    lz_project.refresh_from_db()
    assert lz_project.next_action == "赴厦门拜访" and lz_project.follow_ups.count() == 1
    client.post(reverse("investment:transition", args=[lz_project.pk]), {"action": "to_contact"})
    lz_project.refresh_from_db()
    assert lz_project.stage == Stage.CONTACT


def test_zone_page_shows_the_pipelines_signed_projects_and_foreign_investment(site_data, lz_zone_user, client):
    z = site_data["GS-LZ"]
    today = timezone.localdate()
    a = walk(lz_zone_user, services.create_project(lz_zone_user, new(z, name="甲", contracted_fdi=Decimal("12000"))),
             Stage.STARTED)
    Project.objects.filter(pk=a.pk).update(actual_fdi=Decimal("3000.50"))
    services.create_project(lz_zone_user, new(z, name="乙", contracted_fdi=Decimal("9000")))  # a lead: not counted
    figures = zone_pipeline(lz_zone_user.scope, z, today)
    assert (figures.signed_this_year, figures.signed_open, figures.contracted_fdi, figures.actual_fdi) == (
        1, 1, 12000.0, 3000.5)
    Project.objects.filter(pk=a.pk).update(stage_since=today - timedelta(days=120))
    services.check_stale(today)
    assert zone_pipeline(lz_zone_user.scope, z, today).stalled == 1
    client.force_login(lz_zone_user)
    page = client.get(reverse("zones:detail", args=[z.code])).content.decode()
    assert "招商项目台账口径" in page and "3,000.50 万美元" in page and "1 个停滞 90 天以上已督办" in page
    assert "None" not in page


def test_events_count_their_leads_and_signings_within_the_scope(site_data, lz_zone_user, jc_zone_user, prov_user,
                                                                 client):
    from jingkai.investment.models import CoBuild, Event
    from jingkai.investment.selectors import co_build_list, event_list, event_rows

    lz, jc = site_data["GS-LZ"], site_data["GS-JC"]
    fair = Event.objects.create(name="投资中国·甘肃专场", kind=Event.Kind.INVEST_CHINA, held_on=date(2026, 5, 1),
                                participants="甲公司\n乙公司\n\n")
    local = Event.objects.create(name="金昌推介会", kind=Event.Kind.PROMOTION, held_on=date(2026, 6, 1), zone=jc)
    a = services.create_project(lz_zone_user, new(lz, name="甲", event_id=fair.pk,
                                                  planned_investment=Decimal("50000")))
    walk(lz_zone_user, a, Stage.SIGNED)
    services.create_project(lz_zone_user, new(lz, name="乙", event_id=fair.pk))
    services.create_project(jc_zone_user, new(jc, name="丙", event_id=fair.pk))
    assert list(event_list(lz_zone_user.scope)) == [fair]  # 金昌's own event is not 兰州's
    [row] = event_rows(lz_zone_user.scope, [fair])
    assert (row.leads, row.signed, row.planned_investment) == (2, 1, 50000.0)
    assert event_rows(prov_user.scope, [fair])[0].leads == 3 and fair.participant_list == ["甲公司", "乙公司"]
    co = CoBuild.objects.create(zone=lz, partner="某东部经开区", partner_region="江苏省", signed_on=date(2025, 3, 1),
                                sharing="税收五五分成")
    co.projects.set([a])
    assert list(co_build_list(jc_zone_user.scope)) == [] and list(co_build_list(lz_zone_user.scope)) == [co]
    client.force_login(lz_zone_user)
    for url, shown in ((reverse("investment:events"), "投资中国·甘肃专场"), (reverse("investment:event", args=[fair.pk]), "乙公司"),
                       (reverse("investment:co_builds"), "税收五五分成"),
                       (reverse("investment:project", args=[a.pk]), "投资中国·甘肃专场")):
        page = client.get(url).content.decode()
        assert "None" not in page and shown in page, url
    assert client.get(reverse("investment:event", args=[local.pk])).status_code == 404
