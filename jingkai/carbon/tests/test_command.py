"""`jingkai carbon account|zero-carbon` on files as an operator runs them: the issue's columns and JSON shapes,
CSV and Excel alike, errors in Chinese naming row, column and value; no database."""

import json
import subprocess
import sys

import openpyxl
import pytest
from django.core.management import CommandError, call_command

ACCOUNT = """entity,year,province,electricity_kwh,green_power_kwh,coal_t,natural_gas_m3,diesel_t,gasoline_t,heat_gj
91620100000000001A,2025,甘肃省,1000000,250000,,10000,,,
91620100000000002B,2022,甘肃,500000,,,,,,
"""
ZONES = """zone_code,year,energy_tce,co2_t,clean_energy_share,product_energy_grade2,solid_waste_utilisation,waste_heat_utilisation,water_reuse,province
GS-LZ,2025,200000,40000,0.9,true,0.8,0.5,0.8,甘肃
GS-JC,2025,1000000,350000,0.8,false,0.85,,0.9,甘肃
GS-TS,2025,150000,30000,0.95,true,0.9,0.6,0.9,
"""


def run(*args, out):
    call_command("carbon", *args, "--format", "json", "--out", str(out))
    return json.loads(out.read_text(encoding="utf-8"))


def test_account_shape_from_csv_and_excel(tmp_path):
    (tmp_path / "e.csv").write_text(ACCOUNT, encoding="utf-8")
    wb = openpyxl.Workbook()
    for line in ACCOUNT.splitlines():  # numbers as Excel numbers, as an operator's sheet has them
        wb.active.append([float(v) if v.isdigit() and len(v) < 18 else v for v in line.split(",")])
    wb.save(tmp_path / "e.xlsx")
    csv = run("account", "--data", str(tmp_path / "e.csv"), out=tmp_path / "a.json")
    xlsx = run("account", "--data", str(tmp_path / "e.xlsx"), "--factors", "carbon-factors-2025.1",
               out=tmp_path / "b.json")
    assert csv == xlsx
    assert csv["factor_set"]["id"] == "carbon-factors-2025.1" and len(csv["factor_set"]["digest"]) == 64
    first, second = csv["results"]
    assert set(first) >= {"entity", "year", "energy_tce", "energy_tce_equivalent", "co2_t", "co2_by_source",
                          "electricity_factor"}
    assert first["co2_by_source"]["electricity"] == pytest.approx(750_000 * 0.4471 / 1000)
    assert first["electricity_factor"]["vintage"] == 2023 and first["electricity_factor"]["status"] == "待确认"
    assert second["electricity_factor"]["value"] == 0.4772 and second["co2_t"] == pytest.approx(500 * 0.4772)


def test_zero_carbon_shape(tmp_path):
    (tmp_path / "z.csv").write_text(ZONES, encoding="utf-8")
    got = run("zero-carbon", "--data", str(tmp_path / "z.csv"), "--target-year", "2030", out=tmp_path / "z.json")
    lz, jc, ts = got["results"]
    assert (lz["verdict"], lz["core"]["value"], lz["core"]["threshold"], lz["core"]["passed"]) == ("达标", 0.2, 0.2, True)
    assert (jc["verdict"], jc["core"]["threshold"], jc["gap_co2_t"]) == ("未达标", 0.3, 50_000)
    assert jc["annual_reduction_co2_t"] == 10_000 and jc["green_power_to_add_mwh"] == pytest.approx(50_000 / 0.4471)
    assert {g["code"]: g["value"] for g in jc["guides"]}["waste_heat_utilisation"] == "待录入"
    assert (ts["verdict"], ts["core"]["threshold"], ts["core"]["passed"]) == ("待确认", None, None)
    assert [g["code"] for g in ts["guides"]] == ["clean_energy_share", "product_energy_grade2",
                                                 "solid_waste_utilisation", "waste_heat_utilisation", "water_reuse"]


def test_bad_input_is_a_chinese_message(tmp_path):
    (tmp_path / "bad.csv").write_text(ACCOUNT.replace("500000,,", "五十万,,"), encoding="utf-8")
    with pytest.raises(CommandError, match="第 3 行“electricity_kwh”列的值“五十万”应为非负数"):
        call_command("carbon", "account", "--data", str(tmp_path / "bad.csv"), "--format", "json")
    with pytest.raises(CommandError, match="无法读取因子集"):
        call_command("carbon", "account", "--data", str(tmp_path / "bad.csv"), "--factors", "no-such-set")


def test_the_installed_command_prints_json(tmp_path):
    (tmp_path / "e.csv").write_text(ACCOUNT, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "jingkai.cli", "carbon", "account", "--data", str(tmp_path / "e.csv"),
                           "--format", "json"], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["results"][1]["entity"] == "91620100000000002B"
