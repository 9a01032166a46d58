"""The import page driven by Debian's chromium through Playwright (headless) against the live server.

Run alone with `pytest -m browser`. Without /usr/bin/chromium these tests fail (they do not skip): install it
with `make system-packages` (apt-get install chromium fonts-noto-cjk)."""

import pytest

from jingkai.browser import follow, goto, login
from jingkai.zones.models import IndicatorValue

# The live server runs in another thread, so the data must be committed: transactional tests. Serialized
# rollback asks Django to restore the migrations' reference data afterwards; build_site_data re-creates it too.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_import_with_errors_then_fixed(page, lz_zone_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    bad = tmp_path / "指标.csv"
    bad.write_text("zone_code,period,indicator,value\nGS-LZ,2025-10,industrial_output,-5\nGS-LZ,2025-10,tax_revenue,abc\n",
                   encoding="utf-8")
    goto(page, "/")
    login(page, "demo-gs-lz")
    follow(page, "nav.mainnav >> text=数据导入")
    page.select_option("select[name=kind]", "zone-indicators")
    page.set_input_files("input[name=file]", str(bad))
    page.click("#import-form button[type=submit]")
    result = page.locator("#import-result")
    # -5 is below the lower bound and below 1—9月's 1,800 (cumulative); abc is not a number
    assert "发现 3 处错误" in result.locator("h2").inner_text()
    rows = [r.locator("td").all_inner_texts() for r in result.locator("table.errors tbody tr").all()]
    assert [(r[0], r[2]) for r in rows] == [("2", "-5"), ("2", "-5"), ("3", "abc")]
    assert "value" in rows[0][1] and "不得小于 0" in rows[0][3] and "累计" in rows[1][3]
    with page.expect_download() as download:
        page.click("text=下载错误报告")
    assert download.value.suggested_filename.endswith(".errors.xlsx")
    assert not IndicatorValue.objects.filter(period="2025-10").exists()

    bad.write_text("zone_code,period,indicator,value\nGS-LZ,2025-10,industrial_output,1900\nGS-LZ,2025-10,tax_revenue,2000\n",
                   encoding="utf-8")
    page.select_option("select[name=kind]", "zone-indicators")
    page.set_input_files("input[name=file]", str(bad))
    page.click("#import-form button[type=submit]")
    assert page.locator("#import-result h2").inner_text() == "导入成功"
    assert "新增 2 条" in page.locator("#import-result").inner_text()
    assert IndicatorValue.objects.filter(zone__code="GS-LZ", period="2025-10").count() == 2


def test_office_files_note_and_formula_message(page, lz_zone_user, settings, tmp_path):
    """A 月报表 with indicator names and 万元 written in a cell: 导入成功 with the note; a file whose formulas were
    never calculated: the message naming the cell."""
    import openpyxl

    settings.MEDIA_ROOT = tmp_path / "media"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["园区代码", "期间", "规模以上工业总产值", "进出口总额（万元）", "出口额（万元）"])
    ws.append(["兰州经济技术开发区", "2019年10月", "1900万元", "１，２００", "=D2*0.4"])
    wb.save(tmp_path / "月报.xlsx")
    goto(page, "/")
    login(page, "demo-gs-lz")
    follow(page, "nav.mainnav >> text=数据导入")
    page.select_option("select[name=kind]", "zone-indicators")
    page.set_input_files("input[name=file]", str(tmp_path / "月报.xlsx"))
    page.click("#import-form button[type=submit]")
    rows = [r.locator("td").all_inner_texts() for r in page.locator("#import-result table.errors tbody tr").all()]
    assert rows == [["2", "出口额（万元）", "=D2*0.4", "公式单元格没有计算结果，请在 Excel 中重新计算后保存"]]
    page.screenshot(path=tmp_path / "公式.png", full_page=True)

    ws["E2"] = 480
    wb.save(tmp_path / "月报.xlsx")
    page.select_option("select[name=kind]", "zone-indicators")
    page.set_input_files("input[name=file]", str(tmp_path / "月报.xlsx"))
    page.click("#import-form button[type=submit]")
    assert page.locator("#import-result h2").inner_text() == "导入成功"
    assert "规模以上工业总产值（万元）：1 个单元格写了单位“万元”，已去掉单位按数值读取（如第 2 行“1900万元”）" in page.locator(
        "#import-result .import-notes").inner_text()
    page.screenshot(path=tmp_path / "说明.png", full_page=True)
    assert dict(IndicatorValue.objects.filter(zone__code="GS-LZ", period="2019-10").values_list(
        "indicator__key", "value")) == {"industrial_output": 1900, "trade_total": 1200, "exports": 480}
