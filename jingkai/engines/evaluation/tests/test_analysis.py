"""Diagnosis, what-if, Monte Carlo and target path."""

import numpy as np
import polars as pl
import pytest

from jingkai.engines.evaluation import evaluate, load, parse
from jingkai.engines.evaluation.analysis import diagnose, target_path, what_if
from jingkai.engines.evaluation.uncertainty import monte_carlo, sa_estimate, sample


def zones(n=24, seed=3) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    regions = ["east"] * (n // 2) + ["central"] * (n // 4) + ["west"] * (n - n // 2 - n // 4)
    cols = {key: rng.lognormal(2, 0.8, n) for key in (
        "fdi_actual_usd", "trade_total", "high_tech_trade", "gdp", "rd_institutions", "high_tech_enterprises",
        "incubators", "energy_per_value_added", "co2_per_value_added", "water_per_value_added", "new_urban_jobs")}
    cols.update({key: np.round(rng.lognormal(1, 0.5, n)) for key in (
        "large_manufacturers", "listed_companies", "co_built_parks")})
    cols.update(rd_intensity=rng.uniform(0.005, 0.05, n), co2_growth=rng.uniform(-0.1, 0.2, n),
                solid_waste_utilisation=rng.uniform(0.5, 0.98, n), aid_pairing_items=rng.integers(0, 4, n))
    return pl.DataFrame({"zone_code": [f"Z{i:02d}" for i in range(n)], "name": [f"园区{i}" for i in range(n)],
                         "region": regions, "level": ["national_etdz"] * n, **cols})


@pytest.fixture(scope="module")
def mofcom():
    return load("mofcom-2021"), zones()


def test_mofcom_methodology_has_the_published_groups_and_marks_unverified_items(mofcom):
    meth, _ = mofcom
    groups = {a.code: (a.name, a.weight) for a in meth.aggregates[:-1]}
    assert groups == {"opening": ("对外开放", 30), "quality": ("发展质量", 30), "innovation": ("科技创新", 15),
                      "green": ("绿色发展", 15), "coordination": ("统筹协调", 10)}
    assert meth.root.children == ["opening", "quality", "innovation", "green", "coordination"]
    assert all(i.unverified and i.reason for i in meth.indicators)
    assert meth.bonus[0].unverified and meth.bonus[0].column == "aid_pairing_items"
    lower_better = {i.code for i in meth.indicators if i.direction == -1}
    assert lower_better == {"energy_per_value_added", "co2_per_value_added", "co2_growth", "water_per_value_added"}
    assert meth.source["issued"] == "2021-11-02"


def test_diagnosis_points_lost_against_peer_median(mofcom):
    meth, data = mofcom
    r = evaluate(meth, data)
    worst = r.units[int(np.nanargmax(r.rank))]
    d = diagnose(r, worst)
    u = r.index(worst)
    west = r.inputs.groups["region"] == r.inputs.groups["region"][u]
    for row in d["indicators"]:
        j = meth.indicator_codes.index(row["indicator"])
        median = np.median(r.normalised[west, j])
        assert row["peer_median"] == pytest.approx(median)
        assert row["lost_vs_median"] == pytest.approx((median - r.normalised[u, j]) * r.effective[u, j])
    lost = {row["indicator"]: row["lost_vs_median"] for row in d["indicators"]}
    assert d["drags"] == sorted((k for k, v in lost.items() if v > 0), key=lambda k: -lost[k])[:5]


def test_what_if_equals_evaluating_the_changed_table(mofcom):
    meth, data = mofcom
    changed = what_if(meth, data, {"Z20": {"gdp": 1e4, "aid_pairing_items": 4}})
    direct = evaluate(meth, data.with_columns(
        pl.when(pl.col("zone_code") == "Z20").then(1e4).otherwise(pl.col("gdp")).alias("gdp"),
        pl.when(pl.col("zone_code") == "Z20").then(4).otherwise(pl.col("aid_pairing_items")).alias(
            "aid_pairing_items")))
    assert np.allclose(changed.score, direct.score) and np.array_equal(changed.rank, direct.rank)
    assert changed.bonus[changed.index("Z20")] == 2  # 4 items × 0.5, capped at 2


def test_sensitivity_estimator_on_a_linear_function():
    # COINr's SA_estimate example: y = x1 + 2 x2 + 3 x3 with uniform inputs → Si = STi = (1, 4, 9)/14
    X = sample(20000, 3, "SA", np.random.default_rng(0))
    y = X @ np.array([1.0, 2.0, 3.0])
    si, sti = sa_estimate(y, 20000)
    # Saltelli's first-order estimator (as COINr) is the noisier of the two
    assert si == pytest.approx(np.array([1, 4, 9]) / 14, abs=0.04)
    assert sti == pytest.approx(np.array([1, 4, 9]) / 14, abs=0.01)
    assert sa_estimate(np.ones(5 * 10), 10)[0].tolist() == [0, 0, 0]


def test_monte_carlo_on_a_single_indicator_cannot_move_ranks():
    doc = {"id": "one", "name": "one", "source": {"document": "t"}, "unit_key": "zone_code",
           "group_keys": ["region"], "tree": [{"code": "gdp", "name": "GDP"}]}
    data = zones()
    mc = monte_carlo(parse(doc), data, n=30)
    lo, med, hi = mc.rank_interval()
    assert np.array_equal(lo, mc.nominal_rank) and np.array_equal(hi, mc.nominal_rank)
    assert mc.runs == 30 * 6
    overall = mc.overall_indices()
    assert all(v == {"first_order": 0.0, "total": 0.0} for v in overall.values())
    # the bottom five of each region, always
    west = data["region"].to_numpy() == "west"
    p = mc.bottom5_probability()
    assert set(p[west]) <= {0.0, 1.0} and p[west].sum() == 5


def test_monte_carlo_per_unit_outputs(mofcom):
    meth, data = mofcom
    mc = monte_carlo(meth, data, n=40, seed=1)
    per = mc.per_unit()
    assert set(per) == set(data["zone_code"])
    for rec in per.values():
        lo, hi = rec["rank_interval"]
        assert 1 <= lo <= rec["median_rank"] <= hi <= len(data)
        assert 0 <= rec["bottom5_probability"] <= 1
        assert set(rec["sensitivity"]) == {"weights", "normalisation", "aggregation", "imputation"}
    # merging identical configurations is exact
    plain = monte_carlo(meth, data, n=40, seed=1, dedupe=False)
    assert np.array_equal(plain.ranks, mc.ranks)


def test_target_path_reaches_the_rank_with_least_effort(mofcom):
    meth, data = mofcom
    r = evaluate(meth, data)
    unit = r.units[int(np.nanargmax(r.rank))]
    target = int(r.rank[r.index(unit)]) - 3
    path = target_path(meth, data, unit, {"rank": target})
    assert path.achieved and path.to_rank <= target
    check = what_if(meth, data, {unit: {row["indicator"]: row["to"] for row in path.rows}})
    assert check.rank[check.index(unit)] == path.to_rank
    for row in path.rows:
        ind = meth.indicators[meth.indicator_codes.index(row["indicator"])]
        assert np.sign(row["change"]) == ind.direction
        assert abs(row["change"]) <= ind.max_change * abs(row["from"]) + 1e-9
        if ind.integer:
            assert row["change"] == round(row["change"])
    # a group target, and a unit already there needs nothing
    assert target_path(meth, data, r.units[int(np.nanargmin(r.rank))], {"rank": 1}).rows == []
    # beyond the plausible changes (±50% by default) the first place is out of reach, and said so
    far = target_path(meth, data, unit, {"rank": 1})
    assert not far.achieved and far.message == "在可行的最大改进幅度内无法达到目标"


def test_target_path_prefers_the_easier_indicator():
    doc = {"id": "two", "name": "two", "source": {"document": "t"}, "unit_key": "zone_code", "group_keys": [],
           "tree": [{"code": "a", "name": "A", "difficulty": 1}, {"code": "b", "name": "B", "difficulty": 10}]}
    data = pl.DataFrame({"zone_code": ["P", "Q", "R"], "a": [1.0, 2.0, 3.0], "b": [1.0, 2.0, 3.0]})
    meth = parse(doc)
    # P is the minimum of both: within +50% it stays the minimum and gains nothing
    assert target_path(meth, data, "P", {"rank": 2}).message == "没有可改进的指标"
    path = target_path(meth, data, "P", {"rank": 2}, max_change={"a": 2, "b": 2})
    assert path.achieved and [row["indicator"] for row in path.rows] == ["a"]
    assert path.rows[0]["to"] > 2 and path.to_rank == 2


@pytest.mark.parametrize(("n_zones", "n", "seed", "expected"), [
    (24, 40, 1, "46c7715bc960a2e6"), (60, 100, 7, "ca482d397a25e38b"),
    (60, 400, 5, "c76a20daeacf9470")])  # 2,400 runs × 60 zones: three chunks
def test_monte_carlo_gives_the_same_ranks_for_a_seed(n_zones, n, seed, expected):
    """Ranks, ranks within the region and bottom-five flags as the engine gave them before its replications
    were computed in cache-sized chunks with an unstable sort (digests taken on main then), merged or not."""
    import hashlib

    meth = load("mofcom-2021")
    for dedupe in (True, False):
        mc = monte_carlo(meth, zones(n_zones, seed=3), n=n, seed=seed, dedupe=dedupe)
        h = hashlib.sha256()
        for a in (mc.ranks, mc.group_ranks, mc.bottom5):
            h.update(np.ascontiguousarray(a).astype(np.float64).tobytes())
        assert h.hexdigest()[:16] == expected
