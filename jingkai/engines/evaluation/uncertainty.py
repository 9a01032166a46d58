"""Monte Carlo uncertainty and variance-based sensitivity of the ranks, as COINr's get_sensitivity.

Assumptions varied (each a discrete choice drawn from a uniform sample, as COINr's sample_2_para):
  weights        one of K noisy weight sets: every weight × (1 + U(−a, a)), a = weight_noise
  normalisation  alternatives (default: min-max to [1, 100] and z-score with mean 10, sd 2)
  aggregation    the methodology's own methods or the geometric mean at every level
  imputation     on or off (off = no imputation; on = the methodology's, or group median if it has none)

Design: SA_type "SA": matrices A, B (N × d) and A_B^i, N(d + 2) runs; rank statistics use the first
2N runs and the indices are Saltelli's first-order and Jansen's total estimators (COINr SA_estimate).
`design="UA"` draws N independent runs and gives no indices. All replications sharing one choice of
imputation, normalisation and aggregation are computed together as one array operation, and runs that
drew identical choices (the design is discrete: at most K·2·2·2 configurations) are computed once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import polars as pl

from . import steps
from .methodology import Methodology
from .pipeline import Inputs, aggregate_tree, bonus_points, impute_all, normalise_all, prepare, run, treat_all

ASSUMPTIONS = ["weights", "normalisation", "aggregation", "imputation"]
LABELS = {"weights": "权重扰动", "normalisation": "标准化方法", "aggregation": "加总方法", "imputation": "缺失值插补"}
CELLS = 1 << 16  # units × replications per array operation (512 KB arrays: within the cache, so the time
# grows linearly with the units instead of faster once the arrays outgrow it)


@dataclass
class MonteCarlo:
    meth: Methodology
    units: np.ndarray
    nominal_rank: np.ndarray
    ranks: np.ndarray  # runs × units
    group_key: str | None
    group_ranks: np.ndarray | None  # runs × units within group_key
    bottom5: np.ndarray | None  # runs × units: in the bottom five of its group
    N: int
    design: str
    runs: int
    assumption_labels: dict[str, Any]

    @property
    def _stats_rows(self) -> slice:
        return slice(0, 2 * self.N) if self.design == "SA" else slice(None)

    def rank_interval(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r = self.ranks[self._stats_rows]
        q = np.quantile(r, [0.05, 0.5, 0.95], axis=0)
        return q[0], q[1], q[2]

    def bottom5_probability(self) -> np.ndarray | None:
        return None if self.bottom5 is None else self.bottom5[self._stats_rows].mean(axis=0)

    def indices(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return sa_estimate(y, self.N)

    def overall_indices(self) -> dict[str, Any]:
        """COINr's target: the mean absolute rank change against the nominal ranks."""
        if self.design != "SA":
            return {}
        y = np.nanmean(np.abs(self.ranks - self.nominal_rank), axis=1)
        si, sti = self.indices(y)
        return {a: {"first_order": float(si[k]), "total": float(sti[k])} for k, a in enumerate(ASSUMPTIONS)}

    def per_unit(self) -> dict[str, dict[str, Any]]:
        lo, med, hi = self.rank_interval()
        p5 = self.bottom5_probability()
        si: np.ndarray | None = None
        sti: np.ndarray | None = None
        if self.design == "SA":
            si, sti = self.indices(self.ranks)
        out = {}
        for u, code in enumerate(self.units):
            rec = {"median_rank": float(med[u]), "rank_interval": [float(lo[u]), float(hi[u])],
                   "bottom5_probability": None if p5 is None else float(p5[u])}
            if si is not None:
                rec["sensitivity"] = {a: {"first_order": round(float(si[k, u]), 4),
                                          "total": round(float(cast(np.ndarray, sti)[k, u]), 4)} for k, a in enumerate(ASSUMPTIONS)}
            out[str(code)] = rec
        return out


def sa_estimate(y: np.ndarray, N: int) -> tuple[np.ndarray, np.ndarray]:
    """COINr SA_estimate: first-order (Saltelli) and total (Jansen) indices, d × columns of y, from the
    N(d+2) outputs y (runs × …) of the design of `sample`. Zero output variance gives zeros."""
    d = y.shape[0] // N - 2
    yA, yB = y[:N], y[N:2 * N]
    yAB = y[2 * N:].reshape(d, N, *y.shape[1:])
    var = np.var(np.concatenate([yA, yB]), axis=0, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        si = np.mean(yB * (yAB - yA), axis=1) / var
        sti = np.sum((yA - yAB) ** 2, axis=1) / (2 * N * var)
    return np.where(var > 0, si, 0.0), np.where(var > 0, sti, 0.0)


def sample(N: int, d: int, design: str, rng: np.random.Generator) -> np.ndarray:
    """COINr SA_sample: rows A, B, then A with column i from B for each i. UA: N uniform rows."""
    if design == "UA":
        return rng.random((N, d))
    A, B = rng.random((N, d)), rng.random((N, d))
    ABi = np.repeat(A[None], d, axis=0)
    ABi[np.arange(d), :, np.arange(d)] = B.T
    return np.concatenate([A, B, ABi.reshape(d * N, d)])


def options(meth: Methodology) -> dict[str, list[Any]]:
    """The alternatives of each assumption (the methodology's `uncertainty:` section may set them)."""
    u = meth.uncertainty
    nominal_imp = {"none"} == {i.impute["method"] for i in meth.indicators}
    alt_imp = u.get("impute_alternative") or (
        {"method": "group_median", "group": meth.group_keys[0]} if meth.group_keys else {"method": "median"})
    return {
        "normalisation": u.get("normalisations") or [
            {"method": "minmax", "low": 1, "high": 100}, {"method": "zscore", "mean": 10, "sd": 2}],
        "aggregation": u.get("aggregations") or [None, "geometric"],
        "imputation": [None, {"method": "none"}] if not nominal_imp else [None, alt_imp],
    }


def noisy_weights(meth: Methodology, K: int, noise: float, rng: np.random.Generator) -> np.ndarray:
    w = meth.node_weights()
    sets = w * (1 + (rng.random((K, len(w))) * 2 - 1) * noise)
    sets[:, -1] = w[-1]  # the root's own weight plays no role
    return sets


def monte_carlo(meth: Methodology, data: pl.DataFrame | Inputs, n: int = 100, *, seed: int = 0,
                design: str = "SA", weight_noise: float | None = None, weight_sets: int | None = None,
                bottom: int = 5, dedupe: bool = True) -> MonteCarlo:
    rng = np.random.default_rng(seed)
    inp = data if isinstance(data, Inputs) else prepare(meth, data)
    nominal = run(meth, inp)
    inp = nominal.inputs  # the units kept by the nominal screening
    opts = options(meth)
    noise = float(meth.uncertainty.get("weight_noise", 0.25) if weight_noise is None else weight_noise)
    wsets = noisy_weights(meth, int(weight_sets or meth.uncertainty.get("weight_sets", 100)), noise, rng)

    X = sample(n, len(ASSUMPTIONS), design, rng)
    sizes = [len(wsets), len(opts["normalisation"]), len(opts["aggregation"]), len(opts["imputation"])]
    choice = np.minimum((X * sizes).astype(int), np.array(sizes) - 1)

    leaves = {}
    den = inp.denominated
    for i, imp in enumerate(opts["imputation"]):
        treated = treat_all(meth, impute_all(meth, inp, den, imp))
        for j, norm in enumerate(opts["normalisation"]):
            leaves[i, j] = normalise_all(meth, treated, inp.ref, norm)

    # runs with the same choices give the same scores: compute each distinct configuration once
    configs, inverse = np.unique(choice, axis=0, return_inverse=True) if dedupe else (choice, None)
    bonus = bonus_points(meth, inp.bonus)
    scores = np.empty((len(configs), len(inp.units)))
    chunk = max(1, CELLS // max(len(inp.units), 1))
    for (i, j), leaf in leaves.items():
        for a, agg in enumerate(opts["aggregation"]):
            rows = np.flatnonzero((configs[:, 3] == i) & (configs[:, 1] == j) & (configs[:, 2] == a))
            methods = [agg] * len(meth.aggregates) if agg else meth.aggregate_methods()
            x = leaf if all(mm == "arithmetic" for mm in methods) else np.maximum(leaf, 1e-6)
            for start in range(0, len(rows), chunk):
                r = rows[start:start + chunk]
                scores[r] = aggregate_tree(meth, x, wsets[configs[r, 0]], methods, root_only=True) + bonus

    def by_rows(rank: Any) -> np.ndarray:
        return np.concatenate([rank(scores[i:i + chunk]) for i in range(0, len(scores), chunk)])

    ranks = by_rows(lambda s: steps.rank_desc(s, inp.ref))
    group_key = "region" if "region" in inp.groups else (meth.group_keys[0] if meth.group_keys else None)
    granks = bottom5 = None
    if group_key:
        labels = inp.groups[group_key]
        granks = by_rows(lambda s: steps.group_ranks(s, labels, inp.ref))
        ref_count = {g: int(np.sum(inp.ref & (labels == g))) for g in set(labels)}
        size = np.array([ref_count[g] + (0 if inp.ref[k] else 1) for k, g in enumerate(labels)])
        bottom5 = granks > size - bottom
    if dedupe:
        ranks = ranks[cast(np.ndarray, inverse).ravel()]
        inv = cast(np.ndarray, inverse).ravel()  # set when dedupe
        granks, bottom5 = (None, None) if granks is None else (granks[inv], cast(np.ndarray, bottom5)[inv])
    return MonteCarlo(meth, inp.units, nominal.rank, ranks, group_key, granks, bottom5, n, design, len(X),
                      {a: LABELS[a] for a in ASSUMPTIONS})
