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
