"""The loader reads only the fact tables holding the keys a rule set reads, with the same results."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingkai.engines.rules import evaluate, input_keys, programs, select
from jingkai.enterprises.models import (
    YEAR_TABLES,
    EnterpriseFinance,
    EnterpriseLand,
    EnterpriseTalent,
    tables_holding,
)
from jingkai.programmes.loaders import ENTERPRISE_KEYS, load_enterprise_years
from jingkai.programmes.services import explained_json, run_on_frame, run_programme, unmet_requirements

from .test_runs_and_pages import firms  # noqa: F401  (fixture)

DATES = [dt.date(2025, 6, 1), dt.date(2026, 6, 1)]  # 2022 and 2026 SME rules


def tables_in(queries) -> set[str]:
    sql = " ".join(q["sql"] for q in queries)
    return {t._meta.db_table for t in YEAR_TABLES if t._meta.db_table in sql}


def test_only_the_tables_holding_the_keys_are_queried(firms):  # noqa: F811
    with CaptureQueriesContext(connection) as queries:
        df = load_enterprise_years(2024, keys={"revenue", "employees", "zone_code", "size_class"})
    assert tables_in(queries) == {EnterpriseFinance._meta.db_table, EnterpriseTalent._meta.db_table}
    assert len(queries) == 2  # the joined enterprise-years, the tags
    assert df.columns == [*ENTERPRISE_KEYS, "zone_code", "year", "revenue", "employees", "tags"]
    assert df.height == 6 and df["revenue"].to_list() == [5000.0] * 6


@pytest.mark.parametrize("on", DATES)
@pytest.mark.parametrize("program", sorted(programs()))
def test_rule_sets_give_the_same_results_on_their_inputs_alone(firms, program, on):  # noqa: F811
    rs = select(program, on)
    keys = input_keys(rs, on)
    with CaptureQueriesContext(connection) as queries:
        own = load_enterprise_years(2024, keys=keys)
    assert tables_in(queries) == {t._meta.db_table for t in tables_holding(keys)} != set()
    full, mine = evaluate(rs, load_enterprise_years(2024), on), evaluate(rs, own, on)
    assert explained_json(rs, mine) == explained_json(rs, full)
    assert unmet_requirements(rs, mine).to_list() == unmet_requirements(rs, full).to_list()


def test_a_run_hashes_the_columns_its_rule_set_reads(firms):  # noqa: F811
    on = DATES[0]
    rs = select("sme-specialized", on)
    run = run_programme("sme-specialized", 2024, on)
    wider = load_enterprise_years(2024)  # e.g. the demo's table, loaded once for several rule sets
    assert run_on_frame(rs, wider, on, 2024, []).pk == run.pk  # the same input: the stored run is reused
    assert "floor_area_m2" not in input_keys(rs, on)
    EnterpriseLand.objects.update(floor_area_m2=1)  # a fact the rule set does not read: the same input
    assert run_programme("sme-specialized", 2024, on).pk == run.pk
    EnterpriseFinance.objects.filter(enterprise=firms["A"]).update(revenue=4000)  # one it reads
    assert run_programme("sme-specialized", 2024, on).pk != run.pk


def row_by_row(year: int) -> list[dict]:
    """The loader's rows as the enterprise-years selector gives them one by one (dicts), in canonical form."""
    from jingkai.accounts.scope import PROVINCE
    from jingkai.enterprises.models import EnterpriseTag
    from jingkai.enterprises.selectors import YearRows
    from jingkai.programmes.loaders import BLANK_IS_NULL

    tags: dict[int, list[str]] = {}
    for t in EnterpriseTag.objects.values("enterprise_id", "tag", "valid_from", "valid_to"):
        span = f"{t['valid_from'] or ''}/{t['valid_to'] or ''}"
        tags.setdefault(t["enterprise_id"], []).append(t["tag"] if span == "/" else f"{t['tag']}@{span}")
    out = []
    for r in YearRows(PROVINCE, YEAR_TABLES, enterprise_fields=[*ENTERPRISE_KEYS[1:], "zone_code", "enterprise_id"],
                      year=year, order_by_id=True):
        rec = {k: (r[k] or None) if k in BLANK_IS_NULL else r[k] for k in r if k != "enterprise_id"}
        rec["established"] = rec["established"].isoformat() if rec["established"] else None
        rec["tags"] = tags.get(r["enterprise_id"], [])
        out.append(rec)
    return out


def test_bulk_read_gives_the_selectors_rows(firms):  # noqa: F811
    from jingkai.enterprises.models import Enterprise, EnterpriseTag

    a = Enterprise.objects.order_by("id").first()
    Enterprise.objects.filter(pk=a.pk).update(credit_class="", established=None)  # blanks read as missing
    EnterpriseTag.objects.create(enterprise=a, tag="high_tech_enterprise")  # a tag without dates
    EnterpriseFinance.objects.filter(enterprise=a).delete()  # a table without a row for the key
    df = load_enterprise_years(2024)
    expected = row_by_row(2024)
    assert df.height == len(expected) == 6
    assert df.to_dicts() == [{k: e[k] for k in df.columns} for e in expected]
    assert set(df.columns) == set(expected[0])
    first = df.row(0, named=True)
    assert first["credit_class"] is None and first["established"] is None and first["revenue"] is None
    assert "high_tech_enterprise" in first["tags"] and any("@" in t for r in df["tags"] for t in r)
