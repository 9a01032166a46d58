"""`jingkai evaluate` and `jingkai methodology`: file mode (no database), database mode, formats."""

import json

import openpyxl
import polars as pl
import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from jingkai.engines.evaluation.tests.test_analysis import zones
from jingkai.engines.evaluation.tests.test_pipeline import GOLDEN, GOLDEN_COLUMNS

ASEM = settings.SHARED_DIR / "reference" / "coinr-asem"


def evaluate_json(tmp_path, *args):
    out = tmp_path / "out.json"
    call_command("evaluate", *args, "--out", str(out))
    return json.loads(out.read_text(encoding="utf-8"))


def test_asem_golden_through_the_command_without_database(tmp_path):
    # no `db` fixture: any database access would fail this test
    payload = evaluate_json(tmp_path, "--data", str(ASEM / "ASEM_iData.csv"), "--methodology", "coinr-asem-example")
    assert payload["methodology"] == "coinr-asem-example"
    units = {u["unit"]: u for u in payload["units"]}
    got = {c: [round(units[c]["scores"][k], 2) for k in GOLDEN_COLUMNS] for c in GOLDEN}
    assert got == GOLDEN
    che = units["CHE"]
    assert che["rank"] == 1 and che["score"] == pytest.approx(che["scores"]["Index"])
    assert set(che["group_ranks"]) == {"GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group"}
    assert set(che["indicators"]["LPI"]) == {"raw", "treated", "normalised", "contribution"}
    assert che["bonus"] == 0


def test_sensitivity_csv_and_xlsx(tmp_path):
    data = tmp_path / "zones.csv"
    zones().write_csv(data)
    payload = evaluate_json(tmp_path, "--data", str(data), "--methodology", "mofcom-2021", "--sensitivity", "10",
                            "--unit", "Z20", "--target-group-rank", "3")
    assert payload["sensitivity"]["runs"] == 60
    assert len(payload["unverified"]) == 18
    z20 = next(u for u in payload["units"] if u["unit"] == "Z20")
    assert {"rank_interval", "bottom5_probability", "sensitivity", "median_rank"} <= z20.keys()
    assert z20["group_ranks"]["region"] >= 1 and len(z20["diagnosis"]["drags"]) <= 5
    assert "rows" in z20["target_path"]

    csv_out = tmp_path / "r.csv"
    call_command("evaluate", "--data", str(data), "--methodology", "mofcom-2021", "--format", "csv",
                 "--out", str(csv_out))
    table = pl.read_csv(csv_out)
    assert table.columns[:5] == ["unit", "name", "score", "rank", "rank_region"]
    assert table["rank"].to_list() == sorted(table["rank"].to_list())

    xlsx = tmp_path / "r.xlsx"
    call_command("evaluate", "--data", str(data), "--methodology", "mofcom-2021", "--format", "xlsx",
                 "--out", str(xlsx))
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["排名", "指标", "待核实"]
    assert [c.value for c in book["排名"][3]][:5] == ["园区代码", "园区名称", "综合得分", "全国排名", "地区排名"]
    assert [c.value for c in book["指标"][3]][:3] == ["园区代码", "指标", "原始值"]


def test_long_table_and_year(tmp_path):
    wide = zones()
    long = wide.unpivot(index=["zone_code", "region"], on=["gdp", "trade_total"], variable_name="indicator")
    long = pl.concat([long.with_columns(period=pl.lit("2023")),
                      long.with_columns(period=pl.lit("2022"), value=pl.col("value") * 0 + 1)])
    path = tmp_path / "long.csv"
    long.write_csv(path)
    payload = evaluate_json(tmp_path, "--data", str(path), "--methodology", "mofcom-2021", "--year", "2023")
    assert len(payload["units"]) == len(wide)
    assert any("fdi_actual_usd" in w for w in payload["warnings"])
    ranks_2022 = evaluate_json(tmp_path, "--data", str(path), "--methodology", "mofcom-2021", "--year", "2022")
    assert {u["rank"] for u in ranks_2022["units"]} == {1}  # all equal in 2022: everyone shares rank 1


def test_errors_are_chinese_command_errors(tmp_path):
    with pytest.raises(CommandError, match="找不到评价方法"):
        call_command("evaluate", "--data", str(ASEM / "ASEM_iData.csv"), "--methodology", "nope")
    with pytest.raises(CommandError, match="找不到数据文件"):
        call_command("evaluate", "--data", str(tmp_path / "x.csv"), "--methodology", "mofcom-2021")


def test_from_coinr_writes_a_usable_methodology(tmp_path):
    out = tmp_path / "asem.yaml"
    call_command("methodology", "from-coinr", str(ASEM / "ASEM_iMeta.csv"), "--out", str(out),
                 "--impute", "group_mean", "--impute-group", "EurAsia_group", "--treat", "coinr",
                 "--min-coverage", "0.9")
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert doc["tree"][0]["code"] == "Index" and doc["unit_key"] == "uCode"
    payload = evaluate_json(tmp_path, "--data", str(ASEM / "ASEM_iData.csv"), "--methodology", str(out))
    assert round(payload["units"][0]["score"], 2) == 68.38


@pytest.mark.django_db
def test_database_mode_reads_zone_indicator_values(tmp_path):
    from jingkai.zones.models import Indicator, IndicatorValue, Zone

    data = zones(12)
    keys = [c for c in data.columns if c not in ("zone_code", "name", "region", "level")]
    indicators = {k: Indicator.objects.get_or_create(key=k, defaults={"name": k, "unit": "", "frequency": "year"})[0]
                  for k in keys}
    rows = []
    for rec in data.iter_rows(named=True):
        zone = Zone.objects.create(code=rec["zone_code"], name=rec["name"], level="national_etdz",
                                   region=rec["region"], province="测试省")
        for k in keys:
            rows.append(IndicatorValue(zone=zone, period="2023", indicator=indicators[k], value=float(rec[k])))
            rows.append(IndicatorValue(zone=zone, period="2023-Q1", indicator=indicators[k], value=0.0))
    IndicatorValue.objects.bulk_create(rows)
    from_db = evaluate_json(tmp_path, "--methodology", "mofcom-2021", "--year", "2023")
    csv = tmp_path / "z.csv"
    data.write_csv(csv)
    from_file = evaluate_json(tmp_path, "--methodology", "mofcom-2021", "--data", str(csv))
    assert [(u["unit"], u["rank"]) for u in from_db["units"]] == [(u["unit"], u["rank"]) for u in from_file["units"]]
    assert from_db["units"][0]["score"] == pytest.approx(from_file["units"][0]["score"])
    with pytest.raises(CommandError, match="没有 2019 年"):
        call_command("evaluate", "--methodology", "mofcom-2021", "--year", "2019")


def test_provincial_zones_scored_on_the_national_scale(tmp_path):
    data = zones(20).with_columns(
        level=pl.when(pl.col("zone_code").is_in(["Z18", "Z19"])).then(pl.lit("provincial")).otherwise(
            pl.col("level")))
    path = tmp_path / "p.csv"
    data.write_csv(path)
    payload = evaluate_json(tmp_path, "--data", str(path), "--methodology", "gansu-provincial-upgrade")
    units = {u["unit"]: u for u in payload["units"]}
    national = sorted((u["score"] for c, u in units.items() if c not in ("Z18", "Z19")), reverse=True)
    for code in ("Z18", "Z19"):
        # rank among the 18 national zones: 1 + those scoring higher
        assert units[code]["rank"] == 1 + sum(s > units[code]["score"] for s in national)
    assert sorted(u["rank"] for c, u in units.items() if c not in ("Z18", "Z19")) == list(range(1, 19))
