"""The 招商活动 and 合作共建 imports: all or nothing, scoped (a zone its own; a province-wide event the province
only), keyed by (活动名称, 举办日期) and (本地园区, 合作园区), templates with Chinese headings."""

import io
from datetime import date

import openpyxl

from jingkai.intake.services import run_import, write_template
from jingkai.investment.models import CoBuild, Event


def test_events_import_creates_updates_and_is_scoped(site_data, lz_zone_user, prov_user, tmp_path):
    f = tmp_path / "events.csv"
    head = "活动名称,活动类型,举办日期,举办地点,组织园区,参会企业和机构\n"
    f.write_text(head + "兰州推介会,推介会,2025-05-01,兰州,兰州经济技术开发区,甲公司;乙公司\n", encoding="utf-8")
    assert run_import("investment-events", f, user=lz_zone_user).ok
    event = Event.objects.get()
    assert (event.kind, event.held_on, event.zone, event.participant_list) == (
        "promotion", date(2025, 5, 1), site_data["GS-LZ"], ["甲公司", "乙公司"])
    f.write_text(head + "兰州推介会,推介会,2025-05-01,兰州新区,GS-LZ,甲公司\n"
                 "投资中国专场,投资中国,2025-06-01,北京,,\n"
                 "金昌推介会,推介会,2025-06-01,金昌,GS-JC,\n", encoding="utf-8")
    result = run_import("investment-events", f, user=lz_zone_user)
    assert not result.ok and Event.objects.get().place == "兰州"  # nothing written
    messages = {(e.row, e.column.split("（")[0]): e.message for e in result.errors}
    assert "只能由省级用户导入" in messages[(3, "组织园区")] and "无权导入园区 GS-JC" in messages[(4, "组织园区")]
    result = run_import("investment-events", f, user=prov_user)
    assert result.ok and (result.created, result.updated) == (2, 1), result.errors
    assert Event.objects.get(name="投资中国专场").zone is None


def test_co_builds_import(site_data, lz_zone_user, tmp_path):
    f = tmp_path / "co.csv"
    f.write_text("本地园区,合作园区（东中部）,合作方所在省份,签订日期,合作期限,利益分享机制\n"
                 "GS-LZ,江苏某经开区,江苏省,2024-03-01,10年,税收五五分成\nGS-LZ,浙江某园区,浙江省,2024-13-01,,\n",
                 encoding="utf-8")
    result = run_import("investment-co-builds", f, user=lz_zone_user)
    assert not result.ok and CoBuild.objects.count() == 0
    assert {e.column.split("（")[0] for e in result.errors} == {"签订日期", "利益分享机制"}
    f.write_text("本地园区,合作园区（东中部）,合作方所在省份,签订日期,利益分享机制\n"
                 "GS-LZ,江苏某经开区,江苏省,2024-03-01,税收五五分成\n", encoding="utf-8")
    assert run_import("investment-co-builds", f, user=lz_zone_user).ok
    assert CoBuild.objects.get().sharing == "税收五五分成"


def test_templates_have_chinese_headings(db, tmp_path):
    for kind, heading in (("investment-events", "举办日期"), ("investment-co-builds", "利益分享机制")):
        path = write_template(kind, tmp_path / f"{kind}.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]
        assert heading in [c.value for row in sheet.iter_rows(max_row=6) for c in row if c.value]
