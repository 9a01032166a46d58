"""The numerical steps of the pipeline, vectorised over units (and, where it matters, over replications).

Matrices are units × indicators (float, NaN = missing). Column statistics ignore missing values.
`ref` is a boolean mask of the units whose values define the scale (normally all units; for scoring
provincial zones against the national ones, the national zones only).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, cast

import numpy as np

from .errors import EvaluationError

# ---------------------------------------------------------------- impute


def impute(x: np.ndarray, method: str, groups: np.ndarray | None = None) -> np.ndarray:
    """Fill missing values per column: none, mean, median, group_mean, group_median."""
    if method == "none" or not np.isnan(x).any():
        return x
    out = x.copy()
    fill_fn = np.nanmean if method.endswith("mean") else np.nanmedian
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-missing columns stay missing
        if method in ("mean", "median"):
            fill = np.broadcast_to(fill_fn(x, axis=0), x.shape)
        elif method in ("group_mean", "group_median"):
            if groups is None:
                raise EvaluationError(f"插补方法 {method} 需要分组列")
            fill = np.full_like(x, np.nan)
            for g in np.unique(groups):  # loop over groups, not units
                rows = groups == g
                fill[rows] = fill_fn(x[rows], axis=0)
        else:
            raise EvaluationError(f"未知的插补方法：{method}")
    missing = np.isnan(out)
    out[missing] = fill[missing]
    return out


# ---------------------------------------------------------------- treat (COINr default)


def skew_kurt(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """e1071 type-2 skewness and kurtosis of each column (as COINr's skew() and kurt())."""
    n = np.sum(~np.isnan(x), axis=0).astype(float)
    d = x - np.nanmean(x, axis=0)
    s2, s3, s4 = (np.nansum(d**k, axis=0) for k in (2, 3, 4))
    with np.errstate(divide="ignore", invalid="ignore"):
        skew = np.sqrt(n) * s3 / s2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * s4 / s2**2
        kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return skew, kurt


def _passes(x: np.ndarray, skew_max: float, kurt_max: float) -> np.ndarray:
    skew, kurt = skew_kurt(x)
    # COINr check_SkewKurt: pass when |skew| < threshold OR kurtosis < threshold (NaN: constant column)
    passed: np.ndarray = ~((np.abs(skew) >= skew_max) & (kurt >= kurt_max))
    return passed


def treat_coinr(x: np.ndarray, skew: float = 2.0, kurt: float = 3.5, winmax: int = 5) -> np.ndarray:
    """COINr's default Treat(): winsorise up to `winmax` points, else log_CT of the original values."""
    out = x.copy()
    failing = np.flatnonzero(~_passes(x, skew, kurt))
    for j in failing:  # only the (few) failing indicators; each step is vectorised over units
        col = x[:, j].copy()
        imax = imin = np.zeros(0, dtype=int)
        while True:
            if skew_kurt(col[:, None])[0][0] >= 0:
                imax = np.flatnonzero(col == np.nanmax(col))
                col[imax] = np.nanmax(np.delete(col, imax))
            else:
                imin = np.flatnonzero(col == np.nanmin(col))
                col[imin] = np.nanmin(np.delete(col, imin))
            passing = _passes(col[:, None], skew, kurt)[0]
            if passing or len(imax) + len(imin) >= winmax:
                break
        if not passing:
            orig = x[:, j]
            lo, hi = np.nanmin(orig), np.nanmax(orig)
            col = np.log(orig - lo + 0.01 * (hi - lo))
        out[:, j] = col
    return out


# ---------------------------------------------------------------- normalise


def _ref_stats(v: np.ndarray, ref: np.ndarray, fn: Callable[..., Any]) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        stats: np.ndarray = fn(v[ref], axis=0)
        return stats


def rank_average(v: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Ascending rank of each value among the reference values of its column, ties averaged."""
    out = np.full(v.shape, np.nan)
    for j in range(v.shape[1]):  # per indicator; vectorised over units by searchsorted
        r = np.sort(v[ref, j][~np.isnan(v[ref, j])])
        col = v[:, j]
        ok = ~np.isnan(col)
        below = np.searchsorted(r, col[ok], side="left")
        upto = np.searchsorted(r, col[ok], side="right")
        # a value's rank among the reference set: average of the positions it ties with
        # (a non-reference value not in the set sits between its neighbours: below + 0.5)
        out[ok, j] = np.where(upto > below, (below + 1 + upto) / 2, below + 0.5)
    return out


def normalise(x: np.ndarray, direction: np.ndarray, spec: dict[str, Any], ref: np.ndarray) -> np.ndarray:
    """Normalise a block of columns that share one spec. `direction` is ±1 per column."""
    method = spec.get("method", "minmax")
    v = x * direction
    if method == "minmax":
        low, high = spec.get("low", 0.0), spec.get("high", 100.0)
        lo, hi = _ref_stats(v, ref, np.nanmin), _ref_stats(v, ref, np.nanmax)
        span = hi - lo
        with np.errstate(divide="ignore", invalid="ignore"):
            out = (v - lo) / span * (high - low) + low
        return np.where(span > 0, out, np.where(np.isnan(v), np.nan, high))  # no spread: full marks
    if method == "zscore":
        m, s = spec.get("mean", 0.0), spec.get("sd", 1.0)
        mu, sd = _ref_stats(v, ref, np.nanmean), _ref_stats(v, ref, lambda a, axis: np.nanstd(a, axis, ddof=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            out = (v - mu) / sd * s + m
        return np.where(sd > 0, out, np.where(np.isnan(v), np.nan, m))
    if method == "goalposts":
        lower, upper = float(spec["lower"]), float(spec["upper"])
        scale = spec.get("scale", 100.0)
        out = np.where(direction > 0, x - lower, upper - x) / (upper - lower) * scale
        capped: np.ndarray = np.clip(out, 0, scale) if spec.get("cap", True) else out
        return capped
    if method in ("rank", "percentile"):
        r = rank_average(v, ref)
        if method == "rank":
            return r
        n = np.sum(~np.isnan(v[ref]), axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(n > 1, (r - 1) / (n - 1) * 100, np.where(np.isnan(r), np.nan, 100.0))
    if method == "ratio":
        b = float(spec["benchmark"])
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(direction > 0, x / b, b / x) * 100
        cap = spec.get("cap")
        return np.minimum(out, cap) if cap is not None else out
    raise EvaluationError(f"未知的标准化方法：{method}")


# ---------------------------------------------------------------- aggregate


def aggregate(x: np.ndarray, w: np.ndarray, method: str, names: tuple[list[str], list[str]] | None = None
              ) -> np.ndarray:
    """Weighted mean of the children present (weights renormalised over them), for every unit and
    replication at once.

    x: (k, n, Rx) children × units × replications (Rx = 1 when shared); w: (k, Rw) weights of the
    children per replication (Rw = 1 for one weight set). Returns (n, max(Rx, Rw)):
    Σw·f(x)/Σw with f = identity (arithmetic), log (geometric), 1/x (harmonic), as matrix products.
    `names` = (unit ids, child codes) for the error message.
    """
    present = ~np.isnan(x)
    complete = bool(present.all())
    if method != "arithmetic":
        bad = present & (x <= 0)
        if bad.any():
            child, unit = np.argwhere(bad)[0][:2]
            who = (names[0][unit], names[1][child]) if names else (f"#{unit}", f"#{child}")
            label = "几何平均" if method == "geometric" else "调和平均"
            raise EvaluationError(
                f"{label}要求数值大于0：单位 {who[0]} 的指标 {who[1]} 的值为 {x[child, unit].flat[0]:.6g}")
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "arithmetic":
            fx = x
        elif method == "geometric":
            fx = np.log(x)
        elif method == "harmonic":
            fx = 1.0 / x
        else:
            raise EvaluationError(f"未知的加总方法：{method}")
        if not complete:
            fx = np.where(present, fx, 0.0)
        wsum = w.sum(axis=0)[None, :] if complete else _wsum(present.astype(x.dtype), w)
        total = _wsum(fx, w)
        out = total / wsum if method == "arithmetic" else (
            np.exp(total / wsum) if method == "geometric" else wsum / total)
    return np.where(wsum > 0, out, np.nan)


def _wsum(fx: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ_k w[k, r]·fx[k, u, r] → (n, R), as a matrix product when one side is shared."""
    if fx.shape[-1] == 1:
        shared: np.ndarray = fx[:, :, 0].T @ w
        return shared
    if w.shape[-1] == 1:
        return cast(np.ndarray, np.tensordot(w[:, 0], fx, axes=(0, 0)))
    return cast(np.ndarray, np.einsum("knr,kr->nr", fx, w))


# ---------------------------------------------------------------- rank


def rank_desc(scores: np.ndarray, ref: np.ndarray | None = None) -> np.ndarray:
    """Competition ranks along the last axis: 1 is best, ties share the best rank (1, 2, 2, 4).

    With a reference mask, a unit's rank is 1 + the number of reference units scoring strictly
    higher (how a provincial zone would place among the national ones). Missing scores get NaN.
    """
    s = np.round(scores, 9)  # ties up to floating-point noise
    n = s.shape[-1]
    ref = np.ones(n, dtype=bool) if ref is None else ref
    # any sort will do: a tie group is contiguous whatever its inner order, and its rank counts the reference
    # units before the group (NumPy's default sort of floats is vectorised, the stable one is not)
    order = np.argsort(-s, axis=-1)  # NaN last
    ss = np.take_along_axis(s, order, axis=-1)
    rf = ref[order].astype(np.int32)
    before = np.cumsum(rf, axis=-1) - rf  # reference units placed before each position
    pos = np.broadcast_to(np.arange(n), ss.shape)
    new = np.ones(ss.shape, dtype=bool)
    new[..., 1:] = ss[..., 1:] != ss[..., :-1]
    first = np.maximum.accumulate(np.where(new, pos, 0), axis=-1)
    ranked = 1.0 + np.take_along_axis(before, first, axis=-1)
    out = np.empty(s.shape)
    np.put_along_axis(out, order, ranked, axis=-1)
    out[np.isnan(s)] = np.nan
    return out


def group_ranks(scores: np.ndarray, groups: np.ndarray, ref: np.ndarray | None = None) -> np.ndarray:
    """Ranks within each group (loop over groups, vectorised over units and replications)."""
    out = np.full(scores.shape, np.nan)
    ref = np.ones(scores.shape[-1], dtype=bool) if ref is None else ref
    for g in np.unique(groups[groups != None]):  # noqa: E711 - numpy object array comparison
        cols = np.flatnonzero(groups == g)
        out[..., cols] = rank_desc(scores[..., cols], ref[cols])
    return out
