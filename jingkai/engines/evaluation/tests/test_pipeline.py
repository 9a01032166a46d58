"""The pipeline's semantics (issue 3) and COINr's ASEM example. Pure Python: no database."""

from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

from jingkai.engines.evaluation import EvaluationError, MethodologyError, evaluate, from_coinr, load, parse
from jingkai.engines.evaluation.methodology import METHODOLOGY_DIR
from jingkai.engines.evaluation.steps import normalise, rank_desc, skew_kurt, treat_coinr

SHARED = Path(__file__).resolve().parents[5] / "shared"
ASEM = SHARED / "reference" / "coinr-asem"

# COINr docs/articles/results.html, get_results(coin, dset = "Aggregated", tab_type = "Aggs")
GOLDEN_COLUMNS = ["Index", "Conn", "Sust", "Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ",
                  "Social", "SusEcFin"]
GOLDEN = {
    "CHE": [68.38, 62.79, 73.98, 63.41, 32.87, 74.78, 85.94, 56.93, 77.21, 87.85, 56.88],
    "NLD": [64.82, 61.94, 67.70, 64.87, 46.62, 84.55, 71.74, 41.92, 58.73, 86.58, 57.78],
    "DNK": [64.80, 57.10, 72.51, 50.52, 30.43, 78.13, 75.35, 51.04, 69.83, 86.40, 61.29],
    "NOR": [64.47, 57.44, 71.50, 58.18, 25.70, 80.03, 89.46, 33.80, 70.90, 87.00, 56.59],
    "BEL": [63.54, 63.99, 63.09, 71.97, 48.22, 80.84, 75.60, 43.32, 53.01, 86.17, 50.09],
    "SWE": [63.00, 53.87, 72.12, 51.51, 23.87, 80.98, 74.51, 38.50, 66.37, 87.74, 62.27],
}


@pytest.fixture(scope="module")
def asem():
    return load("coinr-asem-example"), pl.read_csv(ASEM / "ASEM_iData.csv", infer_schema_length=None)


def test_asem_reproduces_coinr_published_results(asem):
    meth, data = asem
    result = evaluate(meth, data)
    scores = result.scores()
    got = {u: [round(float(scores[c][result.index(u)]), 2) for c in GOLDEN_COLUMNS] for u in GOLDEN}
    assert got == GOLDEN  # all 66 values to two decimals
    assert [result.units[i] for i in np.argsort(result.rank)[:6]] == list(GOLDEN)
    assert len(result.units) == 51 and result.screened_out == []


def test_asem_methodology_is_what_from_coinr_writes():
    doc = from_coinr(ASEM / "ASEM_iMeta.csv", id="coinr-asem-example")
    shipped = yaml.safe_load((METHODOLOGY_DIR / "coinr-asem-example.yaml").read_text(encoding="utf-8"))
    assert doc["tree"] == shipped["tree"]
    assert shipped["group_keys"] == ["GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group"]
    assert shipped["defaults"]["impute"] == {"method": "group_mean", "group": "EurAsia_group"}
    assert shipped["screen"] == {"min_coverage": 0.9}


def test_skew_and_kurtosis_match_coinr_treat_vignette():
    data = pl.read_csv(ASEM / "ASEM_iData.csv", infer_schema_length=None)
    skew, kurt = skew_kurt(data.select(["Flights", "Goods"]).to_numpy().astype(float))
    assert skew == pytest.approx([2.103287, 2.649973], abs=1e-6)
    assert kurt == pytest.approx([4.508879, 8.266610], abs=1e-6)


# ---------------------------------------------------------------- treatment


def test_coinr_treatment_passes_unchanged_data_through():
    x = np.arange(1.0, 21.0)[:, None]
    assert np.array_equal(treat_coinr(x), x)


def test_coinr_treatment_winsorises_a_single_outlier_to_the_next_value():
    x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100])[:, None]
    out = treat_coinr(x)[:, 0]
    assert out[-1] == 19 and np.array_equal(out[:-1], x[:-1, 0])


def test_coinr_treatment_falls_back_to_log_ct_of_original_values():
    # a heavy tail that five winsorised points cannot tame
    x = np.array([1.0] * 60 + [2.0**k for k in range(5, 15)])[:, None]
    out = treat_coinr(x, winmax=5)[:, 0]
    lo, hi = x.min(), x.max()
    assert np.allclose(out, np.log(x[:, 0] - lo + 0.01 * (hi - lo)))


# ---------------------------------------------------------------- normalisation


REF = np.ones(4, dtype=bool)
X = np.array([[2.0], [4.0], [4.0], [10.0]])


def test_minmax_zscore_and_direction():
    assert normalise(X, np.array([1.0]), {"method": "minmax", "low": 0, "high": 100}, REF)[:, 0].tolist() == [
        0, 25, 25, 100]
    assert normalise(X, np.array([-1.0]), {"method": "minmax", "low": 1, "high": 10}, REF)[:, 0].tolist() == [
        10, 7.75, 7.75, 1]
    z = normalise(X, np.array([1.0]), {"method": "zscore", "mean": 10, "sd": 2}, REF)[:, 0]
    sd = np.std([2, 4, 4, 10], ddof=1)
    assert z == pytest.approx((np.array([2, 4, 4, 10]) - 5) / sd * 2 + 10)


def test_goalposts_ratio_rank_percentile():
    gp = {"method": "goalposts", "lower": 2, "upper": 6, "scale": 100, "cap": True}
    assert normalise(X, np.array([1.0]), gp, REF)[:, 0].tolist() == [0, 50, 50, 100]
    assert normalise(X, np.array([-1.0]), gp, REF)[:, 0].tolist() == [100, 50, 50, 0]
    uncapped = normalise(X, np.array([1.0]), {**gp, "cap": False}, REF)[:, 0]
    assert uncapped.tolist() == [0, 50, 50, 200]
    ratio = {"method": "ratio", "benchmark": 4, "cap": 150}
    assert normalise(X, np.array([1.0]), ratio, REF)[:, 0].tolist() == [50, 100, 100, 150]
    assert normalise(X, np.array([-1.0]), ratio, REF)[:, 0].tolist() == [150, 100, 100, 40]
    assert normalise(X, np.array([1.0]), {"method": "rank"}, REF)[:, 0].tolist() == [1, 2.5, 2.5, 4]
    assert normalise(X, np.array([1.0]), {"method": "percentile"}, REF)[:, 0].tolist() == pytest.approx(
        [0, 50, 50, 100])


def test_reference_units_define_the_scale():
    ref = np.array([True, True, True, False])
    out = normalise(X, np.array([1.0]), {"method": "minmax", "low": 0, "high": 100}, ref)[:, 0]
    assert out.tolist() == [0, 100, 100, 400]  # the non-reference unit is scored on the reference scale


# ---------------------------------------------------------------- methodology & aggregation


def small(**over) -> dict:
    doc = {
        "id": "t", "name": "测试", "source": {"document": "test"}, "unit_key": "zone_code", "group_keys": ["region"],
        "tree": [
            {"code": "a", "name": "A", "weight": 3, "children": [
                {"code": "x1", "name": "X1", "weight": 1}, {"code": "x2", "name": "X2", "weight": 3}]},
            {"code": "b", "name": "B", "weight": 1, "children": [{"code": "x3", "name": "X3", "direction": -1}]},
        ],
    }
    doc.update(over)
    return doc


def frame(**cols) -> pl.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"zone_code": [f"Z{i}" for i in range(n)], "region": ["east", "west"] * (n // 2) + ["west"] * (n % 2)}
    return pl.DataFrame({**base, **cols})


def test_weighted_arithmetic_tree_and_root():
    meth = parse(small())
    data = frame(x1=[0.0, 10, 5, 10], x2=[0.0, 10, 10, 0], x3=[1.0, 0, 1, 0])
    r = evaluate(meth, data)
    s = r.scores()
    # x1 → [0,100,50,100], x2 → [0,100,100,0], x3 (lower better) → [0,100,0,100]
    assert s["a"].tolist() == [0, 100, 87.5, 25]
    assert s["index"].tolist() == [0, 100, (87.5 * 3 + 0) / 4, (25 * 3 + 100) / 4]
    assert r.score.tolist() == s["index"].tolist()
    # contributions sum to the score when every aggregation is arithmetic
    assert r.contribution.sum(axis=1) == pytest.approx(r.score)


def test_missing_children_are_dropped_and_weights_renormalised():
    meth = parse(small())
    data = frame(x1=[0.0, 10, None, 10], x2=[0.0, 10, 10, 0], x3=[1.0, 0, 1, 0])
    r = evaluate(meth, data)
    assert r.scores()["a"][2] == 100  # only x2 (=100) is present
    assert r.effective[2, :2].tolist() == [0.0, 0.75]


def test_geometric_needs_positive_values_and_names_unit_and_indicator():
    doc = small(defaults={"aggregate": {"method": "geometric"}})
    with pytest.raises(EvaluationError, match="单位 Z0 的指标 x1"):
        evaluate(parse(doc), frame(x1=[0.0, 10, 5, 10], x2=[1.0, 10, 10, 1], x3=[1.0, 0, 1, 0]))
    doc["defaults"]["normalise"] = {"method": "minmax", "low": 1, "high": 100}
    r = evaluate(parse(doc), frame(x1=[0.0, 10, 5, 10], x2=[0.0, 10, 10, 0], x3=[1.0, 0, 1, 0]))
    assert r.scores()["a"][1] == pytest.approx(100)
    assert r.scores()["a"][2] == pytest.approx(np.exp((np.log(50.5) + 3 * np.log(100)) / 4))


def test_harmonic_mean():
    doc = small(defaults={"aggregate": {"method": "harmonic"}, "normalise": {"method": "minmax", "low": 1,
                                                                              "high": 100}})
    r = evaluate(parse(doc), frame(x1=[0.0, 10, 5, 10], x2=[0.0, 10, 10, 0], x3=[1.0, 0, 1, 0]))
    assert r.scores()["a"][2] == pytest.approx(4 / (1 / 50.5 + 3 / 100))


def test_ranks_ties_share_the_best_rank_national_and_by_group():
    assert rank_desc(np.array([9.0, 5, 5, 1])).tolist() == [1, 2, 2, 4]
    assert rank_desc(np.array([5.0, 5, 5])).tolist() == [1, 1, 1]
    meth = parse(small())
    r = evaluate(meth, frame(x1=[1.0, 2, 2, 0, 3], x2=[1.0, 2, 2, 0, 3], x3=[0.0, 0, 0, 0, 0]))
    assert r.rank.tolist() == [4, 2, 2, 5, 1]
    # region: east = Z0, Z2 ; west = Z1, Z3, Z4
    assert r.group_ranks["region"].tolist() == [2, 2, 1, 3, 1]


def test_impute_group_median_and_mean():
    doc = small(defaults={"impute": {"method": "group_median"}})
    data = frame(x1=[1.0, 10, None, 30, 7, 50], x2=[1.0] * 6, x3=[1.0] * 6)
    r = evaluate(parse(doc), data)
    assert r.imputed[2, 0] == 4  # east: Z0=1, Z4=7 → median 4
    doc["defaults"]["impute"] = {"method": "mean"}
    assert evaluate(parse(doc), data).imputed[2, 0] == pytest.approx((1 + 10 + 30 + 7 + 50) / 5)


def test_screen_drops_units_below_coverage():
    doc = small(screen={"min_coverage": 0.6})
    r = evaluate(parse(doc), frame(x1=[1.0, 2, None, 4], x2=[1.0, 2, None, 4], x3=[1.0, 2, 3, 4]))
    assert r.screened_out == ["Z2"] and r.units == ["Z0", "Z1", "Z3"]


def test_bonus_adds_capped_points():
    doc = small(bonus=[{"code": "aid", "column": "aid_pairing_items", "points_per_unit": 0.5, "max": 2}])
    data = frame(x1=[0.0, 0, 0, 0], x2=[0.0, 0, 0, 0], x3=[0.0, 0, 0, 0], aid_pairing_items=[0, 3, 10, None])
    r = evaluate(parse(doc), data)
    assert r.bonus.tolist() == [0, 1.5, 2, 0]
    assert (r.score - r.scores()["index"]).tolist() == [0, 1.5, 2, 0]


def test_methodology_errors_are_in_chinese():
    with pytest.raises(MethodologyError, match="未知的标准化方法"):
        parse(small(defaults={"normalise": {"method": "nope"}}))
    with pytest.raises(MethodologyError, match="方向只能是"):
        parse(small(tree=[{"code": "x", "name": "x", "direction": 2}]))
    with pytest.raises(MethodologyError, match="找不到评价方法"):
        load("no-such-methodology")
    with pytest.raises(EvaluationError, match="单位标识重复"):
        evaluate(parse(small()), pl.DataFrame({"zone_code": ["A", "A"], "region": ["e", "e"], "x1": [1, 2]}))
