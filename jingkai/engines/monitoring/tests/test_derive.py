"""Derived figures, checked against numbers computed by hand."""

import pytest

from jingkai.engines.monitoring import DataError, aggregate, derive, to_records, view


def r(zone, period, value, indicator="gdp"):
    return {"zone_code": zone, "period": period, "indicator": indicator, "value": value}


def by_key(rows, **kw):
    # the arithmetic of a plain monthly flow: "gdp" here stands for any flow reported every month (the
    # catalogue's quarterly GDP and 1—2月 merging are tested in test_periodicity.py)
    kw = {"quarterly_keys": (), "merged_keys": (), **kw}
    records = to_records(derive(rows, **kw))
    return {(x["zone_code"], x["period"], x["indicator"]): x for x in records}


# Zone A: 2023 1月 100, 1—2月 250, 1—3月 420; 2024 1月 110, 1—2月 290, 1—3月 450.
A = [r("A", "2023-01", 100), r("A", "2023-02", 250), r("A", "2023-03", 420),
     r("A", "2024-01", 110), r("A", "2024-02", 290), r("A", "2024-03", 450)]


def test_month_values_and_growth_by_hand():
    got = by_key(A)
    jan, feb, mar = got["A", "2024-01", "gdp"], got["A", "2024-02", "gdp"], got["A", "2024-03", "gdp"]
    assert jan["month_value"] == 110  # January's 当月值 is the cumulative
    assert jan["yoy_cumulative"] == pytest.approx(0.1)  # 110 / 100 − 1
    assert jan["yoy_month"] == pytest.approx(0.1)
    assert feb["month_value"] == 180  # 290 − 110
    assert feb["yoy_cumulative"] == pytest.approx(0.16)  # 290 / 250 − 1
    assert feb["yoy_month"] == pytest.approx(0.2)  # 180 / (250 − 100) − 1
    assert mar["month_value"] == 160  # 450 − 290
    assert mar["yoy_cumulative"] == pytest.approx(450 / 420 - 1)  # 7.14%
    assert mar["yoy_month"] == pytest.approx(160 / 170 - 1)  # −5.88%: 2023年3月 = 420 − 250 = 170
    assert mar["reasons"] == {}


def test_first_year_has_no_growth_and_says_why():
    jan23 = by_key(A)["A", "2023-01", "gdp"]
    assert jan23["yoy_cumulative"] is None and jan23["yoy_month"] is None
    assert jan23["reasons"]["yoy_cumulative"] == "缺少上年同期（2022-01）累计值，无法计算同比"
    assert "yoy_month" in jan23["reasons"] and "month_value" not in jan23["reasons"]


def test_missing_previous_month_gives_null_month_value():
    rows = [r("A", "2024-01", 110), r("A", "2024-03", 450)]
    mar = by_key(rows)["A", "2024-03", "gdp"]
    assert mar["month_value"] is None
    assert mar["reasons"]["month_value"] == "缺少上月（2024-02）累计值，无法计算当月值"
    assert mar["reasons"]["yoy_month"].startswith("本期当月值无法计算：缺少上月（2024-02）")


def test_previous_year_missing_previous_month_gives_null_month_growth():
    rows = [r("A", "2023-01", 100), r("A", "2023-03", 420), r("A", "2024-02", 290), r("A", "2024-03", 450)]
    mar = by_key(rows)["A", "2024-03", "gdp"]
    assert mar["month_value"] == 160 and mar["yoy_cumulative"] == pytest.approx(450 / 420 - 1)
    assert mar["yoy_month"] is None
    assert mar["reasons"]["yoy_month"] == "上年同期（2023-03）当月值无法计算：缺少上月（2023-02）累计值，无法计算当月值"


def test_zero_and_negative_bases_give_null_growth_never_infinity():
    rows = [r("A", "2023-01", 0), r("A", "2024-01", 50), r("B", "2023-01", -20), r("B", "2024-01", 30)]
    got = by_key(rows)
    a, b = got["A", "2024-01", "gdp"], got["B", "2024-01", "gdp"]
    assert a["yoy_cumulative"] is None and a["yoy_month"] is None
    assert a["reasons"]["yoy_cumulative"] == "上年同期（2023-01）累计值为0，无法计算同比"
    assert b["yoy_cumulative"] is None
    assert b["reasons"]["yoy_cumulative"] == "上年同期（2023-01）累计值为负数（-20），同比无意义"
    assert "为负数（-20）" in b["reasons"]["yoy_month"]


def test_negative_month_base_from_a_fallen_cumulative():
    # 2023: 1月 100, 1—2月 90 (当月 −10); 2024: 1月 100, 1—2月 130 (当月 30): 当月同比 has a negative base.
    rows = [r("A", "2023-01", 100), r("A", "2023-02", 90), r("A", "2024-01", 100), r("A", "2024-02", 130)]
    feb = by_key(rows)["A", "2024-02", "gdp"]
    assert feb["month_value"] == 30 and feb["yoy_cumulative"] == pytest.approx(130 / 90 - 1)
    assert feb["yoy_month"] is None
    assert feb["reasons"]["yoy_month"] == "上年同期（2023-02）当月值为负数（-10），同比无意义"


def test_missing_value_cell_is_null_with_reason():
    rows = [r("A", "2024-01", ""), r("B", "2024-01", 10)]
    a = by_key(rows)["A", "2024-01", "gdp"]
    assert a["value"] is None and a["rank"] is None and a["share_province"] is None
    assert set(a["reasons"]) == {"month_value", "yoy_cumulative", "yoy_month", "share_province", "rank"}
    assert a["reasons"]["rank"] == "本期数值缺失"
    assert by_key(rows)["B", "2024-01", "gdp"]["share_province"] == 1.0  # the missing zone adds nothing


def test_revised_earlier_month_uses_latest_value():
    # February first reported 290, then revised to 300 (later row): March's 当月值 = 450 − 300.
    rows = [*A, r("A", "2024-02", 300)]
    got = by_key(rows)
    assert got["A", "2024-02", "gdp"]["value"] == 300
    assert got["A", "2024-02", "gdp"]["month_value"] == 190
    assert got["A", "2024-03", "gdp"]["month_value"] == 150
    assert got["A", "2024-02", "gdp"]["yoy_cumulative"] == pytest.approx(0.2)  # 300 / 250 − 1


def test_revision_order_by_reported_at_when_given():
    rows = [dict(r("A", "2024-01", 120), reported_at="2024-03-01"), dict(r("A", "2024-01", 110), reported_at="2024-02-10")]
    assert by_key(rows)["A", "2024-01", "gdp"]["value"] == 120


def test_share_and_rank_with_ties_sharing_the_best():
    rows = [r("A", "2024-01", 50), r("B", "2024-01", 30), r("C", "2024-01", 50), r("D", "2024-01", 70)]
    got = by_key(rows)
    assert [got[z, "2024-01", "gdp"]["rank"] for z in "ABCD"] == [2, 4, 2, 1]
    assert got["A", "2024-01", "gdp"]["share_province"] == pytest.approx(0.25)  # 50 / 200
    assert got["D", "2024-01", "gdp"]["share_province"] == pytest.approx(0.35)


def test_ratio_and_stock_indicators():
    rows = [r("A", "2023-06", 0.02, "rd_intensity"), r("A", "2024-06", 0.025, "rd_intensity"),
            r("A", "2024-06", 12, "high_tech_enterprises"), r("B", "2024-06", 4, "high_tech_enterprises")]
    got = by_key(rows)
    rd, hte = got["A", "2024-06", "rd_intensity"], got["A", "2024-06", "high_tech_enterprises"]
    assert rd["yoy_cumulative"] == pytest.approx(0.25) and rd["share_province"] is None and rd["rank"] == 1
    assert rd["reasons"]["share_province"] == "比率类指标，不计算占全省经开区合计比重"
    assert rd["month_value"] is None and "非按年累计" in rd["reasons"]["month_value"]
    assert hte["share_province"] == pytest.approx(0.75) and hte["month_value"] is None


def test_flows_mapping_parameter():
    rows = [r("A", "2024-01", 5, "new_urban_jobs"), r("A", "2024-02", 12, "new_urban_jobs")]
    assert by_key(rows)["A", "2024-02", "new_urban_jobs"]["month_value"] is None
    assert by_key(rows, flows=["new_urban_jobs"])["A", "2024-02", "new_urban_jobs"]["month_value"] == 7


def test_quarterly_and_annual_views():
    months = [r("A", f"{y}-{m:02d}", base * m) for y, base in ((2023, 10), (2024, 12)) for m in range(1, 13)]
    quarters = aggregate(months, "quarter")
    assert quarters.filter(quarters["period"] == "2024-Q2")["value"].item() == 72  # 1—6月 = 12 × 6
    q = {x["period"]: x for x in view(months, "quarter").to_dicts()}
    assert q["2024-Q1"]["quarter_value"] == 36 and q["2024-Q2"]["quarter_value"] == 36  # 72 − 36
    assert q["2024-Q3"]["yoy_cumulative"] == pytest.approx(0.2)  # 108 / 90 − 1
    assert q["2024-Q4"]["yoy_quarter"] == pytest.approx(0.2)  # (144 − 108) / (120 − 90) − 1
    y = {x["period"]: x for x in view(months, "year").to_dicts()}
    assert y["2024"]["value"] == 144 and y["2024"]["yoy_cumulative"] == pytest.approx(0.2)
    assert "month_value" not in y["2024"]


def test_quarter_missing_end_month_is_left_out_and_next_quarter_says_why():
    months = [r("A", "2024-03", 30), r("A", "2024-05", 50), r("A", "2024-09", 90)]
    q = {x["period"]: x for x in to_records(derive(aggregate(months, "quarter")))}
    assert set(q) == {"2024-Q1", "2024-Q3"}
    assert q["2024-Q3"]["reasons"]["month_value"] == "缺少上季度（2024-Q2）累计值，无法计算当季值"


@pytest.mark.parametrize(("row", "message"), [
    (r("A", "2024-13", 1), "期间“2024-13”无效"),
    (r("A", "2024-01", "abc"), "数值“abc”不是有效数字"),
    (r("A", "2024-01", "1,10"), "数值“1,10”不是有效数字"),
    (r("A", "2024-01", "inf"), "数值“inf”不是有效数字"),
    (r("", "2024-01", 1), "缺少园区代码"),
])
def test_invalid_rows_are_refused_in_chinese(row, message):
    with pytest.raises(DataError, match=message):
        derive([row])


def test_thousands_separators_are_read():
    assert by_key([r("A", "2024-01", "1,234,567.5")])["A", "2024-01", "gdp"]["value"] == 1234567.5


def test_missing_column_is_refused():
    with pytest.raises(DataError, match="缺少必需的列：value"):
        derive([{"zone_code": "A", "period": "2024-01", "indicator": "gdp"}])


# ---- issue 10: NBS conventions for bases, revised bases, extreme rates, ranks ----

def va(zone, period, value, **extra):
    return dict(r(zone, period, value, "industrial_value_added"), **extra)


def test_negative_and_zero_bases_say_what_nbs_writes():
    # 规上工业增加值 may be negative (catalogue: no lower bound), 1—3月 累计, 万元.
    rows = [va("LZ", "2025-03", -1250.6), va("LZ", "2026-03", 3480.2),  # 上年亏 → 本年盈
            va("JC", "2025-03", -820.0), va("JC", "2026-03", -1310.5),  # 亏损扩大
            va("TS", "2025-03", -2100.0), va("TS", "2026-03", -640.0),  # 亏损收窄
            va("BY", "2025-03", 950.0), va("BY", "2026-03", -120.0),  # 由盈转亏: no −112.6% rate
            va("ZY", "2025-03", 0.0), va("ZY", "2026-03", 410.0),
            va("WW", "2025-03", 0.0), va("WW", "2026-03", 0.0)]
    got = by_key(rows)
    notes = {z: got[z, "2026-03", "industrial_value_added"]["notes"].get("yoy_cumulative")
             for z in ("LZ", "JC", "TS", "BY", "ZY", "WW")}
    assert notes == {"LZ": "由亏转盈", "JC": "增亏", "TS": "减亏", "BY": "由盈转亏", "ZY": "上年同期为零",
                     "WW": "上年同期及本期均为零"}
    lz = got["LZ", "2026-03", "industrial_value_added"]
    assert lz["yoy_cumulative"] is None  # the rate is not computed, the reason is kept
    assert lz["reasons"]["yoy_cumulative"] == "上年同期（2025-03）累计值为负数（-1250.6），同比无意义"
    assert got["BY", "2026-03", "industrial_value_added"]["yoy_cumulative"] is None
    # A zero base of a non-negative amount (税收收入) says 上年同期为零, never 由亏转盈.
    tax = by_key([r("A", "2025-01", 0, "tax_revenue"), r("A", "2026-01", 505.9, "tax_revenue")])
    assert tax["A", "2026-01", "tax_revenue"]["notes"] == {"yoy_cumulative": "上年同期为零", "yoy_month": "上年同期为零"}
    # A normal rate has no note.
    assert by_key(A)["A", "2024-03", "gdp"]["notes"] == {}


def test_revised_base_replaces_the_stored_one_for_growth():
    # 金昌 stated its 2025年1—2月 税收收入 revised to the 2026 scope (a merged enterprise): 480,000 instead of
    # the stored 450,000; 1月 revised 230,000 instead of 215,000.
    rows = [r("JC", "2025-01", 215000.0, "tax_revenue"), r("JC", "2025-02", 450000.0, "tax_revenue"),
            dict(r("JC", "2026-01", 241500.0, "tax_revenue"), base_revised=230000.0),
            dict(r("JC", "2026-02", 505944.4, "tax_revenue"), base_revised=480000.0)]
    got = by_key(rows)
    feb = got["JC", "2026-02", "tax_revenue"]
    assert feb["yoy_cumulative"] == pytest.approx(505944.4 / 480000 - 1)  # +5.4%, not +12.4%
    assert feb["base_cumulative"] == 480000 and feb["base_stored"] == 450000 and feb["base_revised"] == 480000
    assert feb["yoy_month"] == pytest.approx((505944.4 - 241500) / (480000 - 230000) - 1)
    assert got["JC", "2026-01", "tax_revenue"]["yoy_month"] == pytest.approx(241500 / 230000 - 1)
    # Without the previous month's revision the month base cannot be formed: null, and says why.
    got = by_key([*rows[:2], r("JC", "2026-01", 241500.0, "tax_revenue"), rows[3]])
    feb = got["JC", "2026-02", "tax_revenue"]
    assert feb["yoy_cumulative"] == pytest.approx(505944.4 / 480000 - 1) and feb["yoy_month"] is None
    assert "上期未提供调整值" in feb["reasons"]["yoy_month"]
    # A revised base even where last year's figure was never stored.
    only = by_key([dict(r("JC", "2026-01", 241500.0, "tax_revenue"), base_revised=230000.0)])
    assert only["JC", "2026-01", "tax_revenue"]["yoy_cumulative"] == pytest.approx(241500 / 230000 - 1)


def test_extreme_rates_are_flagged_with_a_reason():
    # 当月值 2025年11月 3.2 万元 → 2026年11月 263.3 万元: +8128.1%, and 累计 +12.0% is normal.
    rows = [r("DX", "2025-10", 1200.0, "fdi_actual_usd"), r("DX", "2025-11", 1203.2, "fdi_actual_usd"),
            r("DX", "2026-10", 1084.3, "fdi_actual_usd"), r("DX", "2026-11", 1347.6, "fdi_actual_usd")]
    nov = by_key(rows)["DX", "2026-11", "fdi_actual_usd"]
    assert nov["yoy_month"] == pytest.approx(263.3 / 3.2 - 1)
    assert set(nov["flags"]) == {"yoy_month"}
    assert nov["flags"]["yoy_month"].startswith("增速8128.1%超出±100.0%（平台默认阈值，非官方口径）")
    assert "上年同期基数3.2" in nov["flags"]["yoy_month"]
    assert by_key(rows, extreme_rate=100)["DX", "2026-11", "fdi_actual_usd"]["flags"] == {}  # configurable


def test_lower_is_better_ranks_the_smallest_first():
    rows = [r("LZ", "2025", 0.62, "energy_per_value_added"), r("JC", "2025", 1.85, "energy_per_value_added"),
            r("TS", "2025", 0.41, "energy_per_value_added"), r("LZ", "2025", 9.1, "water_per_value_added"),
            r("JC", "2025", 14.2, "water_per_value_added"), r("LZ", "2025", -0.031, "co2_growth"),
            r("JC", "2025", 0.024, "co2_growth"), r("LZ", "2025", 2_350_000.0, "gdp"), r("JC", "2025", 980_000.0, "gdp")]
    got = by_key(rows)
    assert [got[z, "2025", "energy_per_value_added"]["rank"] for z in ("TS", "LZ", "JC")] == [1, 2, 3]
    assert [got[z, "2025", "water_per_value_added"]["rank"] for z in ("LZ", "JC")] == [1, 2]
    assert [got[z, "2025", "co2_growth"]["rank"] for z in ("LZ", "JC")] == [1, 2]  # a fall of CO₂ is best
    assert [got[z, "2025", "gdp"]["rank"] for z in ("LZ", "JC")] == [1, 2]  # higher is better as before
