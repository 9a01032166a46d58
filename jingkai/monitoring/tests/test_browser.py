"""The monitoring dashboard in a real browser: tables of reviewed figures and the trend chart."""

import pytest

from jingkai.browser import goto, login
from jingkai.monitoring.models import ReportingCalendar, Submission
from jingkai.testing import make_user, make_zone
from jingkai.zones.models import Indicator, IndicatorValue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_dashboard_opens_with_ranking_and_chart(page):
    zones = [make_zone("GS-LZ"), make_zone("GS-JC")]
    calendar = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    output = Indicator.objects.get(key="industrial_output")
    calendar.indicators.set([output])
    calendar.zones.set(zones)
    for zone, growth in zip(zones, (0.12, -0.05), strict=True):
        for month in range(1, 10):
            for year, factor in ((2025, 1.0), (2026, 1 + growth)):
                period = f"{year}-{month:02d}"
                IndicatorValue.objects.create(zone=zone, period=period, indicator=output, value=100 * month * factor)
                Submission.objects.create(calendar=calendar, zone=zone, period=period, state="approved",
                                          submitted_at="2026-10-05T10:00:00+08:00")
    make_user("prov", "province")
    login(page, "prov")
    goto(page, "/monitoring/")
    assert page.locator("select[name=period]").input_value() == "2026-09"
    rows = page.locator("table.data tbody tr")
    assert rows.nth(0).inner_text().split("\t")[:2] == ["1", "兰州经济技术开发区"]
    assert "+12.0%" in rows.nth(0).inner_text() and "-5.0%" in rows.nth(1).inner_text()
    canvas = page.locator("#trend canvas")
    canvas.wait_for()
    assert canvas.bounding_box()["width"] > 300


def test_kpi_card_drills_down_to_zones_and_a_zone(page):
    """A card leads to the indicator across the zones (sorted bars drawn, 市州 tiles), a zone to its months."""
    zones = [make_zone("GS-LZ"), make_zone("GS-JC")]
    calendar = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    trade = Indicator.objects.get(key="trade_total")
    calendar.indicators.set([trade])
    calendar.zones.set(zones)
    for zone, scale in zip(zones, (100.0, 1.0), strict=True):  # 金昌 is a hundredth of 兰州
        for month in range(1, 4):
            for year in (2025, 2026):
                period = f"{year}-{month:02d}"
                IndicatorValue.objects.create(zone=zone, period=period, indicator=trade, value=scale * month * 10)
                Submission.objects.create(calendar=calendar, zone=zone, period=period, state="approved",
                                          submitted_at="2026-10-05T10:00:00+08:00")
    make_user("prov", "province")
    login(page, "prov")
    goto(page, "/monitoring/")
    page.click("#kpi-cards a:has-text('进出口总额')")
    page.wait_for_load_state("networkidle")
    assert "进出口总额（万元）· 分园区" in page.inner_text("h1")
    page.locator("#zone-bars canvas").wait_for()
    assert page.locator(".tile:has-text('金昌市') .tile-zone").inner_text().startswith("金昌")
    page.click("table.data a:has-text('金昌经济技术开发区')")
    page.wait_for_load_state("networkidle")
    assert "金昌经济技术开发区 · 进出口总额" in page.inner_text("h1")
    page.locator("#zone-months canvas").wait_for()
    assert page.locator("table.data tbody tr").count() == 3 and "2 / 2" in page.inner_text("table.data")
