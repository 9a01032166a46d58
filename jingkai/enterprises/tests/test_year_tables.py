"""The enterprise-year fact tables: the migration that split EnterpriseYear, the per-table import kinds
and the combined kind writing into every table."""

import csv

import openpyxl
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jingkai.accounts.scope import PROVINCE
from jingkai.audit.services import changes_for
from jingkai.enterprises.imports import TABLE_KINDS, table_kind_name
from jingkai.enterprises.models import (
    TABLE_OF,
    YEAR_TABLES,
    Enterprise,
    EnterpriseFinance,
    EnterpriseInnovation,
    EnterpriseLand,
)
from jingkai.enterprises.uscc import make_uscc
from jingkai.intake.kinds import all_kinds
from jingkai.intake.services import export, run_import, write_template
from jingkai.testing import make_zone

LZ1 = make_uscc("620100", "MA0000A1")
LZ2 = make_uscc("620100", "MA0000A2")
BEFORE = [("enterprises", "0002_programme_inputs")]
AFTER = [("enterprises", "0003_split_enterprise_year")]


def write_csv(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_every_fact_sits_in_exactly_one_table_with_its_key_pair():
    names = [f.name for t in YEAR_TABLES for f in t.fact_fields()]
    assert len(names) == len(set(names)) == len(TABLE_OF) == 37  # all of EnterpriseYear's facts
    for table in YEAR_TABLES:
        meta = table._meta
        assert any(set(c.fields) == {"enterprise", "year"} for c in meta.constraints)
        assert any(i.fields == ["year"] for i in meta.indexes)
        assert str(meta.verbose_name).startswith("企业年度")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_carries_every_row_into_every_table_and_back():
    zone = make_zone("GS-LZ")
    old = migrate(BEFORE)
    # the enterprise as that schema has it (later migrations add columns the current model writes)
    enterprise = old.get_model("enterprises", "Enterprise").objects.create(
        uscc=LZ1, name="兰州锂电材料有限公司", zone_id=zone.id, industry_code="C3841")
    OldYear = old.get_model("enterprises", "EnterpriseYear")
    filled = dict(revenue=12000.5, net_profit=-3.5, land_area_mu=50.0, energy_tce=800.0, rd_expense=150.0,
                  honors=["high_tech_enterprise", "ip_advantage"], rd_institution_level="provincial", employees=120,
                  rd_staff=20, niche_market_share=0.35, strategic_emerging=True, dev_score=72.5)
    OldYear.objects.create(enterprise_id=enterprise.id, year=2023, **filled)
    OldYear.objects.create(enterprise_id=enterprise.id, year=2024)  # nothing filled in
    try:
        new = migrate(AFTER)
        for table in YEAR_TABLES:
            rows = {r.year: r for r in new.get_model("enterprises", table.__name__).objects.filter(
                enterprise_id=enterprise.id)}
            assert sorted(rows) == [2023, 2024], table  # every row in every table
            for key, value in filled.items():
                if TABLE_OF[key] is table:
                    assert getattr(rows[2023], key) == value, key
            assert all(getattr(rows[2024], f.name) in (None, "", []) for f in table.fact_fields())
        old = migrate(BEFORE)  # and back: the tables joined again
        back = {r.year: r for r in old.get_model("enterprises", "EnterpriseYear").objects.all()}
        assert sorted(back) == [2023, 2024]
        assert {k: getattr(back[2023], k) for k in filled} == filled
        assert back[2024].honors == [] and back[2024].revenue is None
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())  # every app back to its latest migration


@pytest.fixture
def enterprises(zones):
    for uscc, name in ((LZ1, "兰州锂电材料有限公司"), (LZ2, "兰州石化装备有限公司")):
        Enterprise.objects.create(uscc=uscc, name=name, zone=zones["GS-LZ"], industry_code="C3841")


def test_each_table_has_its_kind_with_template_and_export(tmp_path, enterprises):
    kinds = all_kinds()
    assert [k.name for k in TABLE_KINDS] == [table_kind_name(t) for t in YEAR_TABLES]
    assert kinds["enterprise-finance"].title == "企业年度财务数据"
    for table in YEAR_TABLES:
        kind = kinds[table_kind_name(table)]
        assert [c.key for c in kind.columns] == ["uscc", "year", *[f.name for f in table.fact_fields()]]
        ws = openpyxl.load_workbook(write_template(kind.name, tmp_path / f"{kind.name}.xlsx"))["数据"]
        assert [c.value for c in ws[4]] == ["#", *[c.key for c in kind.columns]]  # below the title and headings


def test_a_table_kind_writes_only_its_table(tmp_path, enterprises):
    path = write_csv(tmp_path / "land.csv", ["uscc", "year", "land_area_mu", "floor_area_m2"],
                     [[LZ1, "2024", "50", "12000"], [LZ2, "2024", "8.5", ""]])
    result = run_import("enterprise-land", path)
    assert result.ok and result.created == 2, result.errors
    assert EnterpriseLand.objects.get(enterprise__uscc=LZ1, year=2024).floor_area_m2 == 12000
    assert [t for t in YEAR_TABLES if t.objects.exists()] == [EnterpriseLand]
    (created,) = changes_for(EnterpriseLand, f"{LZ1}/2024")
    assert created.action == "create" and created.after == {"land_area_mu": 50.0, "floor_area_m2": 12000.0}
    assert changes_for(EnterpriseFinance, f"{LZ1}/2024") == []
    out = tmp_path / "land-export.csv"
    assert export("enterprise-land", out, PROVINCE) == 2
    assert next(csv.reader(out.open(encoding="utf-8-sig"))) == ["统一社会信用代码", "年度", "用地面积（亩）",
                                                                 "建筑面积（平方米）"]
    assert run_import("enterprise-land", out).unchanged == 2
    assert export("enterprise-land", out, PROVINCE, headings="keys") == 2
    assert next(csv.reader(out.open(encoding="utf-8"))) == ["uscc", "year", "land_area_mu", "floor_area_m2"]
    assert run_import("enterprise-land", out).unchanged == 2


def test_a_table_kind_refuses_another_tables_column_and_writes_nothing(tmp_path, enterprises):
    path = write_csv(tmp_path / "f.csv", ["uscc", "year", "revenue", "land_area_mu"], [[LZ1, "2024", "5", "1"]])
    result = run_import("enterprise-finance", path)
    assert not result.ok and [(e.column, e.message) for e in result.errors] == [
        ("land_area_mu", "未知的列“land_area_mu”（应使用数据字典中的字段代码）")]
    assert not any(t.objects.exists() for t in YEAR_TABLES)


def test_combined_kind_writes_every_table_audited_per_table(tmp_path, enterprises):
    path = write_csv(tmp_path / "y.csv", ["uscc", "year", "revenue", "honors"], [[LZ1, "2024", "5", "ip_advantage"]])
    result = run_import("enterprise-years", path)
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    assert all(t.objects.filter(enterprise__uscc=LZ1, year=2024).exists() for t in YEAR_TABLES)
    assert changes_for(EnterpriseFinance, f"{LZ1}/2024")[0].after == {"revenue": 5.0}
    assert changes_for(EnterpriseInnovation, f"{LZ1}/2024")[0].after["honors"] == ["ip_advantage"]
    # a table kind's later change counts as an update of the combined row
    write_csv(path, ["uscc", "year", "revenue"], [[LZ1, "2024", "6"]])
    assert run_import("enterprise-finance", path).updated == 1
    again = run_import("enterprise-years", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
