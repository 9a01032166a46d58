"""Evaluation pages through the Django test client: ranking, scorecard, scope, what-if, target path,
recompute, exports."""

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from jingkai import pdfcheck
from jingkai.evaluation import selectors, services
from jingkai.evaluation.models import EvaluationRun
from jingkai.evaluation.testing import make_evaluation_data
from jingkai.testing import make_user, zone_user
from jingkai.zones.models import Zone

GANSU = {"GS-LZ", "GS-JC", "GS-TS", "GS-ZY"}


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def run(db):
    make_evaluation_data(n=30, years=(2022, 2023))
    services.run_evaluation("mofcom-2021", 2022)
    return services.run_evaluation("mofcom-2021", 2023, sensitivity=200).run


@pytest.fixture
def province(client, run, province_user):
    client.force_login(province_user)
    return client


def rows_of(html: str) -> list[tuple[str, str]]:
    """(class, unit) of each ranking row."""
    return re.findall(r'<tr class="([^"]*)" data-unit="([^"]+)"', html)


def charts(html: str) -> dict:
    return json.loads(re.search(r'<script id="evaluation-charts" type="application/json">(.*?)</script>',
                                html, re.S).group(1))


def test_pages_need_login(client, run):
    for url in (reverse("evaluation:ranking"), reverse("evaluation:scorecard", args=["GS-LZ"])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_ranking_lists_every_zone_and_highlights_gansu(province):
    html = province.get(reverse("evaluation:ranking")).content.decode()
    rows = rows_of(html)
    assert len(rows) == 30
    assert {unit for cls, unit in rows if "gansu" in cls.split()} == GANSU
    assert [unit for _, unit in rows] == [r.unit for r in selectors.ranking(selectors.current_run("mofcom-2021"))]
    assert "2023 年数据" in html and "口径待核实" in html
    assert "重新计算" in html  # the province may recompute
    assert "排名区间" in html  # Monte Carlo figures of the current run
    for code in GANSU:  # Gansu's zones on cards above the table, with links to their scorecards
        assert reverse("evaluation:scorecard", args=[code]) in html


def test_region_tab_orders_by_region_rank_and_marks_the_bottom_five(province):
    html = province.get(reverse("evaluation:ranking"), {"region": "west"}).content.decode()
    rows = rows_of(html)
    west = selectors.ranking(selectors.current_run("mofcom-2021"), "west")
    assert [unit for _, unit in rows] == [r.unit for r in west]
    assert [unit for cls, unit in rows if "bottom5" in cls.split()] == [r.unit for r in west][-5:]


def test_year_and_methodology_selectors(province):
    html = province.get(reverse("evaluation:ranking"), {"year": 2022}).content.decode()
    assert "2022 年数据" in html
    html = province.get(reverse("evaluation:ranking"), {"methodology": "gansu-provincial-upgrade"}).content.decode()
    assert "尚无计算结果" in html
    assert "coinr-asem-example" not in html  # not a zone methodology


def test_scorecard_shows_radar_drags_interval_and_trend(province):
    response = province.get(reverse("evaluation:scorecard", args=["GS-ZY"]))
    assert response.status_code == 200
    html = response.content.decode()
    data = charts(html)
    run = selectors.current_run("mofcom-2021")
    rec = run.unit("GS-ZY")
    groups = ["opening", "quality", "innovation", "green", "coordination"]
    assert [i["name"] for i in data["radar"]["indicators"]] == ["对外开放", "发展质量", "科技创新", "绿色发展", "统筹协调"]
    assert data["radar"]["series"][0]["value"] == [round(rec.scores[g], 2) for g in groups]
    diag = services.diagnosis(run, "GS-ZY")
    by_code = {r["indicator"]: r for r in diag["indicators"]}
    assert data["drags"]["names"] == [by_code[c]["name"] for c in diag["drags"]]
    assert all(v > 0 for v in data["drags"]["median"])
    assert data["trend"]["years"] == [2022, 2023] and data["trend"]["rank"][-1] == rec.rank
    sens = run.sensitivity["units"]["GS-ZY"]
    assert f"{sens['rank_interval'][0]:,.0f}—{sens['rank_interval'][1]:,.0f}" in html
    assert "落入西部后五名概率" in html and "口径待核实" in html


def test_zone_user_sees_the_ranking_but_only_its_own_scorecard(client, run):
    lz = zone_user(Zone.objects.get(code="GS-LZ"))
    client.force_login(lz)
    html = client.get(reverse("evaluation:ranking")).content.decode()
    assert len(rows_of(html)) == 30
    assert reverse("evaluation:scorecard", args=["GS-LZ"]) in html
    assert reverse("evaluation:scorecard", args=["GS-JC"]) not in html  # no link to other zones
    assert "重新计算" not in html and 'action="/evaluation/compute/"' not in html
    assert client.get(reverse("evaluation:scorecard", args=["GS-LZ"])).status_code == 200
    for name in ("evaluation:scorecard", "evaluation:export_scorecard"):
        assert client.get(reverse(name, args=["GS-JC"])).status_code == 404
    for name in ("evaluation:what_if", "evaluation:target"):
        assert client.post(reverse(name, args=["GS-JC"]), {"kind": "rank", "rank": 1}).status_code == 404
    assert client.post(reverse("evaluation:compute"), {"methodology": "mofcom-2021"}).status_code == 403
    assert client.get(reverse("evaluation:export_ranking")).status_code == 200


def test_account_without_organisation_sees_nothing(client, run):
    client.force_login(make_user("no-unit"))
    assert client.get(reverse("evaluation:ranking")).status_code == 403
    assert client.get(reverse("evaluation:export_ranking")).status_code == 403
    assert client.get(reverse("evaluation:scorecard", args=["GS-LZ"])).status_code == 403  # refused before any lookup: no organisation, no evaluation


def test_department_user_sees_every_scorecard(client, run, department_user):
    client.force_login(department_user)
    assert client.get(reverse("evaluation:scorecard", args=["Z03"])).status_code == 200
    assert client.post(reverse("evaluation:compute"), {"methodology": "mofcom-2021"}).status_code == 403


def test_unknown_zone_or_zone_outside_the_run_is_404(province):
    assert province.get(reverse("evaluation:scorecard", args=["NOPE"])).status_code == 404
    assert province.get(reverse("evaluation:scorecard", args=["GS-LZ"]), {"year": 2019}).status_code == 404


def _arrow(html: str, field: str) -> tuple[int, int]:
    before, after = re.search(rf'data-field="{field}">(\d+) → (\d+)<', html).groups()
    return int(before), int(after)


def test_what_if_changes_the_rank_in_the_expected_direction(province):
    run = selectors.current_run("mofcom-2021")
    url = reverse("evaluation:what_if", args=["GS-ZY"])
    top = max(run.inputs["high_tech_trade"])
    html = province.post(url, {"high_tech_trade": top * 3, "trade_total": max(run.inputs["trade_total"]) * 3},
                         HTTP_HX_REQUEST="true").content.decode()
    before, after = _arrow(html, "rank")
    assert after < before  # far more trade: a better (smaller) national rank
    region_before, region_after = _arrow(html, "region_rank")
    assert region_after <= region_before
    assert "<html" not in html  # an HTMX partial
    worse = province.post(url, {"energy_per_value_added": max(run.inputs["energy_per_value_added"]) * 5,
                                "co2_growth": 0.5}, HTTP_HX_REQUEST="true").content.decode()
    before, after = _arrow(worse, "rank")
    assert after >= before  # lower is better for both: a worse rank
    # without HTMX: the whole scorecard with the result
    page = province.post(url, {"high_tech_trade": top * 3}).content.decode()
    assert "<html" in page and 'data-field="rank"' in page
    # a non-number: a Chinese error
    assert "不是数字" in province.post(url, {"gdp": "abc"}, HTTP_HX_REQUEST="true").content.decode()
    assert EvaluationRun.objects.count() == 2  # what-if stores nothing


def test_what_if_with_the_prefilled_form_changes_nothing(province):
    page = province.get(reverse("evaluation:scorecard", args=["GS-LZ"])).content.decode()
    form = dict(re.findall(r'<input class="num" id="wi-[^"]+" name="([^"]+)" inputmode="decimal" value="([^"]*)">', page))
    assert len(form) == 18  # 17 indicators and the bonus column
    run = selectors.current_run("mofcom-2021")
    assert float(form["gdp"]) == run.inputs["gdp"][run.inputs["zone_code"].index("GS-LZ")]
    html = province.post(reverse("evaluation:what_if", args=["GS-LZ"]), form, HTTP_HX_REQUEST="true").content.decode()
    assert "没有修改任何指标值" in html


def test_target_path_returns_a_table(province):
    run = selectors.current_run("mofcom-2021")
    last = selectors.ranking(run, "west")[-1]
    response = province.post(reverse("evaluation:target", args=[last.unit]),
                             {"kind": "group_rank", "rank": last.region_rank - 1}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "可达到目标" in html
    assert "<th>指标</th>" in html and "<th class=\"num\">增加得分</th>" in html
    assert len(re.findall(r'<tr data-indicator="', html)) >= 1
    assert int(re.search(r'data-field="region_rank">(\d+)<', html).group(1)) <= last.region_rank - 1
    national = province.post(reverse("evaluation:target", args=[last.unit]), {"kind": "rank", "rank": "x"},
                             HTTP_HX_REQUEST="true").content.decode()
    assert "目标名次须为正整数" in national


def test_province_recomputes_and_identical_runs_are_reused(province):
    before = EvaluationRun.objects.count()
    response = province.post(reverse("evaluation:compute"), {"methodology": "mofcom-2021", "year": 2023,
                                                             "sensitivity": 200}, follow=True)
    assert "数据与评价方法未变，沿用已有结果（含不确定性分析 N = 200）" in response.content.decode()
    assert EvaluationRun.objects.count() == before
    refused = province.post(reverse("evaluation:compute"), {"methodology": "mofcom-2021", "year": 2023,
                                                            "sensitivity": 7}, follow=True)
    assert "不确定性分析：样本数“7”不是可选项" in refused.content.decode()  # N outside the choices: an error
    assert EvaluationRun.objects.count() == before
    province.post(reverse("evaluation:compute"), {"methodology": "mofcom-2021", "year": 2023, "sensitivity": 0})
    plain = selectors.current_run("mofcom-2021", 2023)
    assert plain.sensitivity_runs == 0
    assert EvaluationRun.objects.count() == before + 1
    response = province.post(reverse("evaluation:compute"), {"methodology": "gansu-provincial-upgrade",
                                                             "year": 2023}, follow=True)
    assert "已完成计算并保存" in response.content.decode()
    assert EvaluationRun.objects.count() == before + 2
    assert len(rows_of(response.content.decode())) == 30


def test_ranking_exports_to_excel_with_gansu_highlighted(province):
    response = province.get(reverse("evaluation:export_ranking"), {"region": "west"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["排名", "说明", "口径待核实"]
    ws = wb["排名"]
    assert "排名（2023年度数据，" in ws["A1"].value and ws.freeze_panes == "E4"
    assert ws.print_title_rows == "$3:$3" and ws.page_setup.orientation == "landscape"
    header = [c.value for c in ws[3]]
    assert header[:7] == ["全国排名", "地区排名", "园区代码", "园区名称", "省份", "地区", "综合得分"]
    assert "落入地区后五名概率" in header
    body = list(ws.iter_rows(min_row=4))
    codes = [r[2].value for r in body]
    assert codes == [r.unit for r in selectors.ranking(selectors.current_run("mofcom-2021"), "west")]
    filled = {r[2].value for r in body if r[2].fill.fgColor.rgb not in (None, "00000000")}
    assert filled == GANSU
    assert len(list(wb["口径待核实"].iter_rows(min_row=3))) == 18


def test_scorecard_exports_to_word_in_official_fonts(province):
    response = province.get(reverse("evaluation:export_scorecard", args=["GS-ZY"]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "张掖经济技术开发区2023年度\n综合发展水平评价得分卡"  # broken where the words allow
    assert doc.core_properties.author == "甘肃省商务厅" and doc.core_properties.title == texts[0].replace("\n", "")
    headings = [p for p in doc.paragraphs if re.match(r"^[一二三四五六七八九十]、", p.text)]
    assert [p.text for p in headings] == ["一、总体情况", "二、分组得分", "三、主要拖累指标", "四、历年排名", "五、说明"]
    assert all(r.font.name == "黑体" for p in headings for r in p.runs)
    body = next(p for p in doc.paragraphs if p.text.startswith("按"))
    assert all("仿宋" in r.font.name for r in body.runs)
    run = selectors.current_run("mofcom-2021")
    rec = run.unit("GS-ZY")
    assert f"全国第{rec.rank}名（共30个）" in body.text and "5%—95%区间" in body.text
    groups, drags, trend = doc.tables
    assert [r.cells[0].text for r in groups.rows[1:]] == ["对外开放", "发展质量", "科技创新", "绿色发展", "统筹协调"]
    diag = services.diagnosis(run, "GS-ZY")
    names = {r["indicator"]: r["name"] for r in diag["indicators"]}
    assert [r.cells[0].text.removesuffix("（口径待核实）") for r in drags.rows[1:]] == [names[c] for c in diag["drags"]]
    assert [r.cells[0].text for r in trend.rows[1:]] == ["2022", "2023"]
    for t in doc.tables:  # jingkai.documents tables: fitted widths in the grid, the heading row repeats
        grid = [int(g.get(qn("w:w"))) for g in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert len(set(grid)) > 1 and abs(sum(grid) - 156 / 25.4 * 1440) < 30
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    today = timezone.localdate()
    assert texts[-2:] == ["甘肃省商务厅", f"{today.year}年{today.month}月{today.day}日"]


def test_scorecard_reads_as_a_document_in_the_pdf(province, tmp_path):
    blob = province.get(reverse("evaluation:export_scorecard", args=["GS-ZY"])).content
    pdf = pdfcheck.render(blob, ".docx", tmp_path, "scorecard")
    pages = pdfcheck.read(pdf)
    assert 1 <= len(pages) <= 3
    assert pdfcheck.page_number_problems(pages) == []
    assert pdfcheck.headings_last_on_page(pages) == []
    assert pdfcheck.broken_numbers(pages, pdfcheck.docx_numbers(blob)) == []
    last = [ln.text for ln in pages[-1].lines]
    assert last[last.index("甘肃省商务厅") + 1].endswith("日")  # 署名 above the 成文日期, on one page
    groups = [ln for p in pages for ln in p.lines if ln.text.split()[0] in
              {"对外开放", "发展质量", "科技创新", "绿色发展", "统筹协调"}]
    assert len(groups) == 5  # one table row a group
    # the title, headings, body and the groups' table where tests/reference/scorecard-1.png has them (60 dpi)
    assert pdfcheck.reference_problems(pdf, Path(__file__).parent / "reference" / "scorecard-1.png") == []


def test_unreachable_target_shows_no_unchanged_rank_arrow(province):
    run = selectors.current_run("mofcom-2021")
    last = selectors.ranking(run, None)[-1]
    html = province.post(reverse("evaluation:target", args=[last.unit]), {"kind": "rank", "rank": 1},
                         HTTP_HX_REQUEST="true").content.decode()
    assert "未能达到目标：在可行的最大改进幅度内无法达到目标" in html
    assert "最多可由" in html and "→" not in html  # the engine gives no new rank when no path exists


def test_what_if_shows_changed_values_in_their_units(province):
    html = province.post(reverse("evaluation:what_if", args=["GS-LZ"]), {"rd_intensity": "0.05"},
                         HTTP_HX_REQUEST="true").content.decode()
    assert "5.00%" in html


def test_scorecard_word_is_the_same_bytes_for_the_same_data(province):
    url = reverse("evaluation:export_scorecard", args=["GS-ZY"])
    assert province.get(url).content == province.get(url).content


def test_invalid_selection_shows_a_chinese_error_and_the_latest_run(province):
    html = province.get(reverse("evaluation:ranking"), {"year": "abc", "region": "moon"}).content.decode()
    assert "数据年度须为四位数年份" in html and "地区：“moon”不是可选项" in html
    assert "2023 年数据" in html and len(rows_of(html)) == 30  # the defaults: latest year, 全国


def test_target_probability_outside_zero_and_one_is_refused(province):
    html = province.post(reverse("evaluation:target", args=["GS-LZ"]), {"kind": "out_of_bottom", "probability": "2"},
                         HTTP_HX_REQUEST="true").content.decode()
    assert "概率须在 0 到 1 之间" in html
    html = province.post(reverse("evaluation:target", args=["GS-LZ"]), {"kind": "nope"},
                         HTTP_HX_REQUEST="true").content.decode()
    assert "请选择目标类型" in html


def test_ranking_pages_with_a_page_size_and_jump_and_searches(province):
    ranking = [r.unit for r in selectors.ranking(selectors.current_run("mofcom-2021"))]
    html = province.get(reverse("evaluation:ranking"), {"size": 20, "page": 2}).content.decode()
    assert [unit for _, unit in rows_of(html)] == ranking[20:30]
    assert "共 30 条，第 21—30 条" in html and 'name="page" min="1" max="2" value="2"' in html
    assert '<option value="20" selected>' in html
    html = province.get(reverse("evaluation:ranking"), {"size": "x", "page": "abc"}).content.decode()
    assert len(rows_of(html)) == 30  # a bad size or page: the default size, the first page
    html = province.get(reverse("evaluation:ranking"), {"q": "甘肃"}).content.decode()
    assert {unit for _, unit in rows_of(html)} == GANSU and "共 4 条" in html
