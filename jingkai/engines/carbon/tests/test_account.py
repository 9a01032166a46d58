"""Energy and CO₂ by source: green power at zero with its rule, exported energy deducted, empty parameters
pending (never estimated), and bad input named by row, column and value."""

from pathlib import Path

import polars as pl
import pytest

from jingkai.engines import carbon
from jingkai.engines.carbon.factors import FACTOR_DIR

FS = carbon.load("carbon-factors-2025.1")
GANSU_2023 = 0.4471


def table(**over):
    base = {"entity": "A", "year": "2023", "province": "甘肃省", "electricity_kwh": "1000000",
            "green_power_kwh": "", "coal_t": "", "natural_gas_m3": "", "diesel_t": "", "gasoline_t": "",
            "heat_gj": ""}
    return pl.DataFrame([{**base, **over}])


def one(fs=FS, green_power=None, **over):
    acc = carbon.account(carbon.records(table(**over), set(fs.regions)), fs, green_power)
    return carbon.to_json(acc)["results"][0]


def test_green_power_covered_by_certificates_counts_at_zero_with_the_rule_cited():
    r = one(green_power_kwh="400000")
    assert r["co2_by_source"]["electricity"] == pytest.approx(600_000 * GANSU_2023 / 1000)
    assert r["energy_tce"] == pytest.approx(1_000_000 * 0.1229 / 1000)  # green power is still energy used
    acc = carbon.to_json(carbon.account(carbon.records(table(green_power_kwh="400000"), set(FS.regions)), FS))
    assert "1044号" in acc["green_power_method"]["rule"]
    grid = one(green_power="grid", green_power_kwh="400000")
    assert grid["co2_by_source"]["electricity"] == pytest.approx(1_000_000 * GANSU_2023 / 1000)


def test_exported_power_and_heat_are_deducted():
    r = one(electricity_exported_kwh="100000")
    assert r["co2_by_source"]["electricity"] == pytest.approx(900_000 * GANSU_2023 / 1000)
    assert r["energy_tce"] == pytest.approx(900_000 * 0.1229 / 1000)
    heat = one(electricity_kwh="0", heat_gj="1000", heat_exported_gj="1000")
    assert heat["energy_tce"] == 0 and heat["co2_by_source"]["heat"] == 0


def test_natural_gas_by_ncv_carbon_content_and_oxidation():
    r = one(electricity_kwh="0", natural_gas_m3="20000")
    assert r["co2_by_source"]["natural_gas"] == pytest.approx(2 * 389.31 * 15.3 / 1000 * 0.99 * 44 / 12)
    assert r["energy_tce"] == pytest.approx(20000 * 1.33 / 1000)
    assert r["co2_t"] == r["co2_by_source"]["natural_gas"] and r["pending"] == []


def test_a_carrier_without_parameters_is_pending_not_estimated():
    r = one(coal_t="10")
    assert r["co2_by_source"]["coal"] is None and r["co2_t"] is None
    assert any("煤炭" in p and "待确认" in p for p in r["pending"])
    assert r["energy_tce"] == pytest.approx(1_000_000 * 0.1229 / 1000 + 10 * 0.7143)
    assert r["energy_tce_equivalent"] is None  # no 等价值 for electricity in the shipped set


def test_fuels_with_parameters_follow_the_formula(tmp_path: Path):
    text = (FACTOR_DIR / "carbon-factors-2025.1.yaml").read_text(encoding="utf-8").replace(
        "coal: {ncv: null, ncv_unit: GJ/t, carbon_content: null, carbon_content_unit: tC/TJ, oxidation: null",
        "coal: {ncv: 20.0, ncv_unit: GJ/t, carbon_content: 25.0, carbon_content_unit: tC/TJ, oxidation: 0.9")
    (tmp_path / "test-coal.yaml").write_text(text, encoding="utf-8")  # test values, not a shipped set
    r = one(carbon.load(tmp_path / "test-coal.yaml"), electricity_kwh="0", coal_t="100")
    assert r["co2_by_source"]["coal"] == pytest.approx(100 * 20.0 * 25.0 / 1000 * 0.9 * 44 / 12)


def test_the_result_states_the_factor_and_why():
    f = one(year="2025")["electricity_factor"]
    assert (f["value"], f["region"], f["vintage"], f["status"]) == (GANSU_2023, "甘肃", 2023, "待确认")
    assert f["selection"] == "省级（甘肃）2025 年无因子，采用此前最近的 2023 年因子"


@pytest.mark.parametrize(("over", "message"), [
    ({"electricity_kwh": "1千"}, "第 2 行“electricity_kwh”列的值“1千”应为非负数（单位 kWh）"),
    ({"coal_t": "-3"}, "第 2 行“coal_t”列的值“-3”应为非负数（单位 t）"),
    ({"year": "25"}, "第 2 行“year”列的值“25”应为四位年份"),
    ({"province": "西北"}, "第 2 行“province”列的值“西北”不是省级行政区名称"),
    ({"green_power_kwh": "2000000"}, "第 2 行“green_power_kwh”列的值“2000000”大于外购电量"),
    ({"year": "2020"}, "第 2 行“year”列的值“2020”无法核算：因子集 carbon-factors-2025.1 中没有 甘肃 2020 年或更早"),
])
def test_bad_input_names_row_column_and_value(over, message):
    with pytest.raises(carbon.DataError, match=message):
        one(**over)


def test_missing_columns_are_named():
    with pytest.raises(carbon.DataError, match="数据缺少列：heat_gj"):
        carbon.records(table().drop("heat_gj"), set(FS.regions))


def test_rows_are_accounted_independently_of_order_and_batch():
    big = pl.concat([table(entity=f"E{i}", year=str(2021 + i % 4), province=["甘肃", "陕西", "青海"][i % 3],
                           natural_gas_m3=str(i * 10)) for i in range(12)])
    every = carbon.to_json(carbon.account(carbon.records(big, set(FS.regions)), FS))["results"]
    single = [one(**{k: str(v) for k, v in row.items()}) for row in big.iter_rows(named=True)]
    assert every == single
