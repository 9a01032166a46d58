"""Entry and import by the reporting conventions: 地区生产总值 quarterly (at months 3, 6, 9, 12), the indicators
reported 1—2月 merged not asked in January, the real growth rates (可比价) entered as their own figures."""

from jingkai.intake.services import run_import_rows
from jingkai.zones.models import IndicatorValue


def test_entry_asks_for_gdp_only_at_quarter_ends(client, lz_zone_user):
    client.force_login(lz_zone_user)
    august = client.get("/indicators/entry/?zone=GS-LZ&period=2025-08").content.decode()
    assert 'name="v_gdp"' not in august and 'name="v_gdp_growth_real"' not in august
    assert "地区生产总值、地区生产总值增速（可比价）按季度报送" in august and 'name="v_tax_revenue"' in august
    september = client.get("/indicators/entry/?zone=GS-LZ&period=2025-09").content.decode()
    assert 'name="v_gdp"' in september and "（前三季度累计）" in september
    assert 'name="v_gdp_growth_real"' in september and 'name="v_industrial_value_added_growth_real"' in september
    assert "（1—9月累计）" in september  # the monthly flows


def test_quarter_period_opens_the_quarter_end_month(client, lz_zone_user):
    client.force_login(lz_zone_user)
    response = client.get("/indicators/entry/?zone=GS-LZ&period=2025-Q3", follow=True)
    assert response.redirect_chain[-1][0] == "/indicators/entry/?zone=GS-LZ&period=2025-09"
    assert "2025年前三季度即 2025-09" in response.content.decode()


def test_january_does_not_ask_for_the_indicators_reported_jan_feb_merged(client, lz_zone_user):
    client.force_login(lz_zone_user)
    january = client.get("/indicators/entry/?zone=GS-LZ&period=2025-01").content.decode()
    for key in ("industrial_output", "industrial_value_added", "fixed_asset_investment"):
        assert f'name="v_{key}"' not in january
    assert 'name="v_tax_revenue"' in january and "1—2月合并报送，1月不填报" in january
    february = client.get("/indicators/entry/?zone=GS-LZ&period=2025-02").content.decode()
    assert 'name="v_industrial_output"' in february and "（1—2月累计）" in february


def test_import_refuses_monthly_gdp_and_takes_the_quarter_end_month(zones):
    rows = [{"zone_code": "GS-LZ", "period": p, "indicator": "gdp", "value": "100"} for p in ("2024-05", "2024-Q2")]
    result = run_import_rows("zone-indicators", rows)
    assert not result.ok and [e.row for e in result.errors] == [1, 2]
    assert "季度指标，期间应为季末月份 YYYY-03、YYYY-06、YYYY-09、YYYY-12" in result.errors[0].message
    ok = run_import_rows("zone-indicators", [
        {"zone_code": "GS-LZ", "period": "2024-06", "indicator": "gdp", "value": "100"},
        {"zone_code": "GS-LZ", "period": "2024-06", "indicator": "gdp_growth_real", "value": "-0.012"},  # may fall
        {"zone_code": "GS-LZ", "period": "2024", "indicator": "gdp", "value": "210"}])  # 全年
    assert ok.ok, ok.errors
    assert IndicatorValue.objects.get(period="2024-06", indicator__key="gdp_growth_real").value == -0.012
