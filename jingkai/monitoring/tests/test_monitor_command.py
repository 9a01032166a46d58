"""`jingkai monitor derive|check` on files; no database access (tests carry no django_db mark)."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

ROWS = """zone_code,period,indicator,value
GS-LZ,2023-01,tax_revenue,100
GS-LZ,2023-02,tax_revenue,250
GS-LZ,2024-01,tax_revenue,110
GS-LZ,2024-02,tax_revenue,290
GS-JC,2023-02,tax_revenue,0
GS-JC,2024-01,tax_revenue,60
GS-JC,2024-02,tax_revenue,110
GS-JC,2024-02,exports,5
GS-JC,2024-02,imports,5
GS-JC,2024-02,trade_total,12
GS-JC,2024-02,industrial_value_added,30
GS-JC,2024-02,industrial_output,20
"""


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("\ufeff" + ROWS, encoding="utf-8")  # Excel's UTF-8 CSV starts with a BOM
    return path


def run(*args):
    out = io.StringIO()
    call_command("monitor", *args, stdout=out)
    return out.getvalue()


def test_derive_json(data):
    rows = json.loads(run("derive", "--data", str(data)))["rows"]
    got = {(r["zone_code"], r["period"], r["indicator"]): r for r in rows}
    lz = got["GS-LZ", "2024-02", "tax_revenue"]
    assert lz == {"zone_code": "GS-LZ", "period": "2024-02", "indicator": "tax_revenue", "value": 290.0,
                  "month_value": 180.0, "yoy_cumulative": 0.16, "yoy_month": 0.2,
                  "share_province": pytest.approx(290 / 400), "rank": 1, "yoy_real": None, "reasons": {},
                  "base_cumulative": 250.0, "base_stored": 250.0, "base_revised": None, "notes": {}, "flags": {}}
    jc = got["GS-JC", "2024-02", "tax_revenue"]
    assert jc["value"] == 110 and jc["month_value"] == 50 and jc["rank"] == 2
    assert jc["yoy_cumulative"] is None and jc["notes"]["yoy_cumulative"] == "上年同期为零"
    assert jc["reasons"] == {"yoy_cumulative": "上年同期（2023-02）累计值为0，无法计算同比",
                             "yoy_month": "上年同期（2023-02）当月值无法计算：缺少上月（2023-01）累计值，无法计算当月值"}
    assert len(rows) == 12


def test_derive_csv(data):
    rows = list(csv.DictReader(io.StringIO(run("derive", "--data", str(data), "--format", "csv"))))
    assert {"note_yoy_cumulative", "flag_yoy_month", "base_revised"} <= set(rows[0])
    lz = next(r for r in rows if r["zone_code"] == "GS-LZ" and r["period"] == "2024-02")
    assert (lz["month_value"], lz["yoy_cumulative"], lz["yoy_month"], lz["rank"]) == ("180.0", "0.16", "0.2", "1")
    jc = next(r for r in rows if r["zone_code"] == "GS-JC" and r["period"] == "2024-02" and r["indicator"] == "tax_revenue")
    assert jc["yoy_cumulative"] == "" and jc["reason_yoy_cumulative"] == "上年同期（2023-02）累计值为0，无法计算同比"


def test_derive_quarterly_view(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text("zone_code,period,indicator,value\nA,2024-03,gdp,30\nA,2024-06,gdp,70\nA,2024-05,gdp,50\n")
    rows = json.loads(run("derive", "--data", str(path), "--view", "quarter"))["rows"]
    assert [(r["period"], r["value"], r["quarter_value"]) for r in rows] == [("2024-Q1", 30, 30), ("2024-Q2", 70, 40)]


def test_check_json_and_csv(data):
    found = json.loads(run("check", "--data", str(data)))["violations"]
    assert [(v["rule"], v["severity"], v["zone_code"], v["indicator"]) for v in found] == [
        ("value_added_exceeds_output", "error", "GS-JC", "industrial_value_added"),
        ("trade_sum_mismatch", "error", "GS-JC", "trade_total"),
    ]
    assert "相差 2" in found[1]["message"]
    rows = list(csv.DictReader(io.StringIO(run("check", "--data", str(data), "--format", "csv"))))
    assert [r["rule"] for r in rows] == ["value_added_exceeds_output", "trade_sum_mismatch"]


def test_check_with_expected_and_tolerance(data, tmp_path):
    expected = tmp_path / "expected.csv"
    expected.write_text("zone_code,period,indicator\nGS-LZ,2024-02,tax_revenue\nGS-TS,2024-02,tax_revenue\n")
    found = json.loads(run("check", "--data", str(data), "--expected", str(expected), "--trade-tolerance", "2"))
    assert [(v["rule"], v["zone_code"]) for v in found["violations"]] == [
        ("value_added_exceeds_output", "GS-JC"), ("missing", "GS-TS")]


def test_bad_file_is_a_chinese_error(tmp_path):
    with pytest.raises(CommandError, match="找不到数据文件"):
        run("derive", "--data", str(tmp_path / "none.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("zone_code,period,indicator,value\nA,2024-1,gdp,1\n")
    with pytest.raises(CommandError, match="第2行的期间“2024-1”无效"):
        run("check", "--data", str(bad))
