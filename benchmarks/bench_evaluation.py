"""Benchmark of the composite evaluation engine (issue 3).

    .venv/bin/python benchmarks/bench_evaluation.py [--runs 10000] [--loop 200]

Synthetic data (seeded): 232 units (112 east / 68 central / 52 west) × 30 indicators in five groups,
with 3% missing values, evaluated by a methodology of the mofcom-2021 shape. Figures printed:
1. one evaluation (prepare + run), median of 50;
2. Monte Carlo of ≈10,000 replications (Saltelli design N(d+2), d = 4), against a loop of single
   evaluations measured on `--loop` iterations in the same process and extrapolated to the same count;
3. a target path for one West zone to the national rank 100;
4. every replication computed (no merging), against plain NumPy doing the same arithmetic on the same
   design (the same normalised leaves, weight sets and choices; per level Σw·x/Σw over the children present
   as matrix products, or its geometric form; ranks by sorting the reference scores and counting those
   above): the ranks compared; then at 232 and 2,320 zones, 1,002 replications: growth with the zones.
Timings on a shared 2-core machine are noisy; the script prints what it measured.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jingkai.engines.evaluation import ASSUMPTIONS, monte_carlo, parse, prepare, run, target_path

GROUPS = [("opening", 30, 7), ("quality", 30, 7), ("innovation", 15, 6), ("green", 15, 5), ("coordination", 10, 5)]


def synthetic(n_units: int = 232, seed: int = 1) -> tuple[dict, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    tree, cols = [], {}
    k = 0
    for code, weight, count in GROUPS:
        children = []
        for _ in range(count):
            direction = -1 if code == "green" and rng.random() < 0.6 else 1
            values = rng.lognormal(3, 1, n_units)
            values[rng.random(n_units) < 0.03] = np.nan
            cols[f"x{k:02d}"] = values
            children.append({"code": f"x{k:02d}", "name": f"指标{k}", "unit": "万元", "direction": direction})
            k += 1
        tree.append({"code": code, "name": code, "weight": weight, "children": children})
    regions = np.array(["east"] * 112 + ["central"] * 68 + ["west"] * (n_units - 180))
    data = pl.DataFrame({"zone_code": [f"Z{i:03d}" for i in range(n_units)], "region": regions, **cols,
                         "aid_pairing_items": rng.integers(0, 4, n_units)})
    doc = {"id": "bench", "name": "bench", "source": {"document": "synthetic"}, "unit_key": "zone_code",
           "group_keys": ["region"], "tree": tree,
           "bonus": [{"code": "aid", "column": "aid_pairing_items", "points_per_unit": 0.5, "max": 2}]}
    return doc, data


def plain_numpy(meth, data: pl.DataFrame, N: int, seed: int = 0) -> np.ndarray:
    """Every replication's national ranks by plain NumPy: the design and leaves drawn as monte_carlo draws them."""
    from jingkai.engines.evaluation.pipeline import bonus_points, impute_all, normalise_all, treat_all
    from jingkai.engines.evaluation.uncertainty import noisy_weights, options, sample

    rng = np.random.default_rng(seed)
    inp = run(meth, prepare(meth, data)).inputs
    opts = options(meth)
    wsets = noisy_weights(meth, int(meth.uncertainty.get("weight_sets", 100)),
                          float(meth.uncertainty.get("weight_noise", 0.25)), rng)
    X = sample(N, len(ASSUMPTIONS), "SA", rng)
    sizes = [len(wsets), len(opts["normalisation"]), len(opts["aggregation"]), len(opts["imputation"])]
    choice = np.minimum((X * sizes).astype(int), np.array(sizes) - 1)
    n, m = len(inp.units), len(meth.indicators)
    kids = meth.children_index()
    scores = np.empty((len(choice), n))
    bonus = bonus_points(meth, inp.bonus)
    for i, imp in enumerate(opts["imputation"]):
        treated = treat_all(meth, impute_all(meth, inp, inp.denominated, imp))
        for j, norm in enumerate(opts["normalisation"]):
            leaf = normalise_all(meth, treated, inp.ref, norm)  # units × indicators
            for a, agg in enumerate(opts["aggregation"]):
                rows = np.flatnonzero((choice[:, 3] == i) & (choice[:, 1] == j) & (choice[:, 2] == a))
                W = wsets[choice[rows, 0]]  # replications × nodes
                methods = [agg] * len(meth.aggregates) if agg else meth.aggregate_methods()
                assert set(methods) <= {"arithmetic", "geometric"}
                values: dict[int, np.ndarray] = {}  # aggregate node → replications × units
                for k, ch in enumerate(kids):
                    geo = methods[k] == "geometric"
                    num, den = np.zeros((len(rows), n)), np.zeros((len(rows), n))
                    leaves = ch[ch < m]
                    if len(leaves):
                        x = leaf[:, leaves]
                        f = np.log(np.maximum(x, 1e-6)) if geo else x
                        num += W[:, leaves] @ np.nan_to_num(f).T
                        den += W[:, leaves] @ (~np.isnan(x)).T
                    for c in ch[ch >= m]:
                        x = values[c]
                        f = np.log(np.maximum(x, 1e-6)) if geo else x
                        num += W[:, [c]] * np.nan_to_num(f)
                        den += W[:, [c]] * ~np.isnan(x)
                    with np.errstate(invalid="ignore", divide="ignore"):
                        v = num / den
                    values[m + k] = np.where(den > 0, np.exp(v) if geo else v, np.nan)
                scores[rows] = values[m + len(kids) - 1] + bonus
    s = np.round(scores, 9)
    ranks = np.empty_like(s)
    for r in range(len(s)):
        ref = np.sort(s[r, inp.ref])
        ranks[r] = 1 + len(ref) - np.searchsorted(ref, s[r], side="right")
    return ranks


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10_000, help="Monte Carlo replications (total)")
    ap.add_argument("--loop", type=int, default=200, help="single evaluations timed for the loop baseline")
    args = ap.parse_args()
    doc, data = synthetic()
    meth = parse(doc)
    n_units, n_ind = len(data), len(meth.indicators)

    run(meth, prepare(meth, data))  # warm-up
    one = timed(lambda: run(meth, prepare(meth, data)), 50)
    print(f"1. one evaluation, {n_units} units × {n_ind} indicators: {one * 1000:.1f} ms (target < 20 ms)")

    N = max(3, round(args.runs / (len(ASSUMPTIONS) + 2)))
    t = time.perf_counter()
    mc = monte_carlo(meth, data, n=N, seed=0)
    mc_time = time.perf_counter() - t
    t = time.perf_counter()
    monte_carlo(meth, data, n=N, seed=0, dedupe=False)
    mc_all = time.perf_counter() - t
    inp = prepare(meth, data)
    t = time.perf_counter()
    for _ in range(args.loop):
        run(meth, inp)
    per_run = (time.perf_counter() - t) / args.loop
    loop_time = per_run * mc.runs
    print(f"2. Monte Carlo, {mc.runs} replications (N = {N}, d = {len(ASSUMPTIONS)}): {mc_time:.2f} s "
          f"(target < 5 s)")
    print(f"   the same without merging identical configurations (every replication computed): {mc_all:.2f} s")
    print(f"   loop baseline: {args.loop} single evaluations measured, {per_run * 1000:.2f} ms each, "
          f"extrapolated to {mc.runs}: {loop_time:.1f} s → speed-up {loop_time / mc_time:.0f}× "
          f"(target ≥ 50×; {loop_time / mc_all:.0f}× without merging)")

    base = run(meth, inp)
    is_west = base.inputs.groups["region"] == "west"
    west = base.units[int(np.flatnonzero(is_west)[np.argmax(base.rank[is_west])])]  # the last West zone
    goal = int(base.rank[base.index(west)]) - 40
    t = time.perf_counter()
    path = target_path(meth, data, west, {"rank": goal})
    tp = time.perf_counter() - t
    print(f"3. target path for {west} (rank {base.rank[base.index(west)]:.0f} → {goal}): {tp * 1000:.0f} ms "
          f"(target < 1 s); achieved rank {path.to_rank:.0f}, {len(path.rows)} indicators changed")

    t, c = time.perf_counter(), time.process_time()
    plain_ranks = plain_numpy(meth, data, N, seed=0)
    t_plain, c_plain = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    every = monte_carlo(meth, data, n=N, seed=0, dedupe=False)
    t_every, c_every = time.perf_counter() - t, time.process_time() - c
    same = np.array_equal(np.nan_to_num(plain_ranks), np.nan_to_num(every.ranks))
    print(f"4. every replication computed, {every.runs} replications: {t_every:.2f} s (CPU {c_every:.2f} s); plain NumPy, "
          f"the same arithmetic: {t_plain:.2f} s (CPU {c_plain:.2f} s) → {t_every / t_plain:.1f}× "
          f"(CPU {c_every / c_plain:.1f}×; target ≤ 3×); national ranks identical: {same}")
    grown = {}
    for zones in (232, 2320):
        doc_z, data_z = synthetic(zones)
        meth_z = parse(doc_z)
        t, c = time.perf_counter(), time.process_time()
        monte_carlo(meth_z, data_z, n=167, seed=0, dedupe=False)
        grown[zones] = (time.perf_counter() - t, time.process_time() - c)
        print(f"   every replication computed, {zones} zones × {n_ind} indicators, 1002 replications: "
              f"{grown[zones][0]:.2f} s (CPU {grown[zones][1]:.2f} s)")
    print(f"   10× the zones: {grown[2320][0] / grown[232][0]:.1f}× the wall time, {grown[2320][1] / grown[232][1]:.1f}× "
          "the CPU time (linear: 10×)")


if __name__ == "__main__":
    main()
