"""The monthly cycle by the statistical conventions: 地区生产总值 only at quarter ends (calendar, checks,
dashboard, bulletin), reported real growth (可比价) shown as such and derived rates as 现价增长, 1—2月 merged."""

import io
from datetime import date

import pytest
from docx import Document

from jingkai.monitoring.bulletin import build_bulletin
from jingkai.monitoring.models import ReportingCalendar, Submission
from jingkai.monitoring.selectors import bulletin_data, dashboard, quality_check
from jingkai.zones.models import Indicator, IndicatorValue

KEYS = ["gdp", "gdp_growth_real", "industrial_output", "industrial_value_added", "industrial_value_added_growth_real",
        "tax_revenue"]


@pytest.fixture
def calendar(zones):
    cal = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    cal.indicators.set(Indicator.objects.filter(key__in=KEYS))
    cal.zones.set(zones.values())
    ind = {i.key: i for i in Indicator.objects.filter(key__in=KEYS)}
    for zone, scale, real in ((zones["GS-LZ"], 1.2, 0.061), (zones["GS-JC"], 0.9, -0.024)):
        for year, factor in ((2025, 1.0), (2026, scale)):
            for month in (2, 3, 8, 9):
                period = f"{year}-{month:02d}"
                values = {"industrial_output": 1000 * month, "industrial_value_added": 300 * month,
                          "tax_revenue": 50 * month}
                if month % 3 == 0:
                    values |= {"gdp": 4000 * month}
                for key, value in values.items():
                    IndicatorValue.objects.create(zone=zone, period=period, indicator=ind[key], value=value * factor)
                if year == 2026:
                    IndicatorValue.objects.create(zone=zone, period=period, indicator=ind["industrial_value_added_growth_real"],
                                                  value=real)
                    if month % 3 == 0:
                        IndicatorValue.objects.create(zone=zone, period=period, indicator=ind["gdp_growth_real"],
                                                      value=real - 0.01)
                Submission.objects.create(calendar=cal, zone=zone, period=period, state="approved",
                                          submitted_at=f"{year}-{month + 1:02d}-05T10:00:00+08:00")
    return cal


def test_completeness_asks_for_gdp_only_at_quarter_ends_and_not_in_january(calendar, zones):
    lz = zones["GS-LZ"]
    august = {(v["rule"], v["indicator"]) for v in quality_check(calendar, lz, "2026-08")}
    assert ("missing", "gdp") not in august and ("missing", "gdp_growth_real") not in august
    assert not [v for v in quality_check(calendar, lz, "2026-09") if v["rule"] == "missing"]
    january = {v["indicator"] for v in quality_check(calendar, lz, "2026-01") if v["rule"] == "missing"}
    assert january == {"tax_revenue"}  # 规上工业 is reported 1—2月 merged; GDP by quarter
    june = {v["indicator"] for v in quality_check(calendar, lz, "2026-06") if v["rule"] == "missing"}
    assert {"gdp", "gdp_growth_real"} <= june


def test_dashboard_shows_gdp_at_quarter_ends_with_the_reported_real_growth(client, calendar, province_user):
    august = dashboard(province_user, calendar, freq="month", period="2026-08")
    assert august.table("gdp") is None and august.table("industrial_output") is not None
    september = dashboard(province_user, calendar, freq="month", period="2026-09")
    gdp = september.table("gdp")
    assert gdp.period_label == "2026年前三季度" and gdp.month_label == "当季值" and gdp.real
    lz = next(r for r in gdp.rows if r.zone_code == "GS-LZ")
    assert lz.yoy_real == pytest.approx(0.051) and lz.yoy_cumulative == pytest.approx(0.2)  # real vs current prices
    assert lz.month_value is None and "上季度（2026-06）" in lz.reasons["month_value"]  # 当季值 needs 上半年
    iva = september.table("industrial_value_added")
    assert iva.real and next(r for r in iva.rows if r.zone_code == "GS-JC").yoy_real == pytest.approx(-0.024)
    assert not september.table("tax_revenue").real
    february = dashboard(province_user, calendar, freq="month", period="2026-02")
    assert february.table("industrial_output").month_label == "1—2月"
    assert february.table("industrial_output").period_label == "2026年1—2月"
    assert february.table("tax_revenue").month_label == "当月值"
    quarter = dashboard(province_user, calendar, freq="quarter", period="2026-Q3").table("gdp")
    assert quarter.real and quarter.period_label == "2026年前三季度"
    client.force_login(province_user)
    page = client.get("/monitoring/?period=2026-09").content.decode()
    assert "可比价增速" in page and "累计现价增长" in page and "可比口径同比" not in page
    assert "+5.1%" in page  # 兰州's reported real GDP growth


def _no_charts(data):
    data.charts = False
    return data


def test_bulletin_gdp_sentence_only_at_quarter_ends_labelled_by_quarter(calendar):
    august = _no_charts(bulletin_data(calendar, "2026-08", date(2026, 9, 20)))
    assert "gdp" not in august.indicators
    paragraphs = [p.text for p in Document(io.BytesIO(build_bulletin(august))).paragraphs]
    assert not any(p.startswith("地区生产总值") for p in paragraphs)
    september = _no_charts(bulletin_data(calendar, "2026-09", date(2026, 10, 20)))
    doc = Document(io.BytesIO(build_bulletin(september)))
    text = [p.text for p in doc.paragraphs]
    gdp = next(p for p in text if p.startswith("地区生产总值："))
    assert gdp.startswith("地区生产总值：2个园区前三季度累计")
    assert "现价增长" in gdp and "按可比价计算，兰州经济技术开发区（增长5.1%）增速居前" in gdp
    assert "金昌经济技术开发区同比下降3.4%" in gdp  # the reported real rate, though its level rose
    assert all("可比口径同比" not in p for p in text)
    head = [c.text for c in doc.tables[0].rows[0].cells]
    assert head == ["园区", "前三季度累计值（亿元）", "现价增长", "可比价增速", "占全省经开区合计比重", "排名"]
    tax = next(p for p in text if p.startswith("税收收入："))
    assert "现价" in tax and "可比价" not in tax
