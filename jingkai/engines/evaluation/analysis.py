"""Analyses on top of a run: diagnosis, what-if and the least-effort target path."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast

import numpy as np
import polars as pl
from scipy.optimize import Bounds, LinearConstraint, milp

from .errors import EvaluationError
from .methodology import Methodology
from .pipeline import Inputs, Result, aggregate_tree, leaf_values, prepare, run

# ---------------------------------------------------------------- diagnosis


def peer_benchmarks(result: Result, group_key: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per unit and indicator: the median and the top quartile of the normalised scores of its peers
    (the reference units of its group; all reference units without a group key)."""
    meth, inp = result.methodology, result.inputs
    key = group_key or ("region" if "region" in inp.groups else (meth.group_keys[0] if meth.group_keys else None))
    labels = inp.groups[key] if key else np.zeros(len(inp.units), dtype=object)
    med, top = np.full(result.normalised.shape, np.nan), np.full(result.normalised.shape, np.nan)
    for g in set(labels):
        rows = labels == g
        peers = result.normalised[rows & inp.ref]
        if len(peers):
            q = np.nanquantile(peers, [0.5, 0.75], axis=0)
            med[rows], top[rows] = q[0], q[1]
    return med, top


def diagnose(result: Result, unit: str, group_key: str | None = None, worst: int = 5) -> dict[str, Any]:
    """Each indicator's normalised score and contribution, the points lost against the peer median
    and top quartile (effective weight × gap), and the `worst` indicators that drag the unit most."""
    u = result.index(unit)
    med, top = peer_benchmarks(result, group_key)
    eff = result.effective[u, :len(result.methodology.indicators)]
    rows: list[dict[str, Any]] = []
    for j, ind in enumerate(result.methodology.indicators):
        own = result.normalised[u, j]
        rows.append({
            "indicator": ind.code, "name": ind.name, "unit": ind.unit, "raw": _f(result.inputs.raw[u, j]),
            "normalised": _f(own), "contribution": _f(result.contribution[u, j]), "weight": _f(eff[j]),
            "peer_median": _f(med[u, j]), "peer_top_quartile": _f(top[u, j]),
            "lost_vs_median": _f((med[u, j] - own) * eff[j]), "lost_vs_top_quartile": _f((top[u, j] - own) * eff[j]),
            "unverified": ind.unverified,
        })
    drags = sorted((r for r in rows if (r["lost_vs_median"] or 0) > 0), key=lambda r: -r["lost_vs_median"])
    return {"unit": unit, "score": _f(result.score[u]), "rank": _f(result.rank[u]),
            "indicators": rows, "drags": [r["indicator"] for r in drags[:worst]]}


def _f(x: Any) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


# ---------------------------------------------------------------- what-if


def with_changes(meth: Methodology, inp: Inputs, changes: Mapping[str, Mapping[str, float | None]]) -> Inputs:
    """Inputs with some raw values replaced: {unit: {indicator or bonus column: new value (None: missing)}}."""
    raw, bonus = inp.raw.copy(), inp.bonus.copy()
    ind_cols = {i.column: j for j, i in enumerate(meth.indicators)} | {i.code: j for j, i in enumerate(meth.indicators)}
    bonus_cols = {b.column: j for j, b in enumerate(meth.bonus)}
    for unit, values in changes.items():
        rows = np.flatnonzero(inp.units == unit)
        if not len(rows):
            raise EvaluationError(f"数据中没有单位 {unit}")
        for col, value in values.items():
            v = np.nan if value is None else float(value)
            if col in ind_cols:
                raw[rows, ind_cols[col]] = v
            elif col in bonus_cols:
                bonus[rows, bonus_cols[col]] = v
            else:
                raise EvaluationError(f"评价方法中没有指标 {col}")
    return Inputs(inp.units, inp.names, inp.groups, raw, inp.denominators, bonus, inp.ref, inp.warnings)


def what_if(meth: Methodology, data: pl.DataFrame | Inputs, changes: Mapping[str, Mapping[str, float | None]]) -> Result:
    inp = data if isinstance(data, Inputs) else prepare(meth, data)
    return run(meth, with_changes(meth, inp, changes))


# ---------------------------------------------------------------- target path


@dataclass
class TargetPath:
    unit: str
    target: dict[str, Any]
    from_score: float
    to_score: float
    from_rank: float
    to_rank: float
    achieved: bool
    effort: float
    rows: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def table(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, schema=["indicator", "name", "from", "to", "change", "points_gained"])


def _target_score(res: Result, u: int, target: dict[str, Any]) -> tuple[float, Callable[[Result], bool]]:
    """The score the unit must reach, and a check of the target on a result."""
    if "rank" in target:
        peers, key, r = res.inputs.ref.copy(), None, int(target["rank"])
    else:
        key = target.get("group") or ("region" if "region" in res.inputs.groups else res.methodology.group_keys[0])
        labels = res.inputs.groups[key]
        peers = res.inputs.ref & (labels == labels[u])
        r = int(target["group_rank"])
    peers[u] = False
    others = np.sort(res.score[peers])[::-1]
    need = others[r - 1] if r <= len(others) else -np.inf

    def reached(result: Result) -> bool:
        ranks = result.rank if key is None else result.group_ranks[key]
        return bool(ranks[u] <= r)

    return need, reached


def target_path(meth: Methodology, data: pl.DataFrame | Inputs, unit: str, target: dict[str, Any],
                difficulty: dict[str, float] | None = None, max_change: dict[str, float] | None = None,
                iterations: int = 6) -> TargetPath:
    """Least-effort improvements that reach `target`: {"rank": r} (national), {"group_rank": r[, "group": key]}
    or {"out_of_bottom": 5, "probability": p[, "runs": N]}.

    Effort = Σ difficulty·|change|/|current value|; each change within max_change·|current value| and the
    indicator's bounds; counts change in whole numbers. The points per unit of change are the secant
    slopes of the full pipeline over each indicator's allowed range; the problem is solved as a MILP
    with HiGHS and the solution is checked by re-evaluating, raising the requirement if needed.
    """
    inp = data if isinstance(data, Inputs) else prepare(meth, data)
    base = run(meth, inp)
    u = base.index(unit)
    if "out_of_bottom" in target:
        return _out_of_bottom(meth, inp, unit, target, difficulty, max_change, iterations)
    need, reached = _target_score(base, u, target)
    start: dict[str, Any] = dict(unit=unit, target=target, from_score=float(base.score[u]),
                                 from_rank=float(base.rank[u]))
    if reached(base):
        return TargetPath(**start, to_score=float(base.score[u]), to_rank=float(base.rank[u]), achieved=True,
                          effort=0.0, message="已达到目标，无需改进")

    m = len(meth.indicators)
    x0 = base.inputs.raw[u].copy()
    scale = np.where(np.abs(x0) > 0, np.abs(x0), np.nanmedian(np.abs(inp.raw[inp.ref]), axis=0))
    scale = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
    diff = np.array([(difficulty or {}).get(i.code, i.difficulty) for i in meth.indicators])
    maxc = np.array([(max_change or {}).get(i.code, i.max_change) for i in meth.indicators])
    direction = np.array([i.direction for i in meth.indicators], float)
    integer = np.array([i.integer for i in meth.indicators])
    h = maxc * scale  # the largest plausible change, in the improving direction
    for j, ind in enumerate(meth.indicators):
        lo, hi = ind.bounds
        limit = hi if direction[j] > 0 else (lo if lo is not None else (0.0 if x0[j] >= 0 else None))
        if limit is not None and np.isfinite(x0[j]):
            h[j] = min(h[j], max(0.0, (limit - x0[j]) * direction[j]))
    h = np.where(integer, np.floor(h), h)
    usable = np.isfinite(x0) & (h > 0) & (meth.node_weights()[:m] > 0)

    # secant slopes: points gained per unit of change over each indicator's allowed range. Every
    # step before aggregation works column by column, so one perturbed matrix gives all columns.
    sub = base.inputs
    raw2 = sub.raw.copy()
    raw2[u, usable] = (x0 + direction * h)[usable]
    leaf2 = leaf_values(meth, replace(sub, raw=raw2))
    cols = np.flatnonzero(usable)
    batch = np.repeat(base.normalised[None], len(cols), axis=0)
    batch[np.arange(len(cols)), :, cols] = leaf2[:, cols].T
    values = aggregate_tree(meth, batch, meth.node_weights(), meth.aggregate_methods())
    slope = np.zeros(m)
    slope[cols] = (values[:, u, -1] + base.bonus[u] - base.score[u]) / h[cols]
    usable &= slope > 1e-12
    if not usable.any():
        return TargetPath(**start, to_score=float(base.score[u]), to_rank=float(base.rank[u]), achieved=False,
                          effort=0.0, message="没有可改进的指标")

    idx = np.flatnonzero(usable)
    cost = diff[idx] / scale[idx]
    gap = need - base.score[u]  # ties share the better rank: reaching the score is enough
    best = None
    for _ in range(iterations):
        sol = milp(c=cost, constraints=LinearConstraint(slope[idx][None, :], lb=gap, ub=np.inf),
                   integrality=integer[idx].astype(int), bounds=Bounds(np.zeros(len(idx)), h[idx]))
        if sol.status != 0 or sol.x is None:
            break
        delta = np.zeros(m)
        delta[idx] = np.where(integer[idx], np.round(sol.x), sol.x)
        new = {meth.indicators[j].code: x0[j] + direction[j] * delta[j] for j in np.flatnonzero(delta > 1e-12)}
        res = run(meth, with_changes(meth, inp, {unit: new}))
        best = (delta, res, float(sol.fun))
        if reached(res):
            break
        gap += need - res.score[res.index(unit)] + max(1e-6, 0.01 * abs(gap))  # nonlinearity: ask for more
    if best is None:
        cap = float(base.score[u] + slope[idx] @ h[idx])
        return TargetPath(**start, to_score=cap, to_rank=float(base.rank[u]), achieved=False, effort=0.0,
                          message="在可行的最大改进幅度内无法达到目标")
    delta, res, effort = best
    ur = res.index(unit)
    rows: list[dict[str, Any]] = [{"indicator": meth.indicators[j].code, "name": meth.indicators[j].name, "from": float(x0[j]),
             "to": float(x0[j] + direction[j] * delta[j]), "change": float(direction[j] * delta[j]),
             "points_gained": float(slope[j] * delta[j])}
            for j in np.flatnonzero(delta > 1e-12)]
    rows.sort(key=lambda r: -r["points_gained"])
    ok = reached(res)
    return TargetPath(**start, to_score=float(res.score[ur]), to_rank=float(res.rank[ur]), achieved=ok,
                      effort=effort, rows=rows, message="" if ok else "线性化求解后仍未达到目标")


def _out_of_bottom(meth: Methodology, inp: Inputs, unit: str, target: dict[str, Any],
                   difficulty: dict[str, float] | None, max_change: dict[str, float] | None,
                   iterations: int) -> TargetPath:
    """Out of the group's bottom `k` with probability ≥ p under the Monte Carlo assumptions:
    climb one group rank at a time until the probability is met."""
    from .uncertainty import monte_carlo

    k, p = int(target.get("out_of_bottom", 5)), float(target.get("probability", 0.9))
    runs = int(target.get("runs", 200))
    base = run(meth, inp)
    u = base.index(unit)
    key = target.get("group") or ("region" if "region" in inp.groups else meth.group_keys[0])
    labels = base.inputs.groups[key]
    size = int(np.sum(base.inputs.ref & (labels == labels[u]))) + (0 if base.inputs.ref[u] else 1)
    path = None
    for r in range(size - k, 0, -1):
        path = target_path(meth, inp, unit, {"group_rank": r, "group": key}, difficulty, max_change, iterations)
        if not path.achieved:
            break
        changed = with_changes(meth, inp, {unit: {row["indicator"]: row["to"] for row in path.rows}})
        mc = monte_carlo(meth, changed, n=runs, design="UA", seed=0, bottom=k)
        p5 = mc.bottom5_probability()
        prob = 1 - float(cast(np.ndarray, p5)[list(mc.units).index(unit)]) if mc.bottom5 is not None else 0
        path.target = target
        path.message = f"跳出本组后{k}名的概率 {prob:.0%}（目标本组第 {r} 名）"
        if prob >= p:
            return path
        path.achieved = False
    if path is None:
        raise EvaluationError("本组单位数不足，无法设定“跳出后五名”目标")
    return path
