"""Stored evaluation runs: hashes, reuse, reproducibility, audit, sensitivity, zone sets and the demo runs."""

from dataclasses import FrozenInstanceError
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

import jingkai.evaluation.selectors as selectors
from jingkai.audit.models import AuditEntry
from jingkai.engines.evaluation import EvaluationError, diagnose, evaluate, load
from jingkai.evaluation import services
from jingkai.evaluation.models import EvaluationRun
from jingkai.evaluation.testing import make_evaluation_data
from jingkai.zones.models import IndicatorValue


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def data(db):
    return make_evaluation_data(n=30, years=(2022, 2023), provincial=1)


def test_run_is_stored_with_hashes_in_the_cli_shape(data, province_user):
    outcome = services.run_evaluation("mofcom-2021", user=province_user)
    run = outcome.run
    assert run.year == 2023  # the latest year with values
    assert not outcome.reused and run.created_by == province_user
    assert len(run.methodology_hash) == len(run.input_hash) == 64
    assert run.methodology_version == "2021.1-draft"
    result = run.result
    assert result["methodology"] == "mofcom-2021" and result["year"] == 2023
    assert len(result["unverified"]) == 18
    units = result["units"]
    assert len(units) == 30  # the provincial zone is not ranked by mofcom-2021
    assert [u["rank"] for u in units] == sorted(u["rank"] for u in units)
    lz = next(u for u in units if u["unit"] == "GS-LZ")
    assert set(lz["scores"]) == {"opening", "quality", "innovation", "green", "coordination", "index"}
    assert set(lz["indicators"]["gdp"]) == {"raw", "treated", "normalised", "contribution"}
    assert lz["groups"]["region"] == "west" and lz["group_ranks"]["region"] >= 1
    # the stored input is the database's values, one row per zone, sorted
    gdp = IndicatorValue.objects.get(zone=data["GS-LZ"], period="2023", indicator__key="gdp").value
    assert run.inputs["gdp"][run.inputs["zone_code"].index("GS-LZ")] == gdp
    assert run.inputs["zone_code"] == sorted(run.inputs["zone_code"])
    assert lz["indicators"]["gdp"]["raw"] == gdp


def test_identical_runs_are_reused_and_every_request_is_audited(data, province_user):
    first = services.run_evaluation("mofcom-2021", 2023, user=province_user).run
    again = services.run_evaluation("mofcom-2021", 2023, user=province_user)
    assert again.reused and again.run.pk == first.pk and again.run.input_hash == first.input_hash
    assert EvaluationRun.objects.count() == 1
    audits = list(AuditEntry.objects.filter(model="evaluation.EvaluationRun").order_by("id"))
    assert [a.after["reused"] for a in audits] == [False, True]
    assert all(a.user == province_user and a.object_key == str(first.pk) for a in audits)

    # a changed value is a different input: a new run, which becomes the current one
    value = IndicatorValue.objects.get(zone=data["GS-ZY"], period="2023", indicator__key="gdp")
    original = value.value
    value.value = original * 3
    value.save()
    outcome = services.run_evaluation("mofcom-2021", 2023)
    changed = outcome.run
    assert not outcome.reused and changed.input_hash != first.input_hash
    assert changed.methodology_hash == first.methodology_hash
    assert selectors.current_run("mofcom-2021", 2023).pk == changed.pk
    # back to the original data: the first run is reused and is current again
    value.value = original
    value.save()
    back = services.run_evaluation("mofcom-2021", 2023)
    assert back.run.pk == first.pk and back.reused
    assert selectors.current_run("mofcom-2021", 2023).pk == first.pk
    assert EvaluationRun.objects.count() == 2


def test_other_year_other_methodology_or_sensitivity_are_separate_runs(data):
    runs = [services.run_evaluation("mofcom-2021", 2022).run, services.run_evaluation("mofcom-2021", 2023).run,
            services.run_evaluation("gansu-provincial-upgrade", 2023).run,
            services.run_evaluation("mofcom-2021", 2023, sensitivity=20).run]
    assert len({r.pk for r in runs}) == 4
    assert runs[1].input_hash == runs[3].input_hash  # same data, with Monte Carlo
    assert runs[0].input_hash != runs[1].input_hash
    assert selectors.run_years("mofcom-2021") == [2022, 2023]


def test_run_reproduces_from_its_stored_inputs_and_methodology(data):
    run = services.run_evaluation("mofcom-2021", 2023).run
    assert services.reproduce(run) == run.result
    # the stored input table is exactly what the loader gives, evaluated directly
    direct = evaluate(load("mofcom-2021"), services.table_of_run(run)).records()
    assert [(u["unit"], u["rank"]) for u in direct] == [(u["unit"], u["rank"]) for u in run.result["units"]]
    run.inputs["gdp"][0] += 1
    with pytest.raises(EvaluationError, match="摘要不符"):
        services.reproduce(run)


def test_sensitivity_run_gives_rank_intervals_and_bottom_five_probability(data):
    plain = services.run_evaluation("mofcom-2021", 2023).run
    assert selectors.sensitivity_of(plain) == {}
    sens = services.run_evaluation("mofcom-2021", 2023, sensitivity=30, seed=1).run
    assert sens.sensitivity["N"] == 30 and sens.sensitivity["runs"] == 30 * 6
    units = sens.sensitivity["units"]
    assert set(units) == {u["unit"] for u in sens.result["units"]}
    for u in sens.result["units"]:
        s = units[u["unit"]]
        lo, hi = s["rank_interval"]
        assert 1 <= lo <= s["median_rank"] <= hi <= 30
        assert 0 <= s["bottom5_probability"] <= 1
    # the plain run of the same inputs shows the sibling's Monte Carlo figures
    assert selectors.sensitivity_of(plain) == sens.own_sensitivity()
    assert selectors.sensitivity_of(plain)["GS-LZ"].rank_interval == tuple(units["GS-LZ"]["rank_interval"])
    west = selectors.ranking(plain, "west")
    assert all(r.sensitivity is not None for r in west)
    # the region's bottom five by the nominal ranks
    assert sum(r.bottom5 for r in west) == 5
    assert {r.unit for r in west if r.bottom5} == {r.unit for r in west if r.region_rank > len(west) - 5}


def test_provincial_zones_are_scored_on_the_national_scale(data):
    run = services.run_evaluation("gansu-provincial-upgrade", 2023).run
    units = {u["unit"]: u for u in run.result["units"]}
    assert "GS-P1" in units and len(units) == 31
    assert run.reference() == set(units) - {"GS-P1"}
    assert set(run.units()) == set(units) and run.unit("GS-P1").score == units["GS-P1"]["score"]
    national = [u["score"] for c, u in units.items() if c != "GS-P1"]
    assert units["GS-P1"]["rank"] == 1 + sum(s > units["GS-P1"]["score"] for s in national)
    row = next(r for r in selectors.ranking(run) if r.unit == "GS-P1")
    assert row.gansu and not row.reference


def test_ranking_rows_by_region_and_gansu_flags(data):
    run = services.run_evaluation("mofcom-2021", 2023).run
    rows = selectors.ranking(run)
    assert [r.rank for r in rows] == sorted(r.rank for r in rows)
    assert {r.unit for r in rows if r.gansu} == {"GS-LZ", "GS-JC", "GS-TS", "GS-ZY"}
    west = selectors.ranking(run, "west")
    assert {r.region for r in west} == {"west"}
    assert [r.region_rank for r in west] == list(range(1, len(west) + 1))


def test_diagnosis_of_a_stored_run_equals_the_engine(data):
    run = services.run_evaluation("mofcom-2021", 2023).run
    expected = diagnose(evaluate(load("mofcom-2021"), services.table_of_run(run)), "GS-TS")
    got = services.diagnosis(run, "GS-TS")
    assert got["drags"] == expected["drags"] and len(got["drags"]) <= 5
    radar = selectors.radar(run, "GS-TS")
    assert [i["name"] for i in radar["indicators"]] == ["对外开放", "发展质量", "科技创新", "绿色发展", "统筹协调"]
    lz = run.unit("GS-TS")
    assert radar["series"][0]["value"] == [round(lz.scores[c], 2) for c in
                                           ("opening", "quality", "innovation", "green", "coordination")]


def test_what_if_moves_the_rank_in_the_direction_of_the_indicator(data):
    run = services.run_evaluation("mofcom-2021", 2023).run
    before = run.unit("GS-ZY")
    top_gdp = max(v for v in run.inputs["gdp"] if v is not None)
    better = services.apply_what_if(run, "GS-ZY", {"gdp": top_gdp * 2})
    assert better.score > before.score and better.rank <= before.rank and better.before == before
    worst_energy = max(run.inputs["energy_per_value_added"])
    worse = services.apply_what_if(run, "GS-ZY", {"energy_per_value_added": worst_energy * 2})  # lower is better
    assert worse.score < before.score and worse.rank >= before.rank
    with pytest.raises(EvaluationError, match="没有指标"):
        services.apply_what_if(run, "GS-ZY", {"nope": 1})


def test_target_path_reaches_the_target_when_applied(data):
    run = services.run_evaluation("mofcom-2021", 2023).run
    last = selectors.ranking(run, "west")[-1]  # the West's last zone (8 West zones)
    goal = last.region_rank - 1
    path = services.target(run, last.unit, {"group_rank": goal})
    assert path.achieved and path.rows and path.to_score > path.from_score
    assert {"indicator", "name", "from", "to", "change", "points_gained"} <= path.rows[0].keys()
    applied = services.apply_what_if(run, last.unit, {r["indicator"]: r["to"] for r in path.rows})
    assert applied.region_rank <= goal
    assert services.target(run, last.unit, {"group_rank": last.region_rank}).message == "已达到目标，无需改进"


def test_trend_takes_the_current_run_of_each_year(data):
    old_2022 = services.run_evaluation("mofcom-2021", 2022).run
    run_2023 = services.run_evaluation("mofcom-2021", 2023).run
    IndicatorValue.objects.filter(zone=data["GS-ZY"], period="2022", indicator__key="gdp").update(value=1e9)
    new_2022 = services.run_evaluation("mofcom-2021", 2022).run
    trend = selectors.trend(run_2023, "GS-ZY")
    assert [t.year for t in trend] == [2022, 2023] and all(t.n == 30 for t in trend)
    assert trend[0].score == new_2022.unit("GS-ZY").score
    assert trend[0].score > old_2022.unit("GS-ZY").score
    assert trend[1].rank == run_2023.unit("GS-ZY").rank


def test_no_data_is_a_chinese_error(db):
    with pytest.raises(EvaluationError, match="没有该评价方法所需指标"):
        services.run_evaluation("mofcom-2021")


def test_demo_build_stores_the_trend_and_a_sensitivity_run(data):
    from jingkai.evaluation.demo import build

    runs = build(seed=5, today=date(2024, 6, 1))
    mofcom = [r for r in runs if r.methodology == "mofcom-2021"]
    assert [(r.year, r.sensitivity_runs) for r in mofcom] == [(2022, 0), (2023, 0), (2023, 500)]
    assert any(r.methodology == "gansu-provincial-upgrade" and r.year == 2023 for r in runs)
    current = selectors.current_run("mofcom-2021")
    assert current.year == 2023 and current.sensitivity is not None
    assert [t.year for t in selectors.trend(current, "GS-LZ")] == [2022, 2023]
    # only complete years: in 2023 the 2023 values are not used
    assert [r.year for r in build(seed=5, today=date(2023, 6, 1)) if r.methodology == "mofcom-2021"] == [2022, 2022]


def test_computing_needs_the_evaluation_compute_capability(data, department_user, lz_user):
    for user in (department_user, lz_user):
        with pytest.raises(PermissionDenied, match="只有省商务厅可以计算综合评价"):
            services.run_evaluation("mofcom-2021", 2023, user=user)
    assert EvaluationRun.objects.count() == 0 and not AuditEntry.objects.filter(action="evaluate").exists()


def test_stored_run_is_read_through_typed_accessors_built_once(data):
    run = services.run_evaluation("mofcom-2021", 2023).run
    units = run.units()
    assert run.units() is units  # built once per run object
    assert list(units) == [u["unit"] for u in run.result["units"]]  # best first
    lz = run.unit("GS-LZ")
    stored = next(u for u in run.result["units"] if u["unit"] == "GS-LZ")
    assert (lz.score, lz.rank, lz.region, lz.region_rank) == (stored["score"], stored["rank"], "west",
                                                              stored["group_ranks"]["region"])
    assert run.unit("NOPE") is None
    with pytest.raises(FrozenInstanceError):
        lz.score = 0  # type: ignore[misc]
    gdp = IndicatorValue.objects.get(zone=data["GS-LZ"], period="2023", indicator__key="gdp").value
    assert run.input_value("GS-LZ", "gdp") == gdp and run.input_value("GS-LZ", "nope") is None
    assert run.region_size("west") == 8 and run.region_size("east") == 15
    assert run.reference() == frozenset(units)
