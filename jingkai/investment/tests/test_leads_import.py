"""The 招商线索 import: all or nothing, scoped to the user's zones, new rows as 线索 of the zone's committee,
existing ones updated without their stage moving."""

import io
from datetime import date

import openpyxl
from django.utils import timezone

from jingkai.intake.services import run_import, write_template
from jingkai.investment import services
from jingkai.investment.imports import NO_COMMITTEE
from jingkai.investment.models import Project, Stage
from jingkai.investment.tests.test_pipeline import new, walk
from jingkai.zones.models import Zone

HEAD = "zone_code,name,company,origin,contracted_fdi,new_industry,next_action_date,chain_links\n"


def test_leads_import_creates_leads_and_updates_without_moving_the_stage(site_data, lz_zone_user, tmp_path):
    signed = walk(lz_zone_user, services.create_project(lz_zone_user, new(site_data["GS-LZ"], name="已签约项目")),
                  Stage.SIGNED)
    f = tmp_path / "leads.csv"
    f.write_text(HEAD + "GS-LZ,氢能装备项目,某氢能科技有限公司,event,12000,是,2026-12-20,GS-NE/GS-NE-03\n"
                 "GS-LZ,已签约项目,宁德时代新能源科技股份有限公司,chain_leader,500,否,,\n", encoding="utf-8")
    result = run_import("investment-leads", f, user=lz_zone_user)
    assert result.ok and (result.created, result.updated) == (1, 1), result.errors
    lead = Project.objects.get(name="氢能装备项目")
    assert (lead.stage, lead.stage_since, lead.owner_unit, lead.zone) == (
        Stage.LEAD, timezone.localdate(), site_data["GS-LZ"].committee, site_data["GS-LZ"])
    assert lead.is_key_foreign and lead.new_industry and lead.next_action_date == date(2026, 12, 20)
    assert lead.chain_links == ["GS-NE/GS-NE-03"]
    signed.refresh_from_db()
    assert signed.stage == Stage.SIGNED and float(signed.contracted_fdi) == 500


def test_leads_import_is_all_or_nothing_and_scoped(site_data, lz_zone_user, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(HEAD + "GS-LZ,甲项目,甲公司,event,,,,\nGS-JC,乙项目,乙公司,event,,,,\nGS-LZ,丙项目,丙公司,lottery,-5,,,\n",
                 encoding="utf-8")
    result = run_import("investment-leads", f, user=lz_zone_user)
    assert not result.ok and Project.objects.count() == 0
    messages = {(e.row, e.column.split("（")[0]): e.message for e in result.errors}
    assert "无权导入园区 GS-JC" in messages[(3, "落地园区")]
    assert (4, "线索来源") in messages and (4, "合同外资") in messages


def test_zone_without_committee_is_refused(site_data, tmp_path):
    Zone.objects.create(code="GS-XX", name="某新设开发区", level=Zone.Level.PROVINCIAL, region=Zone.Region.WEST,
                        province="甘肃省")
    f = tmp_path / "x.csv"
    f.write_text(HEAD + "GS-XX,甲项目,甲公司,event,,,,\n", encoding="utf-8")
    result = run_import("investment-leads", f)
    assert not result.ok and result.errors[0].message == NO_COMMITTEE


def test_leads_template_has_the_chinese_headings(db, tmp_path):
    path = write_template("investment-leads", tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]
    headings = [c.value for row in sheet.iter_rows(max_row=6) for c in row if c.value]
    assert "合同外资（万美元）" in headings and "线索来源" in headings and "阶段" not in headings


def test_similar_companies_are_refused_unless_confirmed(site_data, lz_zone_user, jc_zone_user, tmp_path):
    services.create_project(lz_zone_user, new(site_data["GS-LZ"], name="在跟进项目"))  # 宁德时代新能源科技股份有限公司
    services.create_project(jc_zone_user, new(site_data["GS-JC"], name="金昌项目", company="某某锂业集团有限公司"))
    head = "zone_code,name,company,origin,confirm_distinct\n"
    f = tmp_path / "dup.csv"
    f.write_text(head + "GS-LZ,新电池项目,宁德时代,event,\n"  # 简称 of a lead of the zone
                 "GS-LZ,锂盐项目,甘肃某某锂业有限公司,event,\n"  # like 金昌's lead: counted, not named
                 "GS-LZ,氢能项目,兰州氢能装备有限公司,event,\n"
                 "GS-LZ,氢能二期,兰州氢能装备股份有限公司,event,\n"  # like the row above
                 "GS-LZ,在跟进项目,宁德时代新能源科技股份有限公司,event,\n", encoding="utf-8")  # itself: no, row 2: yes
    result = run_import("investment-leads", f, user=lz_zone_user)
    assert not result.ok and Project.objects.count() == 2
    errors = {e.row: e for e in result.errors}
    assert set(errors) == {2, 3, 5, 6}
    assert "在跟进项目" not in errors[6].message and "与本文件第 2 行的投资方“宁德时代”名称相近" in errors[6].message
    assert errors[2].column.startswith("投资方企业") and errors[2].value == "宁德时代"
    assert "兰州经济技术开发区在跟进项目“在跟进项目”的投资方“宁德时代新能源科技股份有限公司”名称相近" in errors[2].message
    assert "另有其他园区的 1 个在跟进项目投资方名称相近" in errors[3].message and "金昌" not in errors[3].message
    assert "与本文件第 4 行的投资方“兰州氢能装备有限公司”名称相近" in errors[5].message
    assert "“确认不重复”列填“是”" in errors[5].message
    f.write_text(head + "GS-LZ,新电池项目,宁德时代,event,是\nGS-LZ,锂盐项目,甘肃某某锂业有限公司,event,是\n"
                 "GS-LZ,氢能项目,兰州氢能装备有限公司,event,\nGS-LZ,氢能二期,兰州氢能装备股份有限公司,event,是\n",
                 encoding="utf-8")
    result = run_import("investment-leads", f, user=lz_zone_user)
    assert result.ok and result.created == 4, result.errors
