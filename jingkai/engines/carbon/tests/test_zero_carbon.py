"""零碳园区 1+5: band edges, equality at the threshold, the veto, 待确认 below 200,000 tce, gaps and what-if."""

import polars as pl
import pytest

from jingkai.engines import carbon

TH = carbon.load_thresholds()
GUIDES = {"clean_energy_share": 0.95, "product_energy_grade2": True, "solid_waste_utilisation": 0.9,
          "waste_heat_utilisation": 0.6, "water_reuse": 0.9}


def zone(energy, co2, **guides):
    return carbon.Zone("Z1", 2025, energy, co2, {**GUIDES, **guides})


@pytest.mark.parametrize(("energy", "threshold"), [
    (199_999.999, None), (200_000, 0.20), (999_999.999, 0.20), (1_000_000, 0.30), (5_000_000, 0.30)])
def test_band_edges(energy, threshold):
    assert carbon.assess(zone(energy, 0.1 * energy), TH)["core"]["threshold"] == threshold


def test_below_200000_tce_the_verdict_is_to_be_confirmed_with_the_reason():
    r = carbon.assess(zone(150_000, 1.0), TH)
    assert (r["verdict"], r["core"]["passed"], r["gap_co2_t"]) == ("待确认", None, None)
    assert "不足 20 万吨标准煤" in r["core"]["reason"] and "待确认" in r["core"]["reason"]


@pytest.mark.parametrize(("energy", "threshold"), [(200_000, 0.2), (700_001, 0.2), (333_333, 0.2),
                                                   (1_000_000, 0.3), (3_333_333, 0.3)])
def test_a_value_equal_to_its_threshold_meets_it(energy, threshold):
    at = carbon.assess(zone(energy, threshold * energy), TH)
    assert (at["core"]["passed"], at["verdict"], at["gap_co2_t"]) == (True, "达标", 0.0)
    above = carbon.assess(zone(energy, threshold * energy + 1), TH)
    assert (above["core"]["passed"], above["verdict"]) == (False, "未达标")
    assert above["gap_co2_t"] == pytest.approx(1)


def test_guides_at_their_threshold_pass_and_unmet_ones_are_listed_with_their_gap():
    r = carbon.assess(zone(500_000, 50_000, clean_energy_share=0.9, water_reuse=0.79, product_energy_grade2=False),
                      TH)
    by = {g["code"]: g for g in r["guides"]}
    assert by["clean_energy_share"]["passed"] is True and by["water_reuse"]["gap"] == pytest.approx(0.01)
    assert r["verdict"] == "达标"  # the guides may be excused with a reason: the core decides
    assert r["unmet_guides"] == ["园区企业产出产品单位能耗", "工业用水重复利用率"]


def test_the_core_is_a_veto_whatever_the_guides():
    assert carbon.assess(zone(500_000, 150_000), TH)["verdict"] == "未达标"


def test_missing_data_are_shown_as_such():
    r = carbon.assess(zone(500_000, None, water_reuse=None), TH)
    assert (r["verdict"], r["core"]["value"], r["core"]["reason"]) == ("待确认", None, "待核算：缺少二氧化碳排放量")
    assert {g["code"]: g["value"] for g in r["guides"]}["water_reuse"] == "待录入"


def test_gap_green_power_and_annual_reduction():
    r = carbon.assess(zone(500_000, 150_000), TH, target_year=2030, grid_factor_kg_per_kwh=0.4471)
    assert r["gap_co2_t"] == pytest.approx(50_000)
    assert r["green_power_to_add_mwh"] == pytest.approx(50_000 / 0.4471, rel=1e-9)
    assert r["annual_reduction_co2_t"] == pytest.approx(10_000)


def test_what_if_certificates_and_pv():
    z = zone(500_000, 150_000)
    cert = carbon.what_if(z, TH, 0.4471, certificates_mwh=50_000 / 0.4471)
    assert cert["core_after"] == pytest.approx(0.2) and cert["verdict_after"] == "达标"
    pv = carbon.what_if(z, TH, 0.5, pv_mw=10, full_load_hours=1500)
    assert pv["pv_mwh"] == 15_000 and pv["co2_cut_t"] == pytest.approx(7_500)
    assert pv["core_after"] == pytest.approx((150_000 - 7_500) / 500_000) and pv["full_load_hours_status"] == "待确认"
    with pytest.raises(carbon.DataError, match="满负荷利用小时数"):
        carbon.what_if(z, TH, 0.5, pv_mw=10)


def test_zone_rows_are_checked():
    cols = {c: ["1"] for c in ("energy_tce", "co2_t")} | {"zone_code": ["Z"], "year": ["2025"],
                                                          "clean_energy_share": ["90"], "product_energy_grade2": ["是"],
                                                          "solid_waste_utilisation": [""], "waste_heat_utilisation": [""],
                                                          "water_reuse": [""]}
    with pytest.raises(carbon.DataError, match="第 2 行“clean_energy_share”列的值“90”应为 0 到 1 之间的比例"):
        carbon.zones(pl.DataFrame(cols))
    with pytest.raises(carbon.DataError, match="第 2 行“province”列的值“火星”不是省级行政区名称"):
        carbon.zones(pl.DataFrame(cols | {"clean_energy_share": ["0.9"], "province": ["火星"]}), {"甘肃"})
