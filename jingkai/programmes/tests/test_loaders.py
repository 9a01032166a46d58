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
