"""Explained verdicts: per criterion the rule, the value used, pass/fail or points; and the smallest gaps."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

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

    # -- one enterprise -----------------------------------------------------------------------
    def result(self, row: Row) -> Json:
        return {
            "uscc": row.get("uscc"),
            "year": row.get("year"),
            "eligible": row.get("eligible") if self.rs.kind == "tier" else None,
            "score": _clean(row.get("score")),
            "class": row.get("class"),
            **({"stage": row["stage"]} if "stage" in row else {}),
            "criteria": self.criteria(row),
            "gap": self.gaps(row),
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
    return {**header(rs, on), "results": [ex.result(r) for r in table.iter_rows(named=True)]}
