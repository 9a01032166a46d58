"""The bulletin document: opened again with python-docx, its tables and words checked by hand figures."""

import io
import warnings
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import RGBColor

from jingkai.engines.monitoring import derive, to_records
from jingkai.monitoring import bulletin
from jingkai.monitoring.bulletin import BulletinData, MissingCJKFont, build_bulletin

ZONES = {"GS-LZ": "兰州经济技术开发区", "GS-JC": "金昌经济技术开发区", "GS-TS": "天水经济技术开发区",
         "GS-ZY": "张掖经济技术开发区"}
# 1—3月 gdp (万元): 2023 → 2024. 兰州 100 → 120 (+20%), 金昌 200 → 180 (−10%), 天水 50 → 60 (+20%),
# 张掖 no 2023 figure → 40. Total 400; comparable 360 over 350 → +2.857%. Shares 30/45/15/10%.
GDP = {"GS-LZ": (100, 120), "GS-JC": (200, 180), "GS-TS": (50, 60), "GS-ZY": (None, 40)}


def rows():
    out = []
    for zone, (before, now) in GDP.items():
        if before is not None:
            out.append({"zone_code": zone, "period": "2023-03", "indicator": "gdp", "value": before})
        out.append({"zone_code": zone, "period": "2024-03", "indicator": "gdp", "value": now})
    # exports: only two zones; 金昌's base is zero, so no growth anywhere → no chart for it
    out += [{"zone_code": "GS-JC", "period": "2023-03", "indicator": "exports", "value": 0},
            {"zone_code": "GS-JC", "period": "2024-03", "indicator": "exports", "value": 30},
            {"zone_code": "GS-LZ", "period": "2024-03", "indicator": "exports", "value": 10}]
    return to_records(derive(out))


def data(**kw):
    base = dict(period="2024-03", issuer="甘肃省商务厅", issue_date=date(2024, 4, 20), rows=rows(),
                indicators=["gdp", "exports"], zone_names=ZONES, late_zones=["GS-TS"], missing_zones=["GS-ZY"],
                document_number="甘商务函〔2024〕1号", charts=False)
    return BulletinData(**{**base, **kw})


def open_doc(blob):
    return Document(io.BytesIO(blob))


def texts(doc):
    return [p.text for p in doc.paragraphs]


def table(t):
    return [[c.text for c in row.cells] for row in t.rows]


def test_tables_per_indicator():
    doc = open_doc(build_bulletin(data()))
    gdp, exports = doc.tables
    assert table(gdp) == [
        ["园区", "一季度累计值（万元）", "现价增长", "占全省经开区合计比重", "排名"],  # GDP is quarterly
        ["金昌经济技术开发区", "180.00", "−10.0%", "45.0%", "1"],  # the Chinese minus, bound to its figure
        ["兰州经济技术开发区", "120.00", "20.0%", "30.0%", "2"],
        ["天水经济技术开发区", "60.00", "20.0%", "15.0%", "3"],
        ["张掖经济技术开发区", "40.00", "—", "10.0%", "4"],
        ["合计", "400.00", "2.9%", "", ""],
    ]
    assert table(exports)[1:] == [["金昌经济技术开发区", "30.00", "上年同期为零", "75.0%", "1"],
                                  ["兰州经济技术开发区", "10.00", "—", "25.0%", "2"],
                                  ["合计", "40.00", "—", "", ""]]


def test_summary_written_from_the_data():
    paragraphs = texts(open_doc(build_bulletin(data())))
    assert "地区生产总值：4个园区一季度累计完成400.00万元，现价增长2.9%。兰州经济技术开发区（增长20.0%）、" \
           "天水经济技术开发区（增长20.0%）增速居前，分别高于全省平均水平17.1、17.1个百分点；" \
           "金昌经济技术开发区同比下降10.0%；张掖经济技术开发区缺少可比基数，未计算增速。" in paragraphs
    assert not any("下降的有" in p or "（-" in p or "（−" in p for p in paragraphs)  # no double negative
    assert "截至发文日，张掖经济技术开发区尚未报送本期数据（未到报送截止日）；天水经济技术开发区逾期报送。" \
           "未报送、待重报和待审核园区的数据未纳入本通报。请相关园区严格落实经济运行通报制度，按时报送数据。" in paragraphs
    assert "出口额：2个园区累计完成40.00万元；金昌经济技术开发区上年同期为零；兰州经济技术开发区缺少可比基数，未计算增速。" \
        in paragraphs
    assert "从1项可比指标看，地区生产总值实现同比增长。金昌经济技术开发区地区生产总值同比下降，需加强调度。" in paragraphs
    assert "二是补齐短板弱项。金昌经济技术开发区要认真分析指标下降原因，制定针对性措施，尽快扭转下滑态势。" in paragraphs
    assert "三是严格数据报送。天水经济技术开发区要严格落实经济运行通报制度，按时、准确报送数据。" in paragraphs


def test_amounts_in_yi_yuan_and_changes_in_percentage_points():
    # 1—2月 and 1—3月 of one zone, in 万元: 42,528,398.35万元 is written 4252.84亿元; growth 10% after 8.5%
    raw = [{"zone_code": "GS-LZ", "period": p, "indicator": "industrial_output", "value": v} for p, v in
           (("2023-02", 20000000.0), ("2024-02", 21700000.0), ("2023-03", 38662180.318), ("2024-03", 42528398.35))]
    paragraphs = texts(open_doc(build_bulletin(data(rows=to_records(derive(raw)), indicators=["industrial_output"]))))
    gdp = next(p for p in paragraphs if p.startswith("规模以上工业总产值"))
    assert gdp.startswith("规模以上工业总产值：1个园区累计完成4252.84亿元，现价增长10.0%，增速比1—2月提高1.5个百分点。")
    assert "增速加快" in next(p for p in paragraphs if p.startswith("从1项"))
    doc = open_doc(build_bulletin(data(rows=to_records(derive(raw)), indicators=["industrial_output"])))
    assert table(doc.tables[0])[0][1] == "累计值（亿元）" and table(doc.tables[0])[1][1] == "4252.84"


def test_top_and_no_decline_wording():
    only_up = [r for r in rows() if r["zone_code"] != "GS-JC"]
    paragraphs = texts(open_doc(build_bulletin(data(rows=only_up, top=1, late_zones=[], missing_zones=[]))))
    gdp = next(p for p in paragraphs if p.startswith("地区生产总值"))
    assert "兰州经济技术开发区（增长20.0%）增速居前，高于全省平均水平0.0个百分点" not in gdp
    assert "兰州经济技术开发区（增长20.0%）增速居前" in gdp and "无同比下降的园区" in gdp
    assert "各园区均按时报送本期数据。" in paragraphs


def test_official_document_layout():
    doc = open_doc(build_bulletin(data()))
    paragraphs = doc.paragraphs
    assert paragraphs[0].text == "甘肃省商务厅文件"  # 发文机关标志, red
    assert paragraphs[0].runs[0].font.color.rgb == RGBColor(0xFF, 0, 0)
    number = next(p for p in paragraphs if p.text == "甘商务函〔2024〕1号")
    assert 'w:color="FF0000"' in number._p.xml and "w:pBdr" in number._p.xml  # the red 版头分隔线
    body = [p.text for p in paragraphs if p.text]
    assert body[2:4] == ["关于2024年1—3月全省开发区\n经济运行情况的通报",  # broken where the words allow
                         "各市州商务局，各国家级经济技术开发区管委会："]
    headings = [p.text for p in paragraphs if p.text[:2] in ("一、", "二、", "三、", "四、")]
    assert headings == ["一、总体情况", "二、运行分析", "三、数据报送情况", "四、下一步工作要求"]
    assert all(p.paragraph_format.keep_with_next for p in paragraphs if p.text in headings)
    assert [p.text for p in paragraphs if p.text.startswith("（")] == ["（一）地区生产总值", "（二）出口额"]
    signature = body.index("甘肃省商务厅")
    assert body[signature - 1] == "附件：2024年1—3月各园区主要经济指标完成情况表"  # 附件说明 after the 正文
    assert body[signature + 1:signature + 4] == ["2024年4月20日", "附件", "2024年1—3月\n各园区主要经济指标完成情况表"]
    def east_asian_font(paragraph):
        return paragraph.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia"))

    by_text = {p.text: p for p in paragraphs if p.runs}
    assert east_asian_font(by_text[body[2]]) == "方正小标宋简体"
    assert by_text[body[2]].runs[0].font.size.pt == 22
    assert east_asian_font(by_text["一、总体情况"]) == "黑体"
    assert east_asian_font(by_text["（一）地区生产总值"]) == "楷体_GB2312"
    assert east_asian_font(by_text["2024年4月20日"]) == "仿宋_GB2312"
    assert by_text["2024年4月20日"].runs[0].font.size.pt == 16
    section = doc.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin)
    assert [round(x.mm) for x in sizes] == [210, 297, 37, 35, 28, 26]  # A4; GB/T 9704 margins
    assert "PAGE" in section.footer._element.xml and "PAGE" in section.even_page_footer._element.xml
    assert doc.settings.odd_and_even_pages_header_footer
    props = doc.core_properties
    assert (props.author, props.title, props.created.date()) == ("甘肃省商务厅", body[2].replace("\n", ""), date(2024, 4, 20))
    assert 'w:eastAsia="zh-CN"' in doc.styles.element.xml


def test_same_data_same_bytes():
    assert build_bulletin(data()) == build_bulletin(data())


def test_charts_drawn_with_a_cjk_font():
    try:
        bulletin.cjk_font()
    except MissingCJKFont:
        pytest.skip("本机未安装中文字体（make system-packages 会安装 fonts-noto-cjk）")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font" when it draws boxes
        doc = open_doc(build_bulletin(data(charts=True)))
    assert len(doc.inline_shapes) == 1  # gdp has growth rates; exports has none, so no chart


def test_no_cjk_font_stops_with_a_clear_message(monkeypatch):
    from matplotlib import font_manager

    bulletin.cjk_font.cache_clear()
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    try:
        with pytest.raises(MissingCJKFont, match="未找到中文字体.*apt-get install fonts-noto-cjk"):
            build_bulletin(data(charts=True))
        build_bulletin(data(charts=False))  # without charts no font is needed
    finally:
        bulletin.cjk_font.cache_clear()


# ---- read as a reader: rendered by LibreOffice (no skip: without it the test fails with the install command) ----

FIVE = ["industrial_output", "fixed_asset_investment", "trade_total", "fdi_actual_usd", "tax_revenue"]


def realistic_rows():
    """Four zones, five indicators, 1—10月 and 1—11月 of two years, in 万元 (兰州 about 7000亿元 a year)."""
    scale = {"GS-LZ": 6.5e7, "GS-JC": 2.1e7, "GS-TS": 1.2e7, "GS-ZY": 0.9e7}
    share = {"industrial_output": 1.0, "fixed_asset_investment": 0.31, "trade_total": 0.08,
             "fdi_actual_usd": 0.0021, "tax_revenue": 0.043}
    growth = {"GS-LZ": 0.082, "GS-JC": -0.157, "GS-TS": 0.124, "GS-ZY": 0.031}
    out = []
    for z, base in scale.items():
        for k, f in share.items():
            for m in (10, 11):
                before = base * f * m / 12
                g = growth[z] + (0.01 if k == "trade_total" else 0) - (0.004 if m == 11 else 0)
                out += [{"zone_code": z, "period": f"2025-{m}", "indicator": k, "value": round(before, 2)},
                        {"zone_code": z, "period": f"2026-{m}", "indicator": k, "value": round(before * (1 + g), 2)}]
    return to_records(derive(out))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from jingkai import pdfcheck

    bulletin.cjk_font()  # charts need a CJK font: MissingCJKFont names the package to install
    d = data(period="2026-11", issue_date=date(2026, 12, 5), rows=realistic_rows(), indicators=FIVE,
             document_number="甘商运通〔2026〕11号", charts=True, late_zones=["GS-TS"], missing_zones=[])
    blob = build_bulletin(d)
    pdf = pdfcheck.render(blob, ".docx", tmp_path_factory.mktemp("bulletin"), "bulletin")
    return blob, pdf, pdfcheck.read(pdf)


def test_rendered_bulletin_reads_as_a_gongwen(rendered):
    from jingkai import pdfcheck
    from jingkai.documents import width

    blob, pdf, pages = rendered
    assert 4 <= len(pages) <= 9, len(pages)
    assert pdfcheck.red_share(pdf, 1, 0.1, 0.35) > 0.003  # red 发文机关标志 and 版头分隔线 on page 1
    assert pdfcheck.red_share(pdf, 2, 0.0, 1.0) == 0  # and nowhere else
    first = pages[0].text
    assert "甘肃省商务厅文件" in first and "甘商运通〔2026〕11号" in first
    assert "4252.84" not in first and "亿元" in first  # 万元 figures in 亿元
    assert pdfcheck.page_number_problems(pages) == []  # odd right, even left, 7 mm below the 版心
    assert pdfcheck.broken_numbers(pages, pdfcheck.docx_numbers(blob)) == []
    assert pdfcheck.headings_last_on_page(pages) == []
    body = [ln for p in pages[:3] for ln in pdfcheck.body_lines(p) if ln.x1 - ln.x0 > 300]
    assert max(width(ln.text) for ln in body) == 28  # 28 characters a line
    lines = pdfcheck.body_lines(pages[1])
    assert {round(b.y0 - a.y0) for a, b in zip(lines, lines[1:], strict=False)} == {28}  # 28 pt: 22 a page


def test_rendered_signature_keeps_company_and_annexes_follow(rendered):
    from jingkai import pdfcheck

    _, _, pages = rendered
    dated = next(p for p in pages if "2026年12月5日" in p.text)
    lines = [ln.text for ln in pdfcheck.body_lines(dated)]
    at = lines.index("甘肃省商务厅")
    assert lines[at + 1] == "2026年12月5日"
    assert any(t.startswith("附件：1．") for t in lines[:at])  # 附件说明 before the 署名
    assert len([t for t in lines[:at] if not t.startswith(("附件", "2．"))]) >= 2  # 署名 not alone (§7.3.5)
    annex = pages[dated.number]  # the next page
    assert pdfcheck.body_lines(annex)[0].text == "附件1"


def test_the_first_page_keeps_the_structure_of_its_reference_rendering(rendered):
    """Red 版头, printed area and lines as in tests/reference/bulletin-1.png (60 dpi); in 附件1 each indicator's
    table has a row for each zone."""
    from pathlib import Path

    from jingkai import pdfcheck

    _, pdf, pages = rendered
    assert pdfcheck.reference_problems(pdf, Path(__file__).parent / "reference" / "bulletin-1.png") == []
    start = next(p.number for p in pages if pdfcheck.body_lines(p) and pdfcheck.body_lines(p)[0].text == "附件1")
    annex = [ln.text for p in pages[start - 1:] for ln in p.lines]
    assert sum(t.startswith(tuple(ZONES.values())) for t in annex) >= len(FIVE) * len(ZONES)


# ---- issue 10: NBS wording, extreme rates, revised bases, what a share is of ----

def va_rows():
    """1—3月 规上工业增加值 (万元): 兰州 −1,250.6 → 3,480.2 (由亏转盈), 金昌 −820.0 → −1,310.5 (增亏), 天水
    4,100 → 4,469 (+9.0%), 张掖 12.5 → 1,030.4 (+8,143.2%: a tiny base), 天水's base revised 4,100 → 4,250."""
    out = []
    for zone, before, now, revised in (("GS-LZ", -1250.6, 3480.2, None), ("GS-JC", -820.0, -1310.5, None),
                                       ("GS-TS", 4100.0, 4469.0, 4250.0), ("GS-ZY", 12.5, 1030.4, None)):
        out.append({"zone_code": zone, "period": "2023-03", "indicator": "industrial_value_added", "value": before})
        out.append({"zone_code": zone, "period": "2024-03", "indicator": "industrial_value_added", "value": now,
                    "base_revised": revised})
    return to_records(derive(out))


def test_growth_cells_and_summary_follow_nbs_and_flag_extremes():
    doc = open_doc(build_bulletin(data(rows=va_rows(), indicators=["industrial_value_added"], late_zones=[],
                                       missing_zones=[])))
    (t,) = doc.tables
    cells = {row[0]: row[2] for row in table(t)[1:-1]}
    assert cells == {"兰州经济技术开发区": "由亏转盈", "金昌经济技术开发区": "增亏", "天水经济技术开发区": "5.2%△",
                     "张掖经济技术开发区": "8143.2%※"}
    paragraphs = texts(doc)
    summary = next(p for p in paragraphs if p.startswith("规模以上工业增加值"))
    assert "。天水经济技术开发区（增长5.2%）增速居前" in summary  # 张掖's +8143.2% is not 居前
    assert "张掖经济技术开发区（增长8143.2%）上年同期基数过小，增速异常，未参与增速比较" in summary
    assert "兰州经济技术开发区由亏转盈" in summary and "金昌经济技术开发区增亏" in summary
    note = next(p for p in paragraphs if p.startswith("注："))
    assert "标“※”的增速超过±100%（平台默认阈值，非官方口径）" in note and "标“△”的增速按园区报送的上年同期调整值" in note


def test_share_note_names_the_zones_left_out_as_unreviewed():
    names = {**ZONES, "GS-BY": "白银经济技术开发区", "GS-WW": "武威经济技术开发区"}
    doc = open_doc(build_bulletin(data(zone_names=names, pending_zones=["GS-BY"], returned_zones=["GS-WW"],
                                       missing_zones=[])))
    paragraphs = texts(doc)
    note = "".join(p for p in paragraphs if p.startswith("注："))  # each table's own, the general one last
    assert "占全省经开区合计比重为占本期已审核园区合计的比重，非统计局公布的全省数" in note
    # 地区生产总值 covers 4 zones, 出口额 2: each table's note says which zones its total covers
    assert "合计覆盖4个园区，缺2个：白银经济技术开发区（未审核）；武威经济技术开发区（已退回待重报），" \
           "未审核数据不计入合计、比重和排名" in note
    # one indicator: said once in 总体情况, not in the note
    doc = open_doc(build_bulletin(data(zone_names=names, pending_zones=["GS-BY"], returned_zones=["GS-WW"],
                                       missing_zones=[], indicators=["gdp"])))
    paragraphs = texts(doc)
    assert "本通报各指标合计覆盖4个园区，缺2个：白银经济技术开发区（未审核）；武威经济技术开发区（已退回待重报），" \
           "未审核数据不计入合计、比重和排名。" in paragraphs
    assert "合计覆盖" not in next(p for p in paragraphs if p.startswith("注："))
