"""Factors and coefficients as the files state them; vintage selection; frozen results; unit safety."""

import shutil
from pathlib import Path

import polars as pl
import pytest
import yaml

from jingkai.engines import carbon
from jingkai.engines.carbon.factors import FACTOR_DIR

SHIPPED = FACTOR_DIR / "carbon-factors-2025.1.yaml"


def raw():
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def test_every_factor_is_loaded_as_the_file_states_it():
    fs = carbon.load("carbon-factors-2025.1")
    by_id = {f.id: f for f in fs.factors}
    rows = raw()["emission_factors"]
    assert len(by_id) == len(rows)
    for r in rows:
        f = by_id[r["id"]]
        assert (f.kind, f.region, f.vintage, f.value, f.unit, f.status) == (
            r["kind"], r["region"], r["vintage"], r["value"], r["unit"], r["status"])
        assert f.source.notice_no == raw()["sources"][r["source"]]["notice_no"]


def test_the_reference_values_and_their_status():
    by_key = {(f.kind, f.region, f.vintage): f for f in carbon.load().factors}
    assert by_key["grid_avg", "全国", 2022].value == 0.5366 and by_key["grid_avg", "全国", 2022].status == "official"
    assert by_key["grid_avg", "西北", 2023].value == 0.5543
    assert by_key["grid_avg", "西南", 2023].value == 0.2472
    # Gansu: third-party tables consistent with the official ones, shown as 待确认 until checked
    assert (by_key["grid_avg", "甘肃", 2022].value, by_key["grid_avg", "甘肃", 2022].status) == (0.4772, "待确认")
    assert (by_key["grid_avg", "甘肃", 2023].value, by_key["grid_avg", "甘肃", 2023].status) == (0.4471, "待确认")
    assert by_key["heat", "全国", 2021].value is None  # no source found: empty, never a guess


def test_coefficients_reproduce_the_file():
    fs = carbon.load()
    for carrier, c in raw()["conversion"].items():
        got = fs.conversion[carrier]
        assert (got.equal, got.equivalent, got.unit, got.status) == (c["equal"], c.get("equivalent"), c["unit"],
                                                                       c["status"])
    assert fs.conversion["electricity"].equal == 0.1229 and fs.conversion["electricity"].equivalent is None
    assert fs.conversion["heat"].equal == 0.03412 and fs.conversion["heat"].unit == "kgce/MJ"
    gas = fs.fuels["natural_gas"]
    assert (gas.ncv, gas.carbon_content, gas.oxidation) == (389.31, 15.3, 0.99)
    # ≈ 21.6 tCO2/万Nm³ as the reference states
    per_wan = carbon.product_scale(("wan_m3", gas.ncv_unit, gas.carbon_content_unit), "tC") * 389.31 * 15.3 * 0.99
    assert per_wan * 44 / 12 == pytest.approx(21.6, abs=0.05)


@pytest.mark.parametrize(("province", "year", "value", "reason"), [
    ("甘肃", 2023, 0.4471, "省级（甘肃）2023 年因子"),
    ("甘肃", 2022, 0.4772, "省级（甘肃）2022 年因子"),
    ("甘肃", 2025, 0.4471, "省级（甘肃）2025 年无因子，采用此前最近的 2023 年因子"),
    ("陕西", 2022, 0.5857, "区域电网（西北）2022 年因子"),  # no 陕西 factor: its regional grid's
    ("甘肃", 2021, 0.5568, "全国（全国）2021 年因子"),  # no provincial or regional 2021 factor
])
def test_province_before_region_and_the_accounting_years_vintage_else_the_latest_earlier(province, year, value,
                                                                                          reason):
    sel = carbon.load().grid_factor(province, year)
    assert (sel.factor.value, sel.reason) == (value, reason)


def test_no_later_vintage_is_used_for_an_earlier_year():
    with pytest.raises(carbon.FactorError, match="2020 年或更早"):
        carbon.load().grid_factor("甘肃", 2020)


def rows(**over):
    base = {"entity": ["A"], "year": ["2025"], "province": ["甘肃"], "electricity_kwh": ["1000000"],
            "green_power_kwh": ["0"], "coal_t": [""], "natural_gas_m3": ["10000"], "diesel_t": [""],
            "gasoline_t": [""], "heat_gj": [""]}
    return pl.DataFrame({**base, **over})


def test_a_frozen_account_is_unchanged_by_a_new_factor_file(tmp_path: Path):
    shutil.copy(SHIPPED, tmp_path / SHIPPED.name)
    fs = carbon.load(directory=tmp_path)
    frozen = carbon.to_json(carbon.account(carbon.records(rows(), set(fs.regions)), fs))
    # A newer set adds a 2025 Gansu factor: the default now uses it, the pinned version still gives the frozen figures
    newer = raw()
    newer.update(id="carbon-factors-2026.1", version="2026.1")
    newer["emission_factors"].append({"id": "grid-avg-gansu-2025", "kind": "grid_avg", "region": "甘肃",
                                      "vintage": 2025, "value": 0.4, "unit": "kgCO2/kWh",
                                      "source": "code-gansu-2023", "status": "待确认"})
    (tmp_path / "carbon-factors-2026.1.yaml").write_text(yaml.safe_dump(newer, allow_unicode=True), encoding="utf-8")
    latest = carbon.load(directory=tmp_path)
    assert latest.id == "carbon-factors-2026.1"
    moved = carbon.to_json(carbon.account(carbon.records(rows(), set(latest.regions)), latest))
    assert moved["results"][0]["co2_t"] != frozen["results"][0]["co2_t"]
    pinned = carbon.load_pinned(frozen["factor_set"], directory=tmp_path)
    again = carbon.to_json(carbon.account(carbon.records(rows(), set(pinned.regions)), pinned))
    assert again == frozen


def test_a_changed_factor_file_cannot_stand_in_for_the_pinned_one(tmp_path: Path):
    shutil.copy(SHIPPED, tmp_path / SHIPPED.name)
    pin = carbon.load(directory=tmp_path).pin
    path = tmp_path / SHIPPED.name
    path.write_text(path.read_text(encoding="utf-8").replace("value: 0.4471", "value: 0.4470"), encoding="utf-8")
    with pytest.raises(carbon.FactorError, match="内容与核算时不同"):
        carbon.load_pinned(pin, directory=tmp_path)


def test_units_cannot_be_confused():
    assert carbon.scale("kWh", "MWh") == pytest.approx(1e-3)
    assert carbon.scale("wan_m3", "m**3") == pytest.approx(1e4)
    assert carbon.scale("GJ", "MJ") == pytest.approx(1e3)
    assert carbon.scale("t", "kg") == pytest.approx(1e3)
    for source, target in (("m**3", "t"), ("kWh", "tce"), ("tC", "tCO2"), ("kgCO2/kWh", "kgCO2/m**3"), ("GJ", "t")):
        with pytest.raises(carbon.UnitError, match="量纲不同"):
            carbon.scale(source, target)


def test_a_coefficient_stated_per_mwh_gives_the_same_energy(tmp_path: Path):
    """The unit in the file is used, not assumed: 122.9 kgce/MWh is 0.1229 kgce/kWh."""
    text = SHIPPED.read_text(encoding="utf-8").replace(
        "equal: 0.1229, equivalent: null, unit: kgce/kWh", "equal: 122.9, equivalent: null, unit: kgce/MWh")
    assert "kgce/MWh" in text
    (tmp_path / "per-mwh.yaml").write_text(text, encoding="utf-8")
    a, b = carbon.load(), carbon.load(tmp_path / "per-mwh.yaml")
    ea = carbon.account(carbon.records(rows(), set(a.regions)), a).rows["energy_tce"][0]
    eb = carbon.account(carbon.records(rows(), set(b.regions)), b).rows["energy_tce"][0]
    assert ea == pytest.approx(eb) and ea == pytest.approx(122.9 + 13.3)


def test_a_factor_in_the_wrong_dimension_is_refused(tmp_path: Path):
    text = SHIPPED.read_text(encoding="utf-8").replace("value: 0.4471, unit: kgCO2/kWh", "value: 0.4471, unit: kgCO2/m**3")
    (tmp_path / "wrong.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(carbon.UnitError, match="量纲不同"):
        carbon.load(tmp_path / "wrong.yaml")
