"""The 补链清单 of a zone: only missing and weak links, the suggested targets with their reasons, the team (the
zone's committee with the chain's 链主); Excel by jingkai.spreadsheets, Word rendered by LibreOffice."""

import io

import docx
import openpyxl
from django.urls import reverse

from jingkai import pdfcheck
from jingkai.chains.models import TargetCompany
from jingkai.chains.selectors import zone_gap_list, zone_gaps
from jingkai.chains.services import save_leader
from jingkai.chains.tests.test_chains import lz, placed  # noqa: F401  (fixture)


def _setup(prov_user):
    save_leader(prov_user, lz(0), "GS-NE")
    TargetCompany.objects.create(name="演示正极材料股份有限公司", hq_region="江苏省", industry_code="C3985",
                                 main_products="正极材料、三元前驱体", lists=["china_500:2025:210"], demo=True)


def test_gap_list_holds_missing_and_weak_links_with_targets_and_team(placed, prov_user):  # noqa: F811
    _setup(prov_user)
    zone = placed["GS-LZ"]
    rows = zone_gap_list(prov_user.scope, zone)
    expected = {(g.chain.name, lg.link.name) for g in zone_gaps(prov_user.scope, zone) for lg in g.links
                if lg.status in ("missing", "weak")}
    assert {(r.chain, r.link) for r in rows} == expected and rows
    assert {r.status for r in rows} <= {"missing", "weak"}
    ne = [r for r in rows if r.chain == "新能源"]
    assert ne and all(f"协同链主：{lz(0).name}" in r.team for r in ne)
    assert all(r.team.startswith(zone.committee.name) for r in rows)
    cathode = next(r for r in rows if r.targets and r.targets[0]["name"] == "演示正极材料股份有限公司")
    assert any("中国企业500强" in w for w in cathode.targets[0]["why"])


def test_gap_exports_download_and_render(placed, prov_user, client, tmp_path):  # noqa: F811
    _setup(prov_user)
    client.force_login(prov_user)
    response = client.get(reverse("chains:gaps_export") + "?zone=GS-LZ")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "兰州经济技术开发区补链清单"
    assert [c.value for c in sheet[3]][8:10] == ["建议招引目标企业", "匹配得分"]
    assert "演示正极材料股份有限公司（演示）" in [sheet.cell(r, 9).value for r in range(4, sheet.max_row + 1)]
    response = client.get(reverse("chains:gaps_word") + "?zone=GS-LZ")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text.replace("\n", "") == "兰州经济技术开发区补链清单"
    pdf = pdfcheck.render(response.content, ".docx", tmp_path)
    pages = pdfcheck.read(pdf)
    text = "".join(p.text for p in pages).replace("\n", "")
    assert "缺失和薄弱环节及建议招引企业表" in text and "演示正极材料股份有限公司" in text
    assert not pdfcheck.page_number_problems(pages)


def test_teams_answer_for_the_links_they_cover(placed, prov_user, client):  # noqa: F811
    from jingkai.investment.models import Team

    _setup(prov_user)
    zone = placed["GS-LZ"]
    rows = zone_gap_list(prov_user.scope, zone)
    ne = [r for r in rows if r.chain == "新能源"]
    one = next(lg.link for g in zone_gaps(prov_user.scope, zone) for lg in g.links
               if g.chain.code == "GS-NE" and lg.status in ("missing", "weak"))
    Team.objects.create(zone=zone, name="储能小分队", leader="张三", coverage=[f"GS-NE/{one.code}"])
    Team.objects.create(zone=zone, name="化工专班", kind="taskforce", leader="李四", coverage=["GS-PC"])
    Team.objects.create(zone=placed["GS-JC"], name="金昌小分队", leader="王五", coverage=["GS-NE", "GS-PC"])
    rows = zone_gap_list(prov_user.scope, zone)
    by_link = {(r.chain, r.link): r.team for r in rows}
    assert by_link[("新能源", one.name)] == f"储能小分队（负责人：张三）（协同链主：{lz(0).name}）"
    others = [t for (c, link), t in by_link.items() if c == "新能源" and link != one.name]
    assert len(others) == len(ne) - 1 and all(t.startswith(zone.committee.name) for t in others)  # fallback
    pc = [t for (c, _), t in by_link.items() if c == "石油化工"]
    assert pc and all(t == "化工专班（负责人：李四）" for t in pc)
    assert "金昌小分队" not in "".join(by_link.values())
    client.force_login(prov_user)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("chains:gaps_export") + "?zone=GS-LZ").content)).active
    assert "化工专班（负责人：李四）" in [sheet.cell(r, 12).value for r in range(4, sheet.max_row + 1)]
    text = "".join(c.text for t in docx.Document(io.BytesIO(client.get(reverse("chains:gaps_word") + "?zone=GS-LZ")
                                                             .content)).tables for row in t.rows for c in row.cells)
    assert "储能小分队（负责人：张三）" in text
