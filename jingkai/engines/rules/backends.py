"""Two backends for compiled rules: polars expressions (vectorised) and Python closures (one row at a time).

Both implement the same small set of operations, so every rule is written once (in compile.py) and
evaluated either way. The Python backend exists as the row-by-row reference (benchmarks, cross-checks).
"""

from __future__ import annotations

import bisect
import math
import operator
from collections.abc import Callable, Sequence
from typing import Any, cast

import polars as pl

from .expr import Fn

Row = dict[str, Any]

NOISE_DIGITS = 9  # ratios are compared after rounding to 9 decimals: 1150/1000 - 1 == 0.15

_ARITH = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv, "pow": operator.pow}
_CMP = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq, "!=": operator.ne}


class PolarsBackend:
    lit: Callable[[object], pl.Expr] = staticmethod(lambda v: pl.lit(v))
    col: Callable[[str], pl.Expr] = staticmethod(lambda name: pl.col(name))

    @staticmethod
    def not_(x: pl.Expr) -> pl.Expr:
        return ~x

    @staticmethod
    def arith(op: str, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        if op == "div":
            return pl.when(b != 0).then(a / b)
        return cast(pl.Expr, _ARITH[op](a, b))

    @staticmethod
    def compare(op: str, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        return cast(pl.Expr, _CMP[op](a, b))

    @staticmethod
    def all_(parts: Sequence[pl.Expr]) -> pl.Expr:
        return pl.all_horizontal(parts) if len(parts) > 1 else parts[0]

    @staticmethod
    def any_(parts: Sequence[pl.Expr]) -> pl.Expr:
        return pl.any_horizontal(parts) if len(parts) > 1 else parts[0]

    @staticmethod
    def isin(x: pl.Expr, values: list[Any]) -> pl.Expr:
        return pl.when(x.is_not_null()).then(x.is_in(values))

    @staticmethod
    def where(cond: pl.Expr, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        return pl.when(cond).then(a).otherwise(b)

    @staticmethod
    def has(x: pl.Expr, item: Any) -> pl.Expr:
        return x.list.contains(item).fill_null(False)

    @staticmethod
    def startswith(x: pl.Expr, prefixes: list[str]) -> pl.Expr:
        return pl.any_horizontal([x.str.starts_with(p) for p in prefixes])

    @staticmethod
    def call(name: str, args: list[pl.Expr]) -> pl.Expr:
        if name == "min":
            return pl.min_horizontal(args)
        if name == "max":
            return pl.max_horizontal(args)
        if name == "coalesce":
            return pl.coalesce(args)
        if name == "floor":
            return args[0].floor()
        if name == "abs":
            return args[0].abs()
        if name == "isnull":
            return args[0].is_null()
        if name == "notnull":
            return args[0].is_not_null()
        if name == "year_of":
            return args[0].cast(pl.String).str.slice(0, 4).cast(pl.Int32, strict=False)
        raise ValueError(name)

    @staticmethod
    def denoise(x: pl.Expr) -> pl.Expr:
        return x.round(NOISE_DIGITS)

    @staticmethod
    def total(parts: list[pl.Expr]) -> pl.Expr:
        """Sum treating missing points as 0."""
        return pl.sum_horizontal(parts)

    @staticmethod
    def agg(kind: str, x: pl.Expr, by: list[str], q: float | None = None) -> pl.Expr:
        e: Any = {"mean": x.mean, "min": x.min, "max": x.max, "count": x.count}.get(kind)
        e = x.quantile(cast(float, q), "linear") if kind == "quantile" else e()
        return cast(pl.Expr, e.over(by) if by else e)

    @staticmethod
    def rank_desc(x: pl.Expr, by: list[str]) -> pl.Expr:
        e = x.rank("min", descending=True)
        return e.over(by) if by else e


def _nullsafe(fn: Callable[..., Any]) -> Callable[..., Any]:
    def apply(*vals: Any) -> Any:
        if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in vals):
            return None
        return fn(*vals)
    return apply


class PythonBackend:
    """Closures `row -> value`. Cohort aggregates are computed once over `rows` when first needed."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows

    lit: Callable[[object], Fn] = staticmethod(lambda v: (lambda r: v))
    col: Callable[[str], Fn] = staticmethod(lambda name: (lambda r: r.get(name)))

    @staticmethod
    def not_(x: Fn) -> Fn:
        return lambda r: None if (v := x(r)) is None else not v

    @staticmethod
    def arith(op: str, a: Fn, b: Fn) -> Fn:
        fn = _nullsafe(_ARITH[op])
        if op == "div":
            fn = _nullsafe(lambda p, q: p / q if q != 0 else None)
        return lambda r: fn(a(r), b(r))

    @staticmethod
    def compare(op: str, a: Fn, b: Fn) -> Fn:
        fn = _nullsafe(_CMP[op])
        return lambda r: fn(a(r), b(r))

    @staticmethod
    def all_(parts: Sequence[Fn]) -> Fn:
        def f(r: Row) -> bool | None:
            vals = [p(r) for p in parts]
            return False if any(v is False for v in vals) else (None if any(v is None for v in vals) else True)
        return f

    @staticmethod
    def any_(parts: Sequence[Fn]) -> Fn:
        def f(r: Row) -> bool | None:
            vals = [p(r) for p in parts]
            return True if any(v is True for v in vals) else (None if any(v is None for v in vals) else False)
        return f

    @staticmethod
    def isin(x: Fn, values: list[Any]) -> Fn:
        return lambda r: None if (v := x(r)) is None else v in values

    @staticmethod
    def where(cond: Fn, a: Fn, b: Fn) -> Fn:
        return lambda r: a(r) if cond(r) is True else b(r)

    @staticmethod
    def has(x: Fn, item: Any) -> Fn:
        return lambda r: item in (x(r) or ())

    @staticmethod
    def startswith(x: Fn, prefixes: list[str]) -> Fn:
        starts = tuple(prefixes)
        return lambda r: None if (v := x(r)) is None else str(v).startswith(starts)

    @staticmethod
    def call(name: str, args: list[Fn]) -> Fn:
        if name in ("min", "max", "coalesce"):
            picks: dict[str, Callable[..., Any]] = {"min": min, "max": max, "coalesce": lambda vs: vs[0]}
            pick = picks[name]

            def f(r: Row) -> Any:
                vals = [v for a in args if (v := a(r)) is not None]
                return pick(vals) if vals else None
            return f
        one: Callable[[Any], Any] = {
            "floor": _nullsafe(math.floor), "abs": _nullsafe(abs), "isnull": lambda v: v is None,
            "notnull": lambda v: v is not None, "year_of": _nullsafe(lambda v: int(str(v)[:4])),
        }[name]
        a = args[0]
        return lambda r: one(a(r))

    @staticmethod
    def denoise(x: Fn) -> Fn:
        return lambda r: v if (v := x(r)) is None or isinstance(v, bool) else round(v, NOISE_DIGITS)

    @staticmethod
    def total(parts: list[Fn]) -> Fn:
        return lambda r: sum(v for p in parts if (v := cast(Any, p(r))) is not None)

    def _groups(self, x: Fn, by: list[str]) -> dict[tuple[Any, ...], list[Any]]:
        groups: dict[tuple[Any, ...], list[Any]] = {}
        for row in self.rows:
            v = x(row)
            if v is not None:
                groups.setdefault(tuple(row.get(c) for c in by), []).append(v)
        return groups

    def agg(self, kind: str, x: Fn, by: list[str], q: float | None = None) -> Fn:
        cache: dict[object, Any] = {}

        def stat(vals: list[Any]) -> Any:
            if kind == "count":
                return len(vals)
            if not vals:
                return None
            if kind == "mean":
                return sum(vals) / len(vals)
            if kind in ("min", "max"):
                return min(vals) if kind == "min" else max(vals)
            s = sorted(vals)
            pos = cast(float, q) * (len(s) - 1)
            lo = math.floor(pos)
            return s[lo] + (s[min(lo + 1, len(s) - 1)] - s[lo]) * (pos - lo)

        def f(r: Row) -> Any:
            if not cache:
                cache.update({k: stat(v) for k, v in self._groups(x, by).items()})
                cache.setdefault("__computed__", None)
            key = tuple(r.get(c) for c in by)
            return cache.get(key, 0 if kind == "count" else None)
        return f

    def rank_desc(self, x: Fn, by: list[str]) -> Fn:
        cache: dict[object, list[Any]] = {}

        def f(r: Row) -> int | None:
            if not cache:
                cache.update({k: sorted(-v for v in vals) for k, vals in self._groups(x, by).items()})
                cache.setdefault("__computed__", [])
            v = x(r)
            if v is None:
                return None
            return bisect.bisect_left(cache[tuple(r.get(c) for c in by)], -v) + 1
        return f
