"""`jingkai assess`: file mode without the database, database mode through the loader."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

CSV = """uscc,year,zone_code,industry_code,employees,revenue,rd_expense,main_revenue,main_revenue_prev,total_liabilities,total_assets,years_in_niche,honors,tags
91620100MA00000001,2024,GS-LZ,C3841,120,5000,105,4500,4000,2000,5000,5,own_brand；six_basics,innovative_sme@2024-01-01/2026-12-31
91620100MA00000002,2023,GS-LZ,C3841,80,800,50,700,650,300,1000,3,,
"""


@pytest.fixture
def data(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text(CSV, encoding="utf-8")
    return p


def run(*args):
    import io
    out = io.StringIO()
    call_command("assess", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_file_mode_json_shape_without_database(data):
    # no django_db mark: any database access would raise here
    doc = json.loads(run("--program", "sme-specialized", "--data", str(data), "--year", "2024",
                         "--date", "2025-06-01"))
    assert doc["program"] == "sme-specialized" and doc["version"] == "2022"
    (r,) = doc["results"]
    assert set(r) >= {"uscc", "eligible", "score", "class", "criteria", "gap"}
    assert r["uscc"] == "91620100MA00000001" and r["eligible"] is False
    crit = {c["code"]: c for c in r["criteria"]}
    assert set(crit["rd_ratio_min"]) >= {"code", "rule", "value", "passed", "points"}
    assert crit["rd_ratio_min"]["value"] == 0.021 and crit["rd_ratio_min"]["passed"] is False
    assert any(g["code"] == "rd_ratio_min" and g["to"] == 0.03 for g in r["gap"])


def test_file_mode_date_picks_2026_version(data):
    doc = json.loads(run("--program", "sme-specialized", "--data", str(data), "--date", "2026-05-01"))
    assert doc["ruleset"] == "sme-specialized-2026"
    assert {c["code"]: c["passed"] for c in doc["results"][0]["criteria"]}["prerequisite"] is True


def test_csv_and_xlsx_outputs(data, tmp_path):
    text = run("--program", "mujun-gansu", "--data", str(data), "--format", "csv")
    assert text.splitlines()[0].startswith("uscc,year,eligible,score,class")
    out = tmp_path / "o.xlsx"
    run("--program", "enterprise-size", "--data", str(data), "--format", "xlsx", "--out", str(out))
    import openpyxl

    ws = openpyxl.load_workbook(out)["评价结果"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].endswith("评价结果") and rows[2][:5] == ("统一社会信用代码", "年度", "是否符合", "得分", "分类")
    assert [r[4] for r in rows[3:]] == ["小型", "小型"] and ws.print_title_rows == "$3:$3"


def test_unknown_programme_is_a_clear_error(data):
    with pytest.raises(CommandError, match="未知的评价项目"):
        run("--program", "nope", "--data", str(data))


@pytest.mark.django_db
def test_database_mode_reads_enterprise_years_and_tags():
    from jingkai.enterprises.models import Enterprise, EnterpriseTag
    from jingkai.testing import make_enterprise_year
    from jingkai.zones.models import Zone

    zone = Zone.objects.create(code="GS-LZ", name="兰州经济技术开发区", level="national_etdz", region="west",
                               province="甘肃省")
    e = Enterprise.objects.create(uscc="91620100MA00000001", name="甲", zone=zone, industry_code="C3841",
                                  size_class="small", established=dt.date(2015, 1, 1))
    EnterpriseTag.objects.create(enterprise=e, tag="specialized_sme", valid_from=dt.date(2024, 1, 1),
                                 valid_to=dt.date(2026, 12, 31))
    make_enterprise_year(e, 2025, revenue=6000, main_revenue=5800, main_revenue_prev=5200,
                         main_revenue_prev2=5000, rd_expense=700, rd_expense_prev=600, honors=["own_brand"])
    doc = json.loads(run("--program", "little-giant", "--year", "2025", "--date", "2026-06-01"))
    (r,) = doc["results"]
    crit = {c["code"]: c for c in r["criteria"]}
    assert crit["prerequisite"]["passed"] is True
    assert crit["revenue"]["value"] == 6000 and crit["revenue"]["passed"] is True
    assert crit["rd_total"]["value"] == 1300 and crit["rd_total"]["passed"] is True
