"""Every data-quality rule, at and beyond its boundary."""

import pytest

from jingkai.engines.monitoring import CheckConfig, check


def r(zone, period, indicator, value):
    return {"zone_code": zone, "period": period, "indicator": indicator, "value": value}


def violations(rows, **kw):
    return check(rows, **kw).to_dicts()


def rules(rows, **kw):
    return [(v["rule"], v["zone_code"], v["period"], v["indicator"]) for v in violations(rows, **kw)]


def test_value_added_may_equal_but_not_exceed_output():
    rows = [r("A", "2024-03", "industrial_value_added", 100), r("A", "2024-03", "industrial_output", 100),
            r("B", "2024-03", "industrial_value_added", 100.5), r("B", "2024-03", "industrial_output", 100)]
    (v,) = violations(rows)
    assert (v["rule"], v["severity"], v["zone_code"], v["indicator"]) == (
        "value_added_exceeds_output", "error", "B", "industrial_value_added")
    assert v["message"] == "规模以上工业增加值（100.5万元）大于规模以上工业总产值（100万元），增加值不应超过总产值"


def trade(zone, exports, imports, total):
    return [r(zone, "2024-03", "exports", exports), r(zone, "2024-03", "imports", imports),
            r(zone, "2024-03", "trade_total", total)]


def test_trade_sum_within_rounding_tolerance():
    rows = [*trade("A", 60, 40, 101),  # gap −1: on the tolerance of 1 万元, allowed
            *trade("B", 60, 40.5, 99),  # gap 1.5: error
            *trade("C", 60000, 40000, 99990),  # gap 10 = 1e-4 × 99990 ≈ 9.999 → error
            *trade("D", 60000, 40000, 100010)]  # gap −10 ≤ 1e-4 × 100010 = 10.001: allowed
    got = violations(rows)
    assert [(v["rule"], v["zone_code"]) for v in got] == [("trade_sum_mismatch", "B"), ("trade_sum_mismatch", "C")]
    assert got[0]["message"] == ("出口额（60万元）+ 进口额（40.5万元）= 100.5，与进出口总额（99万元）相差 1.5，"
                                 "超出允许误差 1")
    assert got[0]["severity"] == "error" and got[0]["indicator"] == "trade_total"


def test_trade_tolerance_is_configurable():
    rows = trade("B", 60, 40.5, 99)
    assert violations(rows, config=CheckConfig(trade_abs_tol=2)) == []


def test_trade_not_checked_when_a_part_is_missing():
    assert violations(trade("A", 60, None, 200)) == []


def test_cumulative_flow_may_not_fall_within_a_year():
    rows = [r("A", "2023-12", "gdp", 1200), r("A", "2024-01", "gdp", 100),  # a new year starts again: fine
            r("A", "2024-02", "gdp", 100),  # unchanged: fine
            r("A", "2024-04", "gdp", 90),  # March missing: compared with February, falls
            r("A", "2024-03", "high_tech_enterprises", 10), r("A", "2024-04", "high_tech_enterprises", 8)]
    (v,) = violations(rows)
    assert (v["rule"], v["severity"], v["period"], v["indicator"]) == ("cumulative_decrease", "error", "2024-04", "gdp")
    assert v["message"] == "地区生产总值2024-04累计值（90万元）低于2024-02累计值（100万元），按年累计的指标年内不应下降"


def test_cumulative_rule_uses_the_flows_mapping():
    rows = [r("A", "2024-03", "high_tech_enterprises", 10), r("A", "2024-04", "high_tech_enterprises", 8)]
    assert rules(rows, flows=["high_tech_enterprises"]) == [
        ("cumulative_decrease", "A", "2024-04", "high_tech_enterprises")]
    assert rules([r("A", "2024-03", "gdp", 10), r("A", "2024-04", "gdp", 8)], flows=[]) == []


def test_completeness_against_expected_set():
    rows = [r("A", "2024-03", "gdp", 10), r("B", "2024-03", "gdp", "")]
    expected = [{"zone_code": z, "period": "2024-03", "indicator": i} for z in "ABC" for i in ("gdp",)]
    got = violations(rows, expected=expected)
    assert [(v["rule"], v["zone_code"]) for v in got] == [("missing", "B"), ("missing", "C")]
    assert got[1]["message"] == "缺少园区 C 2024-03 的地区生产总值数据"
    assert violations(rows) == []  # without a calendar completeness is not checked


def growth_panel(rates_2024):
    """Cumulative gdp for months 1–6: 2023 = 100 × month, 2024 = 2023 × (1 + rate of that month)."""
    rows = []
    for zone, rates in rates_2024.items():
        for m, g in enumerate(rates, start=1):
            rows += [r(zone, f"2023-{m:02d}", "gdp", 100 * m), r(zone, f"2024-{m:02d}", "gdp", 100 * m * (1 + g))]
    return rows


PEERS = {"A": [0.10] * 6, "B": [0.12] * 6, "C": [0.08] * 6, "D": [0.11] * 6}


def outliers(rows, **kw):
    """The growth_outlier findings only: a cumulative jump from 10% to 60% in June is also a 当月同比 of
    +310% (410 against 100), which extreme_growth reports on its own."""
    return [v for v in violations(rows, **kw) if v["rule"] == "growth_outlier"]


def test_growth_far_outside_own_history_and_peers_is_a_warning():
    rows = growth_panel({**PEERS, "E": [0.10] * 5 + [0.60]})
    (v,) = outliers(rows)
    assert (v["rule"], v["severity"], v["zone_code"], v["period"]) == ("growth_outlier", "warning", "E", "2024-06")
    # Own history: five months of 10% → median 10%, MAD 0 → spread floored at 0.01: z = (0.60 − 0.10) / 0.01 = 50.
    # Peers in June: 10%, 12%, 8%, 11% → median 10.5%, MAD 0.01 → spread 0.014826: z = 0.495 / 0.014826 = 33.4.
    assert v["message"] == ("地区生产总值累计同比增速 60.0% 明显偏离本园区历史（中位数 10.0%，稳健z值 50.0）"
                            "和同期其他园区（中位数 10.5%，稳健z值 33.4），超过阈值 3.5，请核实")


def test_growth_unusual_for_peers_but_usual_for_the_zone_is_not_flagged():
    assert outliers(growth_panel({**PEERS, "E": [0.60] * 6})) == []


def test_growth_threshold_is_configurable():
    rows = growth_panel({**PEERS, "E": [0.10] * 5 + [0.60]})
    assert outliers(rows, config=CheckConfig(z_threshold=40)) == []  # peers' z 33.4 is now within
    assert len(outliers(rows, config=CheckConfig(z_threshold=33))) == 1


def test_growth_with_too_few_peers_uses_own_history_only():
    rows = growth_panel({"A": [0.10] * 6, "E": [0.10] * 5 + [0.60]})
    (v,) = outliers(rows)
    assert "本园区历史" in v["message"] and "同期其他园区" not in v["message"]


def test_small_differences_are_not_outliers():
    # 10.4% against a history of exactly 10%: the 1-point spread floor keeps z = 0.4.
    assert outliers(growth_panel({**PEERS, "E": [0.10] * 5 + [0.104]})) == []


@pytest.mark.parametrize("field", ["yoy_month", "yoy_cumulative"])
def test_growth_field_is_configurable(field):
    rows = growth_panel({**PEERS, "E": [0.10] * 5 + [0.60]})
    got = outliers(rows, config=CheckConfig(growth_field=field))
    assert [v["zone_code"] for v in got] == ["E"]
    assert ("当月同比" if field == "yoy_month" else "累计同比") in got[0]["message"]


def test_leave_one_out_statistics_match_a_plain_loop():
    import numpy as np
    import polars as pl

    from jingkai.engines.monitoring.checks import _group_stats

    rng = np.random.default_rng(7)
    groups = rng.integers(0, 6, 200)  # uneven group sizes, some groups of one
    frame = pl.DataFrame({"g": groups, "x": rng.normal(size=200)})
    med, mad, count = _group_stats(frame, ["g"], "x")
    x = frame["x"].to_numpy()
    for i in range(0, 200, 7):
        others = x[(groups == groups[i]) & (np.arange(200) != i)]
        assert count[i] == len(others)
        assert med[i] == pytest.approx(np.median(others))
        assert mad[i] == pytest.approx(np.median(np.abs(others - np.median(others))))


def test_extreme_growth_is_a_warning_with_its_reason():
    # 实际使用外资 当月值 3.2 → 263.3 万美元 (+8128.1% 当月同比); the cumulative +12.0% is normal.
    rows = [r("DX", "2025-10", "fdi_actual_usd", 1200.0), r("DX", "2025-11", "fdi_actual_usd", 1203.2),
            r("DX", "2026-10", "fdi_actual_usd", 1084.3), r("DX", "2026-11", "fdi_actual_usd", 1347.6)]
    found = [v for v in violations(rows) if v["rule"] == "extreme_growth"]
    assert len(found) == 1 and found[0]["severity"] == "warning" and found[0]["period"] == "2026-11"
    assert found[0]["message"].startswith("实际使用外资当月同比增速8128.1%超出±100.0%（平台默认阈值，非官方口径）")
    assert not [v for v in violations(rows, config=CheckConfig(extreme_rate=100)) if v["rule"] == "extreme_growth"]


def test_a_period_nobody_reported_is_all_completeness_errors_not_a_crash():
    # a zone submitting a month with no figure at all (and no peer data): check([]) used to raise DataError (a 500)
    expected = [{"zone_code": "GS-LZ", "period": "2026-10", "indicator": k} for k in ("tax_revenue", "exports")]
    found = check([], expected)
    assert found["rule"].to_list() == ["missing", "missing"] and set(found["severity"]) == {"error"}
