"""denominate → impute → screen → treat → normalise → aggregate → bonus → rank."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import polars as pl

from . import steps
from .errors import EvaluationError
from .methodology import Methodology


@dataclass
class Inputs:
    """The data of one evaluation, as arrays (one row per unit)."""

    units: np.ndarray  # unit ids (str)
    names: np.ndarray | None
    groups: dict[str, np.ndarray]  # group key → label per unit (object)
    raw: np.ndarray  # indicator values as given (n × m)
    denominators: np.ndarray  # divisor per indicator (n × m, 1 where none)
    bonus: np.ndarray  # bonus columns (n × b), NaN = 0 points
    ref: np.ndarray  # units that define the scale and the ranks
    warnings: list[str] = field(default_factory=list)

    @property
    def denominated(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio: np.ndarray = self.raw / self.denominators
            return ratio

    def subset(self, rows: np.ndarray) -> Inputs:
        return replace(
            self, units=self.units[rows], names=None if self.names is None else self.names[rows],
            groups={k: v[rows] for k, v in self.groups.items()}, raw=self.raw[rows],
            denominators=self.denominators[rows], bonus=self.bonus[rows], ref=self.ref[rows],
        )


def prepare(meth: Methodology, data: pl.DataFrame) -> Inputs:
    """Pick the columns the methodology needs out of a table (one row per unit)."""
    if meth.unit_key not in data.columns:
        raise EvaluationError(f"数据缺少单位标识列 {meth.unit_key}")
    missing_groups = [g for g in meth.group_keys if g not in data.columns]
    if missing_groups:
        raise EvaluationError(f"数据缺少分组列：{'、'.join(missing_groups)}")
    units = data[meth.unit_key].cast(pl.String).to_numpy()
    dup = data[meth.unit_key].is_duplicated()
    if dup.any():
        raise EvaluationError(f"单位标识重复：{'、'.join(sorted(set(units[dup.to_numpy()])))}")
    warnings: list[str] = []

    def column(name: str, *, required: bool) -> np.ndarray:
        if name not in data.columns:
            if required:
                raise EvaluationError(f"数据缺少列 {name}")
            warnings.append(f"数据中没有列 {name}，按缺失处理")
            return np.full(len(data), np.nan)
        return data[name].cast(pl.Float64, strict=False).fill_null(np.nan).to_numpy().astype(float)

    raw = np.column_stack([column(i.column, required=False) for i in meth.indicators])
    den = np.column_stack([
        column(i.denominator, required=True) if i.denominator else np.ones(len(data)) for i in meth.indicators
    ])
    bonus = np.column_stack([column(b.column, required=False) for b in meth.bonus]) if meth.bonus else (
        np.zeros((len(data), 0)))
    ref = np.ones(len(data), dtype=bool)
    if meth.reference:
        col, values = meth.reference["column"], {str(v) for v in meth.reference["values"]}
        if col not in data.columns:
            raise EvaluationError(f"数据缺少参照列 {col}")
        ref = np.isin(data[col].cast(pl.String).to_numpy(), list(values))
        if not ref.any():
            raise EvaluationError(f"没有参照单位（{col} ∈ {'、'.join(sorted(values))}）")
    names = data[meth.name_key].cast(pl.String).to_numpy() if meth.name_key in data.columns else None
    groups = {g: data[g].cast(pl.String).to_numpy().astype(object) for g in meth.group_keys}
    return Inputs(units, names, groups, raw, den, bonus, ref, warnings)


# ---------------------------------------------------------------- leaf values


def _blocks(specs: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """Column indices grouped by identical spec, so each step runs once per spec on a block."""
    out: dict[str, list[int]] = {}
    for j, s in enumerate(specs):
        out.setdefault(json.dumps(s, sort_keys=True), []).append(j)
    return {k: np.array(v) for k, v in out.items()}


def impute_all(meth: Methodology, inp: Inputs, x: np.ndarray, override: dict[str, Any] | None = None) -> np.ndarray:
    specs = [override or i.impute for i in meth.indicators]
    out = x.copy()
    for key, cols in _blocks(specs).items():
        spec = json.loads(key)
        group = spec.get("group") or (meth.group_keys[0] if meth.group_keys else None)
        out[:, cols] = steps.impute(x[:, cols], spec["method"], inp.groups.get(group) if group else None)
    return out


def treat_all(meth: Methodology, x: np.ndarray) -> np.ndarray:
    out = x.copy()
    for key, cols in _blocks([i.treat for i in meth.indicators]).items():
        spec = json.loads(key)
        if spec["method"] == "coinr":
            out[:, cols] = steps.treat_coinr(
                x[:, cols], spec.get("skew", 2.0), spec.get("kurt", 3.5), spec.get("winmax", 5))
    return out


def normalise_all(meth: Methodology, x: np.ndarray, ref: np.ndarray, override: dict[str, Any] | None = None) -> np.ndarray:
    out = np.empty_like(x)
    direction = np.array([i.direction for i in meth.indicators], float)
    for key, cols in _blocks([override or i.normalise for i in meth.indicators]).items():
        out[:, cols] = steps.normalise(x[:, cols], direction[cols], json.loads(key), ref)
    return out


def leaf_values(meth: Methodology, inp: Inputs) -> np.ndarray:
    """Normalised indicator values of the inputs as they are (no screening)."""
    return normalise_all(meth, treat_all(meth, impute_all(meth, inp, inp.denominated)), inp.ref)


def screen(meth: Methodology, raw: np.ndarray, imputed: np.ndarray) -> np.ndarray:
    basis = raw if meth.screen.get("on") == "raw" else imputed
    coverage = np.mean(~np.isnan(basis), axis=1)
    kept: np.ndarray = coverage >= float(meth.screen.get("min_coverage", 0.0))
    return kept


# ---------------------------------------------------------------- aggregation


def aggregate_tree(meth: Methodology, leaf: np.ndarray, weights: np.ndarray, methods: list[str],
                   names: tuple[Any, ...] | None = None, root_only: bool = False) -> np.ndarray:
    """All node values (..., n, nodes): indicators' normalised values, then the aggregates
    (or only the root's (..., n) with `root_only`).

    `leaf` (n, m) or (B, n, m) for B variants of the data; `weights` (nodes,) or (R, nodes) for R
    weight sets (not both batched). Aggregates are computed parent by parent, over all units and
    replications at once, in the layout nodes × units × replications.
    """
    m, n = leaf.shape[-1], leaf.shape[-2]
    if leaf.ndim == 3 and weights.ndim == 2:
        raise ValueError("leaf and weights cannot both be batched")
    X = leaf.T[:, :, None] if leaf.ndim == 2 else leaf.transpose(2, 1, 0)  # m × n × B
    W = weights[:, None] if weights.ndim == 1 else weights.T  # nodes × R
    reps = max(X.shape[-1], W.shape[-1])
    aggs = np.empty((len(meth.aggregates), n, reps))
    codes = meth.codes
    for a, children in enumerate(meth.children_index()):
        if children.max() < m:
            x = X[children]
        else:
            x = np.empty((len(children), n, reps))
            is_leaf = children < m
            x[is_leaf] = X[children[is_leaf]]
            x[~is_leaf] = aggs[children[~is_leaf] - m]
        label = (names[0], [codes[c] for c in children]) if names else None
        aggs[a] = steps.aggregate(x, W[children], methods[a], label)
    batched = leaf.ndim == 3 or weights.ndim == 2
    if root_only:
        return aggs[-1].T if batched else aggs[-1, :, 0]
    out = np.concatenate([np.broadcast_to(X, (m, n, reps)), aggs]).transpose(2, 1, 0)  # reps × n × nodes
    return out if batched else out[0]


def bonus_points(meth: Methodology, values: np.ndarray) -> np.ndarray:
    if not meth.bonus:
        return np.zeros(values.shape[0])
    pts = np.array([b.points_per_unit for b in meth.bonus])
    caps = np.array([np.inf if b.max is None else b.max for b in meth.bonus])
    raw = np.nan_to_num(values) * pts
    # min(points·value, max); for a penalty (negative points) the cap bounds the deduction
    capped = np.where(pts >= 0, np.minimum(raw, caps), np.maximum(raw, -caps))
    total: np.ndarray = capped.sum(axis=1)
    return total


def effective_weights(meth: Methodology, values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each node's share of the root per unit, after renormalising over the children present."""
    eff = np.zeros(values.shape)
    m = len(meth.indicators)
    eff[:, -1] = 1.0
    children = meth.children_index()
    for a in range(len(meth.aggregates) - 1, -1, -1):
        ch = children[a]
        w = np.where(np.isnan(values[:, ch]), 0.0, weights[ch])
        total = w.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            eff[:, ch] = eff[:, [m + a]] * np.where(total > 0, w / total, 0.0)
    return eff


# ---------------------------------------------------------------- result


@dataclass
class Result:
    methodology: Methodology
    inputs: Inputs  # the units evaluated (after screening)
    imputed: np.ndarray
    treated: np.ndarray
    normalised: np.ndarray
    values: np.ndarray  # n × (indicators + aggregates): normalised indicators and aggregate scores
    contribution: np.ndarray  # n × indicators
    effective: np.ndarray  # n × nodes: share of the root
    bonus: np.ndarray
    score: np.ndarray
    rank: np.ndarray
    group_ranks: dict[str, np.ndarray]
    screened_out: list[str]

    @property
    def units(self) -> list[str]:
        return list(self.inputs.units)

    def index(self, unit: str) -> int:
        hits = np.flatnonzero(self.inputs.units == unit)
        if not len(hits):
            raise EvaluationError(f"评价结果中没有单位 {unit}")
        return int(hits[0])

    def scores(self) -> dict[str, np.ndarray]:
        m = len(self.methodology.indicators)
        return {a.code: self.values[:, m + k] for k, a in enumerate(self.methodology.aggregates)}

    def records(self) -> list[dict[str, Any]]:
        """One dict per unit in the JSON shape of `jingkai evaluate`, best first."""
        meth = self.methodology
        agg = self.scores()
        out = []
        for u in np.argsort(self.rank, kind="stable"):
            rec: dict[str, Any] = {
                "unit": str(self.inputs.units[u]),
                "score": _num(self.score[u]),
                "rank": _int(self.rank[u]),
                "group_ranks": {g: _int(r[u]) for g, r in self.group_ranks.items()},
                "scores": {code: _num(v[u]) for code, v in agg.items()},
                "indicators": {
                    ind.code: {
                        "raw": _num(self.inputs.raw[u, j]),
                        "treated": _num(self.treated[u, j]),
                        "normalised": _num(self.normalised[u, j]),
                        "contribution": _num(self.contribution[u, j]),
                    }
                    for j, ind in enumerate(meth.indicators)
                },
                "bonus": _num(self.bonus[u]),
            }
            if self.inputs.names is not None:
                rec["name"] = str(self.inputs.names[u])
            for g, labels in self.inputs.groups.items():
                rec.setdefault("groups", {})[g] = labels[u]
            out.append(rec)
        return out


def _num(x: Any) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


def _int(x: Any) -> int | None:
    return None if x is None or not np.isfinite(x) else int(x)


def run(meth: Methodology, inp: Inputs, *, impute: dict[str, Any] | None = None, normalise: dict[str, Any] | None = None,
        aggregate: str | None = None, weights: np.ndarray | None = None) -> Result:
    """The whole pipeline on prepared inputs; the keyword arguments override the methodology."""
    den = inp.denominated
    imputed = impute_all(meth, inp, den, impute)
    kept = screen(meth, den, imputed)
    screened_out = [str(u) for u in inp.units[~kept]]
    if not kept.all():
        inp, imputed = inp.subset(kept), imputed[kept]
    if not len(inp.units):
        raise EvaluationError("筛选后没有可评价的单位")
    treated = treat_all(meth, imputed)
    normalised = normalise_all(meth, treated, inp.ref, normalise)
    w = meth.node_weights() if weights is None else weights
    methods = [aggregate] * len(meth.aggregates) if aggregate else meth.aggregate_methods()
    values = aggregate_tree(meth, normalised, w, methods, names=(list(inp.units),))
    eff = effective_weights(meth, values, w)
    m = len(meth.indicators)
    contribution = np.where(np.isnan(normalised), 0.0, normalised) * eff[:, :m]
    bonus = bonus_points(meth, inp.bonus)
    score = values[:, -1] + bonus
    rank = steps.rank_desc(score, inp.ref)
    granks = {g: steps.group_ranks(score, labels, inp.ref) for g, labels in inp.groups.items()}
    return Result(meth, inp, imputed, treated, normalised, values, contribution, eff, bonus, score, rank,
                  granks, screened_out)


def evaluate(meth: Methodology, data: pl.DataFrame, **overrides: Any) -> Result:
    return run(meth, prepare(meth, data), **overrides)
