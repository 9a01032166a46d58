"""KPI cards and the drill-down, computed from known reviewed figures: a total adds up the reviewed zones, 同比 is
Σ累计 / Σ上年同期 − 1, 环比 compares 当月值 (当季值) of the same zones, an unreviewed zone does not count, and an
indicator reported 1—2月 merged has no 环比 in March."""

import json

import pytest

from jingkai.monitoring.drilldown import MERGED_NO_MOM, kpi_panel, user_panel
from jingkai.monitoring.models import ReportingCalendar, Submission
from jingkai.testing import make_user, make_zone, zone_user
from jingkai.zones.models import Indicator, IndicatorValue

# {zone: {indicator: {period: cumulative value}}}
DATA = {
    "GS-LZ": {"industrial_value_added": {"2026-02": 200, "2026-03": 300, "2026-04": 400, "2025-04": 320},
              "gdp": {"2025-09": 2700, "2025-12": 3600, "2025-03": 900, "2026-03": 1000}},
    "GS-JC": {"industrial_value_added": {"2026-02": 20, "2026-03": 30, "2026-04": 50, "2025-04": 40},
              "gdp": {"2025-09": 270, "2025-12": 360, "2025-03": 100, "2026-03": 100}},
    "GS-TS": {"industrial_value_added": {"2026-02": 9000, "2026-03": 9500, "2026-04": 99999, "2025-04": 1}},
}
UNREVIEWED = {("GS-TS", "2026-04")}  # reported, not yet approved


@pytest.fixture
def calendar(zones):
    zones = {**zones, "GS-TS": make_zone("GS-TS")}
    cal = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    cal.indicators.set(Indicator.objects.filter(key__in=["industrial_value_added", "gdp"]))
    cal.zones.set(zones.values())
    indicators = {i.key: i for i in Indicator.objects.all()}
    periods: set[tuple[str, str]] = set()
    for code, table in DATA.items():
        for key, values in table.items():
            for period, value in values.items():
                IndicatorValue.objects.create(zone=zones[code], indicator=indicators[key], period=period, value=value)
                periods.add((code, period))
    for code, period in sorted(periods):
        Submission.objects.create(calendar=cal, zone=zones[code], period=period,
                                  state="submitted" if (code, period) in UNREVIEWED else "approved",
                                  submitted_at="2026-05-05T10:00:00+08:00")
    return cal


def cards(panel):
    return {c.key: c for c in panel.cards}


def test_the_province_total_counts_reviewed_zones_only(calendar, province_user):
    panel = user_panel(province_user, calendar)
    assert panel.title == "全省经开区合计" and panel.period == "2026-04" and panel.zone_count == 3
    output = cards(panel)["industrial_value_added"]
    assert output.period_label == "2026年1—4月" and output.figures.zones == 2  # 天水's April awaits review
    assert output.figures.value == pytest.approx(450)
    assert output.figures.yoy == pytest.approx(450 / 360 - 1)
    assert output.figures.mom == pytest.approx((100 + 20) / (100 + 10) - 1)  # 当月值 April over March
    assert output.url == "/monitoring/indicators/industrial_value_added/?period=2026-04"
    gdp = cards(panel)["gdp"]  # quarterly: the latest quarter end, 当季值 over the previous quarter's
    assert gdp.period_label == "2026年一季度" and gdp.figures.value == pytest.approx(1100)
    assert gdp.figures.yoy == pytest.approx(1100 / 1000 - 1)
    assert gdp.figures.mom == pytest.approx(1100 / ((3600 - 2700) + (360 - 270)) - 1)


def test_a_merged_indicator_has_no_mom_in_march(calendar, zones):
    output = cards(kpi_panel(calendar, list(zones.values()), "合计", "2026-03"))["industrial_value_added"]
    assert output.figures.value == pytest.approx(330) and output.figures.mom is None
    assert output.figures.mom_note == MERGED_NO_MOM


def test_a_zone_user_gets_their_zone(client, calendar, zones):
    user = zone_user(zones["GS-LZ"])
    panel = user_panel(user, calendar)
    output = cards(panel)["industrial_value_added"]
    assert panel.title == "兰州经济技术开发区" and output.figures.value == pytest.approx(400)
    assert output.figures.yoy == pytest.approx(0.25) and output.figures.mom == pytest.approx(0.0)
    assert output.url == "/monitoring/indicators/industrial_value_added/GS-LZ/?period=2026-04"
    client.force_login(user)
    page = client.get("/monitoring/").content.decode()
    cards_html = page.split('id="kpi-cards"')[1].split("</section>")[0]
    assert "兰州经济技术开发区" in cards_html and "+25.0%" in cards_html and "400.0" in cards_html
    assert "全省经开区合计" not in cards_html


def test_the_cards_on_the_home_page_and_the_dashboard(client, calendar, province_user):
    client.force_login(province_user)
    for url in ("/", "/monitoring/"):
        page = client.get(url).content.decode()
        cards_html = page.split('id="kpi-cards"')[1].split("</section>")[0]
        assert "全省经开区合计" in cards_html and "450.0" in cards_html and "+25.0%" in cards_html
        assert "环比 +9.1%" in cards_html and "2 / 3 个园区已审核" in cards_html
        assert 'href="/monitoring/indicators/gdp/?period=2026-03"' in cards_html


def test_province_to_zones_of_an_indicator(client, calendar, province_user):
    client.force_login(province_user)
    response = client.get("/monitoring/indicators/industrial_value_added/?period=2026-04")
    page = response.context["page"]
    assert [(f.zone.code, f.rank, f.value) for f in page.rows] == [
        ("GS-LZ", 1, 400), ("GS-JC", 2, 50), ("GS-TS", None, None)]
    assert page.rows[2].reason == "未审核"
    bars = json.loads(response.content.decode().split('id="bars-data" type="application/json">')[1].split("<")[0])
    assert bars["values"] == [50, 400]  # ascending: ECharts draws the largest on top; 天水 (unreviewed) absent
    tiles = {t.city: [f.zone.code for f in t.zones] for t in page.tiles}
    assert tiles == {"兰州市": ["GS-LZ"], "金昌市": ["GS-JC"], "天水市": ["GS-TS"]}
    assert [f.tone for f in page.rows] == ["high", "high", "none"]  # +25.0%, +25.0%, no reviewed figure
    html = response.content.decode()
    assert 'href="/monitoring/indicators/industrial_value_added/GS-LZ/?period=2026-04"' in html


def test_zone_to_its_months_with_rank(client, calendar, zones):
    client.force_login(zone_user(zones["GS-JC"]))
    page = client.get("/monitoring/indicators/industrial_value_added/GS-JC/?period=2026-04").context["page"]
    assert [m.label for m in page.months] == ["2026年1—2月", "2026年1—3月", "2026年1—4月"]
    april = page.months[-1]
    assert (april.value, april.month_value, april.rank, april.ranked) == (50, 20, 2, 2)
    assert april.yoy == pytest.approx(50 / 40 - 1) and april.mom == pytest.approx(20 / 10 - 1)
    assert page.months[1].mom is None and page.months[1].mom_note == MERGED_NO_MOM
    assert client.get("/monitoring/indicators/industrial_value_added/GS-LZ/").status_code == 404  # another zone
    assert client.get("/monitoring/indicators/rd_intensity/GS-JC/").status_code == 404  # not in the report


def test_a_department_reads_the_drilldown(client, calendar):
    client.force_login(make_user("dept", "dept-gxt"))
    assert client.get("/monitoring/indicators/gdp/").status_code == 200
    assert client.get("/monitoring/indicators/gdp/GS-LZ/?period=2026-03").status_code == 200


@pytest.mark.parametrize(("yoy", "tone"), [(0.10, "high"), (0.0999, "up"), (0.0, "up"), (-0.0001, "down"),
                                          (None, "none")])
def test_tile_colour_boundaries(zones, yoy, tone):
    """同比10%以上 includes 10%; 0—10% includes 0 (no decline)."""
    from jingkai.monitoring.drilldown import ZoneFigure

    assert ZoneFigure(zones["GS-LZ"], 1.0, None, yoy, None, None, "", "").tone == tone
