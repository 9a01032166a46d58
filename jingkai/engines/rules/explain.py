"""Explained verdicts: per criterion the rule, the value used, pass/fail or points; and the smallest gaps."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, cast

import numpy as np
import polars as pl

from .backends import PolarsBackend
from .compile import Node, compile_ruleset
from .engine import evaluate
from .ruleset import RuleSet, Spec, edges_of

Row = dict[str, Any]  # one evaluated enterprise-year: input keys and stage columns
Json = dict[str, Any]  # a JSON-ready object (criterion, gap, result)

EXCLUSIVE_WORD = {">": "超过", "<": "低于"}


def _clean(v: Any) -> Any:
    if isinstance(v, float):
        return None if math.isnan(v) else round(v, 6)
    return v


def fmt(v: Any, unit: str | None = None) -> str:
    if v is None:
        return "无数据"
    if unit == "pct":
        return f"{v * 100:.1f}%"
    if isinstance(v, float):
        v = round(v, 2)
        v = int(v) if v == int(v) else v
    return f"{v}{unit or ''}"


def label(spec: Spec) -> str:
    rule: str = spec["rule"] if "rule" in spec else spec["code"]
    text: str = spec.get("label") or rule.split("（")[0].split("：")[0]
    return text


def _lever(spec: Spec, row: Row, frm: float | None, to: float | None) -> tuple[Json | None, str]:
    lv = spec.get("lever")
    if not lv or frm is None or to is None:
        return None, ""
    per = row.get(lv["per"]) if lv.get("per") else 1
    if per is None:
        return None, ""
    amount = round((to - frm) * per, 2)
    word = "增加" if amount >= 0 else "减少"
    basis = f"按当前{lv['per_label']}" if lv.get("per_label") else "按当前数据"
    text = f"（{basis}需{word}{lv['label']} {fmt(abs(amount))}{lv.get('unit', '')}）"
    return {"key": lv["key"], "amount": amount, "unit": lv.get("unit")}, text


def _edge_target(spec: Spec, value: float) -> tuple[str, float, str] | None:
    """The first band edge `value` violates: (op, threshold, word)."""
    ops = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, "<": lambda a, b: a < b}
    for op, th, word in edges_of(spec):
        if not ops[op](value, th):
            return op, th, word
    return None


def _move(spec: Spec, row: Row, frm: float, target: tuple[str, float, str], unit: str | None, code: str,
          points: float | None = None) -> tuple[Json, float]:
    op, th, word = target
    prefix = EXCLUSIVE_WORD.get(op, "")
    delta, extra = _lever(spec, row, frm, th)
    gain = f"（+{fmt(points)}分）" if points else ""
    g: Json = {"code": code, "from": _clean(frm), "to": th, "bound": word,
         "text": f"{label(spec)} {fmt(frm, unit)} → {prefix}{fmt(th, unit)}{gain}{extra}"}
    if delta:
        g["delta"] = delta
    cost = abs(th - frm) / max(abs(frm), abs(th), 1e-9)
    return g, cost


class Explainer:
    def __init__(self, rs: RuleSet) -> None:
        self.rs = rs
        self.builder = compile_ruleset(rs, PolarsBackend)
        self.nodes: list[Node] = self.builder.nodes
        self.by_code = {n.code: n for n in self.nodes}

    # -- criteria -----------------------------------------------------------------------------
    def criteria(self, row: Row) -> list[Json]:
        out = []
        for n in self.nodes:
            item: Json = {"code": n.code, "rule": n.rule, "value": _clean(row.get(f"v:{n.code}")),
                    "passed": row.get(f"ok:{n.code}") if n.role != "item" else None,
                    "points": _clean(row.get(f"pt:{n.code}")) if n.has_points else None}
            if n.role != "condition":
                item["role"] = n.role
            if n.depth:
                item["depth"] = n.depth
            if n.dimension:
                item["dimension"] = n.dimension
            if n.spec.get("unit"):
                item["unit"] = n.spec["unit"]
            if n.role == "item" and n.spec.get("missing") and row.get(f"raw:{n.code}") is None \
                    and row.get(f"pt:{n.code}") is not None:
                item["note"] = "无数据，按同组企业该项平均得分赋分"
            out.append(item)
        sc = self.rs.spec.get("score") or {}
        for d, f in (sc.get("floors") or {}).items():
            f = f if isinstance(f, dict) else {"以上": f}
            v = row.get(f"dim:{d}")
            op, th, word = edges_of(f)[0]
            out.append({"code": f"floor:{d}", "rule": f"{d}得分{_phrase(word, th)}", "value": _clean(v),
                        "passed": None if v is None else _holds(op, v, th), "points": None, "role": "floor"})
        if "pass" in sc:
            op, th, word = edges_of(sc["pass"])[0]
            out.append({"code": "score_pass", "rule": f"评价得分{_phrase(word, th)}", "value": _clean(row.get("score")),
                        "passed": row.get("score_ok"), "points": None, "role": "score"})
        if "class" in row and self.rs.spec.get("classes"):
            out.append({"code": "class_position", "rule": "按得分在同组企业中的位次分类（" + "、".join(
                f"{b['class']}类至前{b['top'] * 100:g}%" for b in self.rs.spec["classes"]["bands"]) + "）",
                "value": _clean(row.get("position")), "passed": None, "points": None, "role": "class"})
        return out

    # -- gaps ---------------------------------------------------------------------------------
    def gaps(self, row: Row) -> list[Json]:
        if self.rs.kind != "tier" or row.get("eligible") is True:
            return []
        out: list[Json] = []
        for c in self.rs.spec.get("criteria") or []:
            if row.get(f"ok:{c['code']}") is not True:
                out += [g for g, _ in self.condition_gaps(c, row)]
        if row.get("score_ok") is False and row.get("score_or_route") is not True:
            out += self.score_gaps(row)
        return out

    def condition_gaps(self, spec: Spec, row: Row) -> list[tuple[Json, float]]:
        code = spec["code"]
        if "value" in spec:
            v: Any = row.get(f"v:{code}")  # a number when not None
            target = _edge_target(spec, v) if v is not None else None
            if target:
                return [_move(spec, row, v, target, spec.get("unit"), code)]
            return [({"code": code, "from": None, "to": edges_of(spec)[0][1],
                      "text": f"{label(spec)}：缺少数据，需补充后判断"}, 1.0)]
        if "all" in spec:
            out: list[tuple[Json, float]] = []
            for c in spec["all"]:
                if row.get(f"ok:{c['code']}") is not True:
                    out += self.condition_gaps(c, row)
            return out
        if "any" in spec:
            options = [self.condition_gaps(c, row) for c in spec["any"]]
            options = [o for o in options if o]
            if options:
                return min(options, key=lambda o: sum(cost for _, cost in o))
        return [({"code": code, "from": _clean(row.get(f"v:{code}")), "to": None,
                  "text": f"需满足：{spec.get('rule', code)}"}, 1.0)]

    def score_gaps(self, row: Row) -> list[Json]:
        sc = self.rs.spec["score"]
        items = [it for seg in (sc.get("segments") or [{"items": sc["items"]}]) for it in seg["items"]]
        need = {"": _shortfall(sc["pass"], row.get("score") or 0)}
        for d, f in (sc.get("floors") or {}).items():
            need[d] = _shortfall(f if isinstance(f, dict) else {"以上": f}, row.get(f"dim:{d}") or 0)
        moves: list[tuple[str, str | None, float, float, Json]] = []  # (item code, dimension, gain, cost, gap)
        for it in items:
            cur = row.get(f"pt:{it['code']}") or 0
            v = row.get(f"v:{it['code']}")
            for band in it.get("bands") or []:
                if band["points"] > cur and v is not None and (t := _edge_target(band, v)):
                    g, cost = _move(it, row, v, t, it.get("unit"), it["code"], band["points"] - cur)
                    moves.append((it["code"], it.get("dimension"), band["points"] - cur, cost, g))
            for case in it.get("cases") or []:
                if case["points"] > cur:
                    g = {"code": it["code"], "from": cur, "to": case["points"],
                         "text": f"{label(it)}：达到“{case.get('text', case['when'])}”（+{fmt(case['points'] - cur)}分）"}
                    moves.append((it["code"], it.get("dimension"), case["points"] - cur, 1 + (case["points"] - cur) / 100, g))
        chosen: list[Json] = []
        used: set[str] = set()
        while any(x > 0 for x in need.values()):
            def useful(m: tuple[str, str | None, float, float, Json]) -> float:
                return min(m[2], need[""]) + sum(min(m[2], need[d]) for d in need if d and d == m[1])
            cands = [m for m in moves if m[0] not in used and useful(m) > 0]
            if not cands:
                chosen.append({"code": "score", "from": _clean(row.get("score")), "to": None,
                               "text": "仅靠计分项的提升仍不足以达到分数要求，可考虑直通条件"})
                break
            closing = [m for m in cands if useful(m) >= sum(x for x in need.values() if x > 0)]
            m = min(closing, key=lambda m: m[3]) if closing else max(cands, key=lambda m: useful(m) / max(m[3], 1e-6))
            used.add(m[0])
            chosen.append(m[4])
            need[""] -= m[2]
            if m[1] in need:
                need[m[1]] -= m[2]
        return chosen

    # -- many enterprises at once -------------------------------------------------------------
    def gaps_of(self, table: pl.DataFrame) -> list[list[Json]]:
        """`gaps(row)` for every row of an evaluated table, the same lists: computed only for the rows that
        have gaps (a tier's rows not eligible), the choice of score moves made on columns (numpy) and only
        the moves chosen put in words."""
        out: list[list[Json]] = [[] for _ in range(table.height)]
        if self.rs.kind != "tier" or table.height == 0:
            return out
        eligible = table["eligible"] if "eligible" in table.columns else pl.Series([None] * table.height)
        todo = np.flatnonzero(eligible.ne_missing(True).to_numpy())
        if not len(todo):
            return out
        sub = table.select(explained_columns(self.rs, table.columns))[todo]
        rows = list(sub.iter_rows(named=True))
        scoring = "score" in (self.rs.spec or {}) and "pass" in self.rs.spec["score"]
        chosen = _ScoreMoves(self.rs.spec["score"], sub).choose() if scoring else {}
        for k, (i, row) in enumerate(zip(todo.tolist(), rows, strict=True)):
            gaps: list[Json] = []
            for c in self.rs.spec.get("criteria") or []:
                if row.get(f"ok:{c['code']}") is not True:
                    gaps += [g for g, _ in self.condition_gaps(c, row)]
            if row.get("score_ok") is False and row.get("score_or_route") is not True:
                picks = chosen.get(k)
                gaps += self.score_gaps(row) if picks is None else self.score_texts(row, picks)
            out[i] = gaps
        return out

    def score_texts(self, row: Row, picks: list[int]) -> list[Json]:
        """The gaps of the score moves chosen (indices into `_ScoreMoves.moves`, -1: no move closes the gap)."""
        moves = _moves(self.rs.spec["score"])
        out: list[Json] = []
        for k in picks:
            if k < 0:
                out.append({"code": "score", "from": _clean(row.get("score")), "to": None,
                            "text": "仅靠计分项的提升仍不足以达到分数要求，可考虑直通条件"})
                continue
            it, band, case = moves[k]
            cur = row.get(f"pt:{it['code']}") or 0
            if band is not None:
                v = row[f"v:{it['code']}"]
                g, _ = _move(it, row, v, cast(tuple[str, float, str], _edge_target(band, v)), it.get("unit"),
                             it["code"], band["points"] - cur)
                out.append(g)
            else:
                assert case is not None
                out.append({"code": it["code"], "from": cur, "to": case["points"],
                            "text": f"{label(it)}：达到“{case.get('text', case['when'])}”（+{fmt(case['points'] - cur)}分）"})
        return out

    def flat(self, table: pl.DataFrame) -> pl.DataFrame:
        """One row per enterprise-year as `jingkai assess --format csv|xlsx` writes it: the verdict, per
        criterion its points or else pass/fail, the gaps in words; the values of `result(row)` flattened
        (what `flat_results` gives from the JSON report), computed as columns."""
        n = table.height
        if n == 0:
            return pl.DataFrame()

        def col(name: str) -> pl.Series:
            return table[name] if name in table.columns else pl.Series(name, [None] * n)

        cols = [col("uscc"), col("year"),
                (col("eligible") if self.rs.kind == "tier" else pl.Series([None] * n)).alias("eligible"),
                _clean_series(col("score")), col("class")]
        if "stage" in table.columns:
            cols.append(table["stage"])
        for node in self.nodes:
            points = _clean_series(col(f"pt:{node.code}")) if node.has_points else pl.Series([None] * n)
            passed = col(f"ok:{node.code}") if node.role != "item" else pl.Series([None] * n)
            cols.append(_first_of(points, passed).alias(node.code))
        sc = self.rs.spec.get("score") or {}
        for d, f in (sc.get("floors") or {}).items():
            op, th, _ = edges_of(f if isinstance(f, dict) else {"以上": f})[0]
            v = col(f"dim:{d}")
            cols.append(_as_values(v.to_frame("v").select(_holds_expr(op, pl.col("v"), th))["v"]).alias(f"floor:{d}"))
        if "pass" in sc:
            cols.append(_as_values(col("score_ok")).alias("score_pass"))
        if "class" in table.columns and self.rs.spec.get("classes"):
            cols.append(pl.Series("class_position", [None] * n))
        gaps = self.gaps_of(table)
        cols.append(pl.Series("gap", ["；".join(g["text"] for g in r) for r in gaps], dtype=pl.Utf8))
        return pl.DataFrame([_as_values(c) for c in cols])

    def rules(self) -> dict[str, str]:
        """Each flat column's rule in words (the `rule` of its criterion), as `result(row)["criteria"]` gives it."""
        out = {n.code: n.rule for n in self.nodes}
        sc = self.rs.spec.get("score") or {}
        for d, f in (sc.get("floors") or {}).items():
            _, th, word = edges_of(f if isinstance(f, dict) else {"以上": f})[0]
            out[f"floor:{d}"] = f"{d}得分{_phrase(word, th)}"
        if "pass" in sc:
            _, th, word = edges_of(sc["pass"])[0]
            out["score_pass"] = f"评价得分{_phrase(word, th)}"
        if self.rs.spec.get("classes"):
            out["class_position"] = "按得分在同组企业中的位次分类（" + "、".join(
                f"{b['class']}类至前{b['top'] * 100:g}%" for b in self.rs.spec["classes"]["bands"]) + "）"
        return out

    # -- one enterprise -----------------------------------------------------------------------
    def result(self, row: Row, gap: list[Json] | None = None) -> Json:
        return {
            "uscc": row.get("uscc"),
            "year": row.get("year"),
            "eligible": row.get("eligible") if self.rs.kind == "tier" else None,
            "score": _clean(row.get("score")),
            "class": row.get("class"),
            **({"stage": row["stage"]} if "stage" in row else {}),
            "criteria": self.criteria(row),
            "gap": self.gaps(row) if gap is None else gap,
        }


def _phrase(word: str, th: float) -> str:
    return f"{fmt(th)}分{word}" if word in ("以上", "以下") else f"{word}{fmt(th)}分"


def _holds(op: str, v: float, th: float) -> bool:
    return {">=": v >= th, ">": v > th, "<=": v <= th, "<": v < th}[op]


def _shortfall(spec: Spec, value: float) -> float:
    op, th, _ = edges_of(spec)[0]
    return max(0.0, th - value) if op in (">=", ">") else 0.0


def explain_row(rs: RuleSet, row: Row) -> Json:
    return Explainer(rs).result(row)


def header(rs: RuleSet, on: dt.date) -> Json:
    return {"program": rs.program, "version": rs.version, "ruleset": rs.id, "title": rs.title,
            "date": on.isoformat(), "provisional": rs.provisional, "document": rs.provenance.get("document"),
            "effective_from": str(rs.provenance.get("effective_from") or ""),
            "effective_to": str(rs.provenance.get("effective_to") or ""),
            "url": rs.provenance.get("url"), "unverified": rs.unverified}


def assess(rs: RuleSet, df: pl.DataFrame, on: dt.date | None = None) -> Json:
    """The JSON document of `jingkai assess`: header plus one explained result per enterprise-year."""
    on = on or dt.date.today()
    table = evaluate(rs, df, on)
    ex = Explainer(rs)
    gaps = ex.gaps_of(table)
    return {**header(rs, on), "results": [ex.result(r, g) for r, g in zip(table.iter_rows(named=True), gaps, strict=True)]}


# -- columns ---------------------------------------------------------------------------------------
EXPLAINED = ("uscc", "year", "eligible", "score", "score_ok", "score_or_route", "routes_ok", "position", "class",
             "stage", "segment")
STAGE_PREFIXES = ("v:", "ok:", "pt:", "raw:", "dim:")


def explained_columns(rs: RuleSet, columns: list[str]) -> list[str]:
    """The evaluated columns an explanation reads: stage values, verdicts and the inputs that turn a gap
    into an amount (lever bases such as 营业收入)."""
    levers = {n["lever"]["per"] for n in _spec_nodes(rs.spec) if isinstance(n.get("lever"), dict) and "per" in n["lever"]}
    return [c for c in columns if c.startswith(STAGE_PREFIXES) or c in EXPLAINED or c in levers]


def _spec_nodes(obj: Any) -> Any:
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from _spec_nodes(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _spec_nodes(v)


def _clean_series(s: pl.Series) -> pl.Series:
    """`_clean` on a column: NaN → null, floats rounded to 6 places as Python's round does (applied in Python
    to the values that are not whole numbers, the others are their own rounding)."""
    if not s.dtype.is_float():
        return s
    s = s.fill_nan(None)
    frac = (s != s.floor()).fill_null(False).to_numpy()
    if not frac.any():
        return s
    values = s.to_numpy().copy()
    idx = np.flatnonzero(frac)
    values[idx] = [round(float(x), 6) for x in values[idx]]
    return pl.Series(s.name, values, dtype=pl.Float64, nan_to_null=True)  # the nulls were NaN in numpy


def _first_of(points: pl.Series, passed: pl.Series) -> pl.Series:
    """Per row the points, or where there are none the pass/fail: as a column of the row dicts would be typed
    (points alone, pass/fail alone, or both as numbers)."""
    if points.null_count() == len(points):
        return passed
    fill = passed.filter(points.is_null()) if passed.dtype != pl.Null else passed.head(0)
    if fill.null_count() == len(fill):
        return points
    if points.dtype.is_numeric():
        return pl.DataFrame({"p": points, "q": passed.cast(points.dtype)}).select(pl.coalesce("p", "q"))["p"]
    return pl.Series([p if p is not None else q for p, q in zip(points.to_list(), passed.to_list(), strict=True)])


def _as_values(s: pl.Series) -> pl.Series:
    """A column typed as the row dicts' values would be: all nulls as the Null type."""
    return pl.Series(s.name, [None] * len(s)) if s.null_count() == len(s) and s.dtype != pl.Null else s


def _holds_expr(op: str, v: pl.Expr, th: float) -> pl.Expr:
    return {">=": v >= th, ">": v > th, "<=": v <= th, "<": v < th}[op].alias("v")


Move = tuple[Spec, Spec | None, Spec | None]  # (item, band, case)


def _moves(sc: Spec) -> list[Move]:
    """Every move `Explainer.score_gaps` may consider, in its order: per item its bands, then its cases."""
    items = [it for seg in (sc.get("segments") or [{"items": sc["items"]}]) for it in seg["items"]]
    return [m for it in items for m in ([(it, band, None) for band in it.get("bands") or []]
                                        + [(it, None, case) for case in it.get("cases") or []])]


class _ScoreMoves:
    """The greedy choice of `Explainer.score_gaps` made for many rows at once: each round, among the moves of
    items not used yet that help, the cheapest that closes every shortfall, else the most help per cost.
    The same floating-point operations in the same order; rows with NaN values are left to the row-by-row
    path (`choose` has no entry for them)."""

    def __init__(self, sc: Spec, table: pl.DataFrame) -> None:
        self.sc, self.table = sc, table
        self.moves = _moves(sc)
        self.floors = list((sc.get("floors") or {}).items())

    def choose(self) -> dict[int, list[int]]:
        t, n = self.table, self.table.height
        if "score_ok" not in t.columns:
            return {}
        rows = (t["score_ok"].eq_missing(False) & t["score_or_route"].ne_missing(True)).to_numpy() \
            if "score_or_route" in t.columns else t["score_ok"].eq_missing(False).to_numpy()
        K = len(self.moves)
        gain, cost, valid = np.zeros((n, K)), np.zeros((n, K)), np.zeros((n, K), dtype=bool)
        bad = np.zeros(n, dtype=bool)
        items = list(dict.fromkeys(it["code"] for it, _, _ in self.moves))
        item_of = np.array([items.index(it["code"]) for it, _, _ in self.moves], dtype=int)
        dims = [d for d, _ in self.floors]
        dim_of = np.array([dims.index(it["dimension"]) if it.get("dimension") in dims else -1
                           for it, _, _ in self.moves], dtype=int)
        for k, (it, band, case) in enumerate(self.moves):
            pt = self._col(f"pt:{it['code']}")
            if pt is None:
                return {}
            bad |= np.isnan(pt) & ~self.null(f"pt:{it['code']}")
            cur = np.where(self.null(f"pt:{it['code']}") | (pt == 0), 0.0, pt)
            if band is not None:
                v = self._col(f"v:{it['code']}")
                if v is None:
                    return {}
                vnull = self.null(f"v:{it['code']}")
                bad |= np.isnan(v) & ~vnull
                th, hit = np.zeros(n), np.zeros(n, dtype=bool)
                for op, edge, _ in edges_of(band):
                    with np.errstate(invalid="ignore"):
                        broken = ~_holds_np(op, v, edge) & ~hit
                    th = np.where(broken, edge, th)
                    hit |= broken
                gain[:, k] = band["points"] - cur
                valid[:, k] = (band["points"] > cur) & ~vnull & hit
                with np.errstate(invalid="ignore", divide="ignore"):
                    cost[:, k] = np.abs(th - v) / np.maximum(np.maximum(np.abs(v), np.abs(th)), 1e-9)
            else:
                assert case is not None
                gain[:, k] = case["points"] - cur
                valid[:, k] = case["points"] > cur
                cost[:, k] = 1 + (case["points"] - cur) / 100
        need0 = self._need(self.sc["pass"], "score")
        needs = [self._need(f if isinstance(f, dict) else {"以上": f}, f"dim:{d}") for d, f in self.floors]
        if need0 is None or any(x is None for x in needs):
            return {}
        need_d = np.stack(cast(list[np.ndarray], needs), axis=1) if needs else np.zeros((n, 0))
        bad |= np.isnan(need0) | np.isnan(need_d).any(axis=1)
        rows &= ~bad
        used = np.zeros((n, len(items)), dtype=bool)
        picks: dict[int, list[int]] = {int(i): [] for i in np.flatnonzero(rows)}
        active = rows & ((need0 > 0) | (need_d > 0).any(axis=1))
        has_dim = dim_of >= 0
        while active.any():
            idx = np.flatnonzero(active)
            g, n0, nd = gain[idx], need0[idx], need_d[idx]
            useful = np.minimum(g, n0[:, None])
            if has_dim.any():
                useful = useful + np.where(has_dim, np.minimum(g, nd[:, np.maximum(dim_of, 0)]), 0.0) \
                    if nd.shape[1] else useful
            cands = valid[idx] & ~used[idx][:, item_of] & (useful > 0)
            total = np.where(n0 > 0, n0, 0.0)
            for j in range(nd.shape[1]):
                total = total + np.where(nd[:, j] > 0, nd[:, j], 0.0)
            closing = cands & (useful >= total[:, None])
            c = cost[idx]
            by_cost = np.argmin(np.where(closing, c, np.inf), axis=1)
            by_help = np.argmax(np.where(cands, useful / np.maximum(c, 1e-6), -np.inf), axis=1)
            pick = np.where(closing.any(axis=1), by_cost, by_help)
            none = ~cands.any(axis=1)
            for r, k, stop in zip(idx.tolist(), pick.tolist(), none.tolist(), strict=True):
                picks[r].append(-1 if stop else k)
            go = idx[~none]
            k = pick[~none]
            used[go, item_of[k]] = True
            need0[go] -= gain[go, k]
            hd = dim_of[k] >= 0
            need_d[go[hd], dim_of[k][hd]] -= gain[go[hd], k[hd]]
            active[idx[none]] = False
            active[go] = (need0[go] > 0) | (need_d[go] > 0).any(axis=1)
        return picks

    def _col(self, name: str) -> np.ndarray | None:
        if name not in self.table.columns:
            return np.full(self.table.height, np.nan)
        s = self.table[name]
        if not (s.dtype.is_numeric() or s.dtype in (pl.Boolean, pl.Null)):
            return None
        return s.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(float)

    def null(self, name: str) -> np.ndarray:
        if name not in self.table.columns:
            return np.ones(self.table.height, dtype=bool)
        return self.table[name].is_null().to_numpy()

    def _need(self, spec: Spec, name: str) -> np.ndarray | None:
        """`_shortfall(spec, value or 0)`."""
        v = self._col(name)
        if v is None:
            return None
        v = np.where(self.null(name) | (v == 0), 0.0, v)
        op, th, _ = edges_of(spec)[0]
        return np.maximum(0.0, th - v) if op in (">=", ">") else np.zeros(len(v))


def _holds_np(op: str, v: np.ndarray, th: float) -> np.ndarray:
    return {">=": v >= th, ">": v > th, "<=": v <= th, "<": v < th}[op]
