"""Property tests (hypothesis): bounds, monotonicity, renormalised weights, rank ties."""

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jingkai.engines.evaluation import evaluate, parse
from jingkai.engines.evaluation.steps import rank_desc

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def cases(draw, missing=True):
    n = draw(st.integers(3, 12))
    m = draw(st.integers(1, 5))
    directions = draw(st.lists(st.sampled_from([1, -1]), min_size=m, max_size=m))
    weights = draw(st.lists(st.floats(0.1, 10), min_size=m, max_size=m))
    cols = {}
    for j in range(m):
        col = draw(st.lists(values | st.none() if missing else values, min_size=n, max_size=n))
        cols[f"x{j}"] = [None if v is None else float(v) for v in col]
    split = draw(st.integers(1, m))
    groups = [("g1", range(split)), ("g2", range(split, m))]
    tree = [{"code": g, "name": g, "weight": draw(st.floats(0.1, 5)), "children": [
        {"code": f"x{j}", "name": f"x{j}", "direction": directions[j], "weight": weights[j]} for j in idx]}
        for g, idx in groups if len(idx)]
    doc = {"id": "p", "name": "p", "source": {"document": "t"}, "unit_key": "u", "group_keys": ["region"],
           "tree": tree}
    data = pl.DataFrame({"u": [f"U{i}" for i in range(n)], "region": [("e", "w")[i % 2] for i in range(n)],
                         **cols}, schema_overrides={f"x{j}": pl.Float64 for j in range(m)})
    return doc, data


@SETTINGS
@given(cases(), st.sampled_from(["arithmetic", "geometric", "harmonic"]))
def test_scores_stay_within_the_normalisation_bounds(case, method):
    doc, data = case
    low = 0 if method == "arithmetic" else 1
    doc["defaults"] = {"aggregate": {"method": method}, "normalise": {"method": "minmax", "low": low, "high": 100}}
    r = evaluate(parse(doc), data)
    finite = r.values[np.isfinite(r.values)]
    assert np.all(finite >= low - 1e-9) and np.all(finite <= 100 + 1e-9)


@SETTINGS
@given(cases(missing=False), st.data(), st.sampled_from(["minmax", "rank", "percentile"]))
def test_improving_an_indicator_never_lowers_the_units_score(case, data, method):
    doc, frame = case
    doc["defaults"] = {"normalise": {"method": method}}
    meth = parse(doc)
    u = data.draw(st.integers(0, len(frame) - 1))
    j = data.draw(st.integers(0, len(meth.indicators) - 1))
    step = data.draw(st.floats(0.1, 1e6))
    ind = meth.indicators[j]
    before = evaluate(meth, frame)
    col = frame[ind.code].to_list()
    col[u] = col[u] + ind.direction * step
    after = evaluate(meth, frame.with_columns(pl.Series(ind.code, col)))
    assert after.score[u] >= before.score[u] - 1e-9
    assert after.rank[u] <= before.rank[u]


@SETTINGS
@given(cases())
def test_missing_children_drop_out_and_weights_renormalise(case):
    doc, data = case
    meth = parse(doc)
    r = evaluate(meth, data)
    for a, agg in enumerate(meth.aggregates):
        kids = [meth.codes.index(c) for c in agg.children]
        w = meth.node_weights()[kids]
        x = r.values[:, kids]
        present = ~np.isnan(x)
        num = np.where(present, x, 0) @ w
        den = present @ w
        expect = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
        got = r.values[:, len(meth.indicators) + a]
        assert np.allclose(got, expect, equal_nan=True)


@SETTINGS
@given(st.lists(st.integers(0, 5), min_size=1, max_size=40))
def test_ranks_are_competition_ranks(scores):
    s = np.array(scores, float)
    expect = [1 + sum(t > v for t in scores) for v in scores]
    assert rank_desc(s).tolist() == expect
    # ties share the rank, and the next rank skips
    ranks = rank_desc(s)
    for v in set(scores):
        assert len(set(ranks[s == v])) == 1
