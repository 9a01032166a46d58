"""Two backends for compiled rules: polars expressions (vectorised) and Python closures (one row at a time).

Both implement the same small set of operations, so every rule is written once (in compile.py) and
evaluated either way. The Python backend exists as the row-by-row reference (benchmarks, cross-checks).
"""

from __future__ import annotations

import bisect
import math
import operator

import polars as pl

NOISE_DIGITS = 9  # ratios are compared after rounding to 9 decimals: 1150/1000 - 1 == 0.15

_ARITH = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv, "pow": operator.pow}
_CMP = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq, "!=": operator.ne}


class PolarsBackend:
    lit = staticmethod(lambda v: pl.lit(v))
    col = staticmethod(lambda name: pl.col(name))

    @staticmethod
    def not_(x):
        return ~x

    @staticmethod
    def arith(op, a, b):
        if op == "div":
            return pl.when(b != 0).then(a / b)
        return _ARITH[op](a, b)

    @staticmethod
    def compare(op, a, b):
        return _CMP[op](a, b)

    @staticmethod
    def all_(parts):
        return pl.all_horizontal(parts) if len(parts) > 1 else parts[0]

    @staticmethod
    def any_(parts):
        return pl.any_horizontal(parts) if len(parts) > 1 else parts[0]

    @staticmethod
    def isin(x, values):
        return pl.when(x.is_not_null()).then(x.is_in(values))

    @staticmethod
    def where(cond, a, b):
        return pl.when(cond).then(a).otherwise(b)

    @staticmethod
    def has(x, item):
        return x.list.contains(item).fill_null(False)

    @staticmethod
    def startswith(x, prefixes):
        return pl.any_horizontal([x.str.starts_with(p) for p in prefixes])

    @staticmethod
    def call(name, args):
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
    def denoise(x):
        return x.round(NOISE_DIGITS)

    @staticmethod
    def total(parts):
        """Sum treating missing points as 0."""
        return pl.sum_horizontal(parts)

    @staticmethod
    def agg(kind, x, by, q=None):
        e = {"mean": x.mean, "min": x.min, "max": x.max, "count": x.count}.get(kind)
        e = x.quantile(q, "linear") if kind == "quantile" else e()
        return e.over(by) if by else e

    @staticmethod
    def rank_desc(x, by):
        e = x.rank("min", descending=True)
        return e.over(by) if by else e


def _nullsafe(fn):
    def apply(*vals):
        if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in vals):
            return None
        return fn(*vals)
    return apply


class PythonBackend:
    """Closures `row -> value`. Cohort aggregates are computed once over `rows` when first needed."""

    def __init__(self, rows: list[dict]):
        self.rows = rows

    lit = staticmethod(lambda v: (lambda r: v))
    col = staticmethod(lambda name: (lambda r: r.get(name)))

    @staticmethod
    def not_(x):
        return lambda r: None if (v := x(r)) is None else not v

    @staticmethod
    def arith(op, a, b):
        fn = _nullsafe(_ARITH[op])
        if op == "div":
            fn = _nullsafe(lambda p, q: p / q if q != 0 else None)
        return lambda r: fn(a(r), b(r))

    @staticmethod
    def compare(op, a, b):
        fn = _nullsafe(_CMP[op])
        return lambda r: fn(a(r), b(r))

    @staticmethod
    def all_(parts):
        def f(r):
            vals = [p(r) for p in parts]
            return False if any(v is False for v in vals) else (None if any(v is None for v in vals) else True)
        return f

    @staticmethod
    def any_(parts):
        def f(r):
            vals = [p(r) for p in parts]
            return True if any(v is True for v in vals) else (None if any(v is None for v in vals) else False)
        return f

    @staticmethod
    def isin(x, values):
        return lambda r: None if (v := x(r)) is None else v in values

    @staticmethod
    def where(cond, a, b):
        return lambda r: a(r) if cond(r) is True else b(r)

    @staticmethod
    def has(x, item):
        return lambda r: item in (x(r) or ())

    @staticmethod
    def startswith(x, prefixes):
        prefixes = tuple(prefixes)
        return lambda r: None if (v := x(r)) is None else str(v).startswith(prefixes)

    @staticmethod
    def call(name, args):
        if name in ("min", "max", "coalesce"):
            pick = {"min": min, "max": max, "coalesce": lambda vs: vs[0]}[name]

            def f(r):
                vals = [v for a in args if (v := a(r)) is not None]
                return pick(vals) if vals else None
            return f
        one = {
            "floor": _nullsafe(math.floor), "abs": _nullsafe(abs), "isnull": lambda v: v is None,
            "notnull": lambda v: v is not None, "year_of": _nullsafe(lambda v: int(str(v)[:4])),
        }[name]
        a = args[0]
        return lambda r: one(a(r))

    @staticmethod
    def denoise(x):
        return lambda r: v if (v := x(r)) is None or isinstance(v, bool) else round(v, NOISE_DIGITS)

    @staticmethod
    def total(parts):
        return lambda r: sum(v for p in parts if (v := p(r)) is not None)

    def _groups(self, x, by):
        groups: dict[tuple, list] = {}
        for row in self.rows:
            v = x(row)
            if v is not None:
                groups.setdefault(tuple(row.get(c) for c in by), []).append(v)
        return groups

    def agg(self, kind, x, by, q=None):
        cache = {}

        def stat(vals):
            if kind == "count":
                return len(vals)
            if not vals:
                return None
            if kind == "mean":
                return sum(vals) / len(vals)
            if kind in ("min", "max"):
                return min(vals) if kind == "min" else max(vals)
            s = sorted(vals)
            pos = q * (len(s) - 1)
            lo = math.floor(pos)
            return s[lo] + (s[min(lo + 1, len(s) - 1)] - s[lo]) * (pos - lo)

        def f(r):
            if not cache:
                cache.update({k: stat(v) for k, v in self._groups(x, by).items()})
                cache.setdefault("__computed__", None)
            key = tuple(r.get(c) for c in by)
            return cache.get(key, 0 if kind == "count" else None)
        return f

    def rank_desc(self, x, by):
        cache = {}

        def f(r):
            if not cache:
                cache.update({k: sorted(-v for v in vals) for k, vals in self._groups(x, by).items()})
                cache.setdefault("__computed__", [])
            v = x(r)
            if v is None:
                return None
            return bisect.bisect_left(cache[tuple(r.get(c) for c in by)], -v) + 1
        return f
