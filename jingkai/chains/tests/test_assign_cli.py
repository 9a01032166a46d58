"""`jingkai chains assign` works without the database (no db fixture: any query would fail the test)."""

import json

import polars as pl
import pytest
from django.core.management import CommandError, call_command

ROWS = [
    {"uscc": "91620100MA00000001", "name": "兰州某某锂电科技有限公司", "industry_code": "C3841",
     "main_products": "锂电池、储能电池", "revenue": "100"},
    {"uscc": "91620100MA00000002", "name": "兰州某某物流有限公司", "industry_code": "G5431", "main_products": "货运"},
]


def test_assign_json_shape(tmp_path, capsys):
    data = tmp_path / "e.csv"
    pl.DataFrame(ROWS).write_csv(data)
    call_command("chains", "assign", "--catalogue", "gansu-key-chains", "--data", str(data))
    out = json.loads(capsys.readouterr().out)
    assert out["catalogue"]["id"] == "gansu-key-chains" and out["catalogue"]["status"] == "待省工信厅确认"
    first, second = out["results"]
    assert first["uscc"] == ROWS[0]["uscc"] and first["links"][0]["chain"] == "GS-NE"
    assert set(first["links"][0]) == {"chain", "link", "score", "why"}
    assert second == {"uscc": ROWS[1]["uscc"], "links": []}


def test_assign_csv_from_xlsx_and_a_catalogue_file(tmp_path):
    data, cat, out = tmp_path / "e.xlsx", tmp_path / "c.yaml", tmp_path / "out.csv"
    pl.DataFrame(ROWS).write_excel(data)
    cat.write_text("chains:\n  - {code: X, name: 示例, links: [{code: X1, name: 电池, stage: 中游, "
                   "industry_codes: [C384], keywords: [锂电池]}]}\n", encoding="utf-8")
    call_command("chains", "assign", "--catalogue", str(cat), "--data", str(data), "--format", "csv", "--out", str(out))
    rows = pl.read_csv(out)
    assert rows["link"].to_list() == ["X1"] and rows["uscc"].to_list() == [ROWS[0]["uscc"]]


def test_a_bad_catalogue_names_the_field(tmp_path):
    cat = tmp_path / "c.yaml"
    cat.write_text("chains:\n  - {code: X, name: 示例, links: [{code: X1, name: 电池, stage: 中段, "
                   "industry_codes: [C384], keywords: [锂电池]}]}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="产业链 X环节 X1：字段 stage 应为 上游、中游 或 下游，实为 中段"):
        call_command("chains", "assign", "--catalogue", str(cat), "--data", str(tmp_path / "none.csv"))
