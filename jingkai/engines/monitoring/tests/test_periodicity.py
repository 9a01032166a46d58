"""Reporting periodicity by 国家统计局 practice: quarterly GDP, 1—2月 merged reports, reported real growth."""

import pytest

from jingkai.engines.monitoring import check, derive, to_records
from jingkai.engines.monitoring.catalogue import (
    catalogue,
    frequency,
    merged_jan_feb,
    period_label,
    real_growth,
    reported_in_month,
)


def r(zone, period, indicator, value):
    return {"zone_code": zone, "period": period, "indicator": indicator, "value": value}


def by_key(rows):
    return {(x["zone_code"], x["period"], x["indicator"]): x for x in to_records(derive(rows))}


def test_catalogue_gdp_is_quarterly_and_the_merged_indicators_are_marked():
    assert frequency("gdp") == "quarter"  # no monthly 地区生产总值 since the 2015 quarterly accounting reform
    assert {"industrial_output", "industrial_value_added", "fixed_asset_investment"} <= merged_jan_feb()
    assert "tax_revenue" not in merged_jan_feb() and "trade_total" not in merged_jan_feb()
    assert real_growth() == {"gdp": "gdp_growth_real", "industrial_value_added": "industrial_value_added_growth_real"}
    for key in real_growth().values():
        item = catalogue()[key]
        assert item["unit"] == "fraction" and item["lower_bound"] < 0 and not item.get("cumulative")


def test_quarterly_gdp_has_a_quarter_value_against_the_previous_quarter():
    # 2025: 一季度 1000, 上半年 2200, 前三季度 3500; 2026: 1100, 2420, 3800 (stored at months 3, 6, 9)
    rows = [r("A", f"{y}-{m:02d}", "gdp", v) for y, vals in ((2025, (1000, 2200, 3500)), (2026, (1100, 2420, 3800)))
            for m, v in zip((3, 6, 9), vals, strict=True)]
    got = by_key(rows)
    q1, h1, q3 = (got["A", f"2026-{m:02d}", "gdp"] for m in (3, 6, 9))
    assert q1["month_value"] == 1100 and q1["reasons"] == {}  # 一季度's 当季值 is its cumulative
    assert h1["month_value"] == 1320  # 2420 − 1100: the second quarter, not "June"
    assert h1["yoy_month"] == pytest.approx(1320 / 1200 - 1)  # against 2025's second quarter (2200 − 1000)
    assert q3["month_value"] == 1380 and q3["yoy_cumulative"] == pytest.approx(3800 / 3500 - 1)


def test_quarterly_gdp_missing_previous_quarter_says_so():
    got = by_key([r("A", "2026-06", "gdp", 2420)])
    assert got["A", "2026-06", "gdp"]["reasons"]["month_value"] == "缺少上季度（2026-03）累计值，无法计算当季值"


def test_merged_indicator_february_is_jan_feb_and_compares_with_last_year_jan_feb():
    # 2025: 1月 100, 1—2月 250, 1—3月 420; 2026: 1月 (reported anyway) 130, 1—2月 300, 1—3月 480
    rows = [r("A", p, "industrial_output", v) for p, v in (("2025-01", 100), ("2025-02", 250), ("2025-03", 420),
                                                            ("2026-01", 130), ("2026-02", 300), ("2026-03", 480))]
    got = by_key(rows)
    jan, feb, mar = (got["A", f"2026-{m:02d}", "industrial_output"] for m in (1, 2, 3))
    assert jan["month_value"] is None and "1—2月合并报送" in jan["reasons"]["month_value"]
    assert feb["month_value"] == 300  # the 1—2月 total, not 300 − 130
    assert feb["yoy_month"] == pytest.approx(300 / 250 - 1)  # against 2025年1—2月, not 2025年2月 (150)
    assert mar["month_value"] == 180 and mar["yoy_month"] == pytest.approx(180 / 170 - 1)
    # a monthly indicator that is not merged keeps its January 当月值
    tax = by_key([r("A", "2026-01", "tax_revenue", 50), r("A", "2026-02", "tax_revenue", 90)])
    assert tax["A", "2026-01", "tax_revenue"]["month_value"] == 50
    assert tax["A", "2026-02", "tax_revenue"]["month_value"] == 40


def test_completeness_expects_gdp_only_at_quarter_ends_and_merged_indicators_not_in_january():
    keys = ("gdp", "industrial_output", "fixed_asset_investment", "tax_revenue")
    expected = [{"zone_code": "A", "period": f"2026-{m:02d}", "indicator": k} for m in range(1, 13) for k in keys]
    missing = check([r("A", "2026-01", "tax_revenue", 1)], expected=expected)
    found = {(v["period"], v["indicator"]) for v in missing.to_dicts() if v["rule"] == "missing"}
    gdp_months = sorted(p for p, i in found if i == "gdp")
    assert gdp_months == ["2026-03", "2026-06", "2026-09", "2026-12"]
    assert ("2026-01", "industrial_output") not in found and ("2026-01", "fixed_asset_investment") not in found
    assert ("2026-02", "industrial_output") in found  # February (1—2月) is expected
    assert ("2026-02", "tax_revenue") in found  # tax is monthly, reported every month
    assert reported_in_month("tax_revenue", 1) and not reported_in_month("gdp", 5)


def test_reported_real_growth_travels_with_the_level_and_has_no_growth_of_its_own():
    rows = [r("A", "2025-09", "gdp", 3500), r("A", "2026-09", "gdp", 3800), r("A", "2026-09", "gdp_growth_real", 0.052),
            r("A", "2025-09", "gdp_growth_real", 0.061)]
    got = by_key(rows)
    gdp = got["A", "2026-09", "gdp"]
    assert gdp["yoy_real"] == pytest.approx(0.052)  # the official rate, at comparable prices
    assert gdp["yoy_cumulative"] == pytest.approx(3800 / 3500 - 1)  # current prices: 现价增长 only
    rate = got["A", "2026-09", "gdp_growth_real"]
    assert rate["yoy_cumulative"] is None and "增速" in rate["reasons"]["yoy_cumulative"]
    assert got["A", "2026-09", "gdp_growth_real"]["share_province"] is None


def test_negative_reported_real_growth_is_kept():
    got = by_key([r("A", "2026-02", "industrial_value_added", 90), r("A", "2026-02", "industrial_value_added_growth_real", -0.034)])
    assert got["A", "2026-02", "industrial_value_added"]["yoy_real"] == pytest.approx(-0.034)


def test_period_labels_as_statistics_offices_write_them():
    assert period_label("2026-09", "gdp") == "2026年前三季度"
    assert period_label("2026-06", "gdp") == "2026年上半年"
    assert period_label("2026-12", "gdp") == "2026年全年"
    assert period_label("2026-03", "gdp") == "2026年一季度"
    assert period_label("2026-09", "tax_revenue") == "2026年1—9月"
    assert period_label("2026-02", "industrial_output") == "2026年1—2月"
    assert period_label("2026-Q2") == "2026年上半年"
