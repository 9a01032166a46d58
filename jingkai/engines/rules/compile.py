"""Turn a rule set into named stages (column name -> expression), written once for both backends.

Column naming: `v:CODE` value used, `ok:CODE` condition met (true/false/null), `pt:CODE` points,
`dim:NAME` dimension subtotal, then `score`, `eligible`, `class`, `stage`, `segment`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from .expr import Backend, BackendExpr, RuleError, compile_expr, names
from .ruleset import RuleSet, Spec, edges_of

DEFAULT_COHORT = ["zone_code", "year"]


@dataclass
class Stage:
    name: str
    expr: BackendExpr
    deps: set[str | None] = field(default_factory=set)


@dataclass
class Node:
    """One line of an explanation: a condition, a route or a scored item."""
    code: str
    rule: str
    role: str  # condition | route | item | prerequisite | class
    spec: Spec
    depth: int = 0
    dimension: str | None = None
    has_value: bool = False
    has_points: bool = False


class Builder:
    def __init__(self, rs: RuleSet, backend: Backend) -> None:
        self.rs, self.b = rs, backend
        self.stages: list[Stage] = []
        self.nodes: list[Node] = []
        self._deps: set[str | None] = set()
        self.priors: set[str] = set()
        self.cohort: list[str] = rs.spec.get("cohort_by", DEFAULT_COHORT)
        self.scope: str | None = None  # `in_scope`: the rows the scheme covers (others get no score, no class)

    # -- primitives ---------------------------------------------------------------------------
    def add(self, name: str, build: Callable[..., BackendExpr]) -> str:  # called with no arguments
        if any(s.name == name for s in self.stages):
            raise RuleError(f"{self.rs.id}: 重复的代码 {name}")
        self._deps = set()
        e = build()
        self.stages.append(Stage(name, e, self._deps))
        return name

    def ref(self, name: str | None) -> BackendExpr:  # None: a stage the rule file lacks
        self._deps.add(name)
        return self.b.col(name)

    def expr(self, text: object, where: str = "") -> BackendExpr:
        if not isinstance(text, bool | int | float):
            self._deps |= names(str(text)) & {s.name for s in self.stages}
        return compile_expr(text, self.b, f"{self.rs.id} {where}")

    def test(self, value: BackendExpr, spec: Spec) -> BackendExpr:
        """The value against the band-edge words of `spec` (all must hold)."""
        edges = edges_of(spec)
        return self.b.all_([self.b.compare(op, value, self.b.lit(th)) for op, th, _ in edges])

    def when_chain(self, pairs: list[tuple[BackendExpr, Any]], default: object) -> BackendExpr:
        out = self.b.lit(default)
        for cond, val in reversed(pairs):
            out = self.b.where(cond, self.b.lit(val) if not callable(val) and not hasattr(val, "alias") else val, out)
        return out

    # -- conditions ---------------------------------------------------------------------------
    def condition(self, node: Spec, role: str = "condition", depth: int = 0) -> str:
        if "code" not in node:
            raise RuleError(f"{self.rs.id}: 条件缺少 code: {node}")
        code: str = node["code"]
        meta = Node(code, node.get("rule", code), role, node, depth)
        self.nodes.append(meta)
        b = self.b
        if "any" in node or "all" in node:
            kids = [self.condition(c, role, depth + 1) for c in cast(list[Spec], node.get("any") or node.get("all"))]
            join = b.any_ if "any" in node else b.all_
            return self.add(f"ok:{code}", lambda: join([self.ref(k) for k in kids]))
        if "prerequisite" in node:
            meta.role = "prerequisite"
            pre = node["prerequisite"]
            tags = pre.get("tags", [])
            prior = pre.get("program")
            if prior:
                self.priors.add(prior)

            def build() -> BackendExpr:
                held = b.any_([self.expr(f"has_tag({t!r})") for t in tags]) if tags else b.lit(False)
                if not prior:
                    return held
                # meets the lower tier now but not yet recognised: undecided (null), not a pass
                meets = b.compare("==", b.col(f"_prior__{prior}"), b.lit(True))
                return b.where(held, b.lit(True), b.where(meets, b.lit(None), b.lit(False)))
            return self.add(f"ok:{code}", build)
        if "value" in node:
            meta.has_value = True
            v = self.add(f"v:{code}", lambda: b.denoise(self.expr(node["value"], code)))
            if not edges_of(node):
                raise RuleError(f"{self.rs.id} {code}: 条件缺少界限（以上/不低于/超过/以下/不超过/不足/低于）")
            return self.add(f"ok:{code}", lambda: self.test(self.ref(v), node))
        if "when" in node:
            if "show" in node:
                meta.has_value = True
                self.add(f"v:{code}", lambda: self.expr(node["show"], code))
            return self.add(f"ok:{code}", lambda: self.expr(node["when"], code))
        raise RuleError(f"{self.rs.id} {code}: 条件须有 value+界限、when、any/all 或 prerequisite")

    # -- scored items -------------------------------------------------------------------------
    def item(self, node: Spec, segment_ok: str | None, stage_col: str | None) -> str:
        code: str = node["code"]
        meta = Node(code, node.get("rule", code), "item", node, 0, node.get("dimension"), "value" in node, True)
        self.nodes.append(meta)
        b = self.b
        mask: Callable[[BackendExpr], BackendExpr] = (
            (lambda e: b.where(self.ref(segment_ok), e, b.lit(None))) if segment_ok else (lambda e: e))
        v: str | None = None
        if "value" in node:
            numeric = any(k in node for k in ("bands", "benchmark", "minmax"))
            den: Callable[[BackendExpr], BackendExpr] = b.denoise if numeric else (lambda e: e)  # category values (e.g. 研发机构级别) are shown as is
            v = self.add(f"v:{code}", lambda: mask(den(self.expr(node["value"], code))))

        def weight() -> BackendExpr:
            w = node.get("weight", 1)
            if isinstance(w, dict):
                return self.when_chain([(b.compare("==", self.ref(stage_col), b.lit(s)), x) for s, x in w.items()], 0)
            return b.lit(w)

        def build() -> BackendExpr:
            if "bands" in node:
                pairs = [(self.test(self.ref(v), band), band["points"]) for band in node["bands"]]
                chain = self.when_chain(pairs, node.get("else", 0))
                return b.where(b.call("isnull", [self.ref(v)]), b.lit(None), chain)
            if "cases" in node:
                pairs = [(self.expr(c["when"], code), c["points"]) for c in node["cases"]]
                return self.when_chain(pairs, node.get("else", 0))
            if "formula" in node:
                return self.expr(node["formula"], code)
            if "benchmark" in node:
                cap, floor = self.bounds(node)
                bench = self.benchmark(node["benchmark"], v, code)
                ratio = b.arith("div", self.ref(v), bench)
                if not isinstance(node["benchmark"], int | float):
                    # ratio-to-mean with a cohort benchmark ≤ 0 would flip the order (a −10% firm over a +10%
                    # one under a −5% mean): refused; the file's order-keeping fallback scores instead
                    ratio = b.where(b.compare(">", bench, b.lit(0)), ratio, self.fallback(node, v, cap))
                if cap is not None:
                    ratio = b.call("min", [ratio, b.lit(cap)])
                if floor is not None:
                    ratio = b.call("max", [ratio, b.lit(floor)])
                return b.arith("mul", ratio, weight())
            if "minmax" in node:
                mm = node["minmax"]
                by = mm.get("by", self.cohort)
                lo, hi = b.agg("min", self.ref(v), by), b.agg("max", self.ref(v), by)
                rel = b.where(b.compare(">", hi, lo), b.arith("div", b.arith("sub", self.ref(v), lo),
                                                               b.arith("sub", hi, lo)), b.lit(1.0))
                floor = mm.get("floor", 0)
                pct = b.arith("add", b.lit(floor), b.arith("mul", b.lit(100 - floor), rel))
                return b.arith("div", b.arith("mul", pct, weight()), b.lit(100))
            raise RuleError(f"{self.rs.id} {code}: 计分项须有 bands/cases/formula/benchmark/minmax")

        def limited() -> BackendExpr:
            e = build()
            if "max" in node and "bands" not in node and "cases" not in node:
                e = b.call("min", [e, b.lit(node["max"])])
            return mask(e)
        raw = self.add(f"raw:{code}", limited)
        if node.get("missing") == "cohort_mean":
            # 规上无排放数据的，该项得分按同组（同一分段）企业该项平均得分赋分
            def fill() -> BackendExpr:
                mean = b.agg("mean", self.ref(raw), self.cohort + ([segment_ok] if segment_ok else []))
                return mask(b.call("coalesce", [self.ref(raw), mean]))
            return self.add(f"pt:{code}", fill)
        return self.add(f"pt:{code}", lambda: self.ref(raw))

    def bounds(self, node: Spec) -> tuple[float | None, float | None]:
        """(cap, floor) of an item's ratio: its own, else the file's `score.item_bounds` (a platform default
        where the scheme is silent; the file says so)."""
        default = (self.rs.spec.get("score") or {}).get("item_bounds") or {}
        return node.get("cap", default.get("cap")), node.get("floor", default.get("floor"))

    def fallback(self, node: Spec, v: str | None, cap: float | None) -> BackendExpr:
        """The order-keeping rule stated in the file (`score.benchmark_fallback`) for a cohort whose benchmark
        is ≤ 0: min–max within the cohort, 0 … the cap (1 without a cap); a cohort of one gets 1."""
        b = self.b
        fb = (self.rs.spec.get("score") or {}).get("benchmark_fallback")
        if not fb:
            return b.lit(None)  # refused and no fallback stated: no points rather than reversed ones
        if fb.get("method") != "minmax":
            raise RuleError(f"{self.rs.id}: benchmark_fallback.method 只支持 minmax（同组最小—最大值换算）")
        spec = node["benchmark"]
        by = spec.get("by", self.cohort)
        lo, hi = b.agg("min", self.ref(v), by), b.agg("max", self.ref(v), by)
        top = b.lit(cap if cap is not None else 1.0)
        rel = b.where(b.compare(">", hi, lo), b.arith("div", b.arith("sub", self.ref(v), lo), b.arith("sub", hi, lo)),
                      b.lit(1.0))
        return b.arith("mul", rel, top)

    def benchmark(self, spec: Spec | float, v: str | None, code: str = "") -> BackendExpr:
        b = self.b
        if isinstance(spec, int | float):
            if spec <= 0:
                raise RuleError(f"{self.rs.id} {code}: 基准值须大于0（得 {spec}），比值计分不能以≤0的基准计算")
            return b.lit(spec)
        by = spec.get("by", self.cohort)
        stat = spec.get("stat", "mean")
        base = b.agg("quantile", self.ref(v), by, spec["q"]) if stat == "quantile" else b.agg(stat, self.ref(v), by)
        return b.arith("mul", base, b.lit(spec.get("k", 1)))

    # -- whole rule set -----------------------------------------------------------------------
    def build(self) -> Builder:
        b, spec = self.b, self.rs.spec
        for name, text in (spec.get("derive") or {}).items():
            self.add(name, lambda text=text, name=name: self.expr(text, name))
        if "scope" in spec:
            self.scope = self.add("in_scope", lambda: b.compare(
                "==", self.expr(scope_condition(spec["scope"]), "scope"), b.lit(True)))
        stage_col: str | None = None
        if "stages" in spec:
            stages = spec["stages"]
            stage_col = self.add("stage", lambda: self.when_chain(
                [(self.expr(s.get("when", True), "stages"), s["name"]) for s in stages], None))
        oks = [self.condition(c) for c in spec.get("criteria") or []]
        routes = [self.condition(r, "route") for r in spec.get("routes") or []]
        checks = list(oks)
        score_spec = spec.get("score")
        if score_spec and (passed := self.score(score_spec, stage_col)):
            checks.append(passed)
        if "score_from" in spec and not score_spec:
            # a tier judged on a score it is given (专精特新 2026: 发展评价得分 ≥ 50): that value is its 得分
            src = f"v:{spec['score_from']}"
            if not any(s.name == src for s in self.stages):
                raise RuleError(f"{self.rs.id}: score_from 须指向带 value 的条件（{spec['score_from']} 不是）")
            self.add("score", lambda: self.ref(src))
        if routes and not score_spec:
            checks.append(self.add("routes_ok", lambda: b.any_([self.ref(r) for r in routes])))
        if "classify" in spec:
            self.classify(spec["classify"])
        if "classes" in spec:
            self.classes(spec["classes"])
        if spec["kind"] == "tier":
            self.add("eligible", lambda: b.all_([self.ref(c) for c in checks]) if checks else b.lit(None))
        return self

    def score(self, sc: Spec, stage_col: str | None) -> str | None:
        b = self.b
        segments = sc.get("segments") or [{"code": None, "items": sc["items"]}]
        totals: list[tuple[str | None, list[str]]] = []
        dims: dict[str, list[str]] = {}
        for seg in segments:
            seg_ok: str | None = self.scope
            if seg.get("code"):
                seg_ok = self.add(f"seg:{seg['code']}", lambda seg=seg: b.all_(
                    [b.compare("==", self.expr(seg["when"], seg["code"]), b.lit(True))]
                    + ([self.ref(self.scope)] if self.scope else [])))
            pts = [self.item(it, seg_ok, stage_col) for it in seg["items"]]
            for it, p in zip(seg["items"], pts, strict=True):
                if it.get("dimension"):
                    dims.setdefault(it["dimension"], []).append(p)
            totals.append((seg_ok, pts))
        for d, pts in dims.items():
            self.add(f"dim:{d}", lambda pts=pts: b.total([self.ref(p) for p in pts]))
        if len(segments) > 1:
            self.add("segment", lambda: self.when_chain(
                [(self.ref(s), seg["code"]) for (s, _), seg in zip(totals, segments, strict=True)], None))

        def total() -> BackendExpr:
            if len(totals) == 1:
                whole = b.total([self.ref(p) for p in totals[0][1]])
                return b.where(self.ref(self.scope), whole, b.lit(None)) if self.scope else whole
            return self.when_chain([(self.ref(s), b.total([self.ref(p) for p in pts])) for s, pts in totals], None)
        self.add("score", total)
        if "pass" not in sc:
            return None
        floors = sc.get("floors") or {}

        def score_ok() -> BackendExpr:
            parts = [self.test(self.ref("score"), sc["pass"])]
            parts += [self.test(self.ref(f"dim:{d}"), f if isinstance(f, dict) else {"以上": f}) for d, f in floors.items()]
            return b.all_(parts)
        self.add("score_ok", score_ok)
        routes = [s.name for s in self.stages if s.name.startswith("ok:") and self._is_route(s.name)]
        return self.add("score_or_route", lambda: b.any_([self.ref("score_ok")] + [self.ref(r) for r in routes]))

    def _is_route(self, stage_name: str) -> bool:
        code = stage_name[3:]
        return any(n.code == code and n.role == "route" and n.depth == 0 for n in self.nodes)

    def classes(self, cl: Spec) -> None:
        """Percentile classes within the cohort; ties share the better class; exempt rows get T."""
        b = self.b
        by = cl.get("by", self.cohort)
        ex = cl.get("exempt")
        self.add("exempt", lambda: b.compare("==", self.expr(ex, "exempt"), b.lit(True)) if ex else b.lit(False))
        def outside(e: BackendExpr) -> BackendExpr:  # outside the scheme's scope: no class, not even T
            return b.where(self.ref(self.scope), e, b.lit(None)) if self.scope else e
        self.add("ranked", lambda: b.where(self.ref("exempt"), b.lit(None), self.ref("score")))
        self.add("rank", lambda: b.rank_desc(self.ref("ranked"), by))
        self.add("cohort_n", lambda: b.agg("count", self.ref("ranked"), by))
        self.add("position", lambda: b.denoise(b.arith("div", self.ref("rank"), self.ref("cohort_n"))))

        def cls() -> BackendExpr:
            pairs = [(b.compare("<=", self.ref("position"), b.lit(band["top"])), band["class"]) for band in cl["bands"]]
            exempt_class = cl.get("exempt_class", "T")
            return outside(b.where(self.ref("exempt"), b.lit(exempt_class), self.when_chain(pairs, None)))
        self.add("class", cls)

    def classify(self, cf: Spec) -> None:
        """First matching segment, then the first matching class inside it (e.g. 工业 → 中型)."""
        b = self.b
        segs = cf["segments"]
        self.add("segment", lambda: self.when_chain(
            [(self.expr(s.get("when", True), s["name"]), s["name"]) for s in segs], None))

        def cls() -> BackendExpr:
            pairs = []
            for s in segs:
                inner = self.when_chain([(self.expr(c["when"], s["name"]), c["class"]) for c in s["classes"]],
                                        s.get("else"))
                needed = sorted(set().union(*(names(c["when"]) for c in s["classes"])))
                gaps = b.any_([b.call("isnull", [self.b.col(k)]) for k in needed])
                inner = b.where(gaps, b.lit(None), inner)  # missing data: no class rather than the lowest
                pairs.append((b.compare("==", self.ref("segment"), b.lit(s["name"])), inner))
            return self.when_chain(pairs, None)
        self.add("class", cls)


def scope_condition(scope: Spec) -> str:
    """The rows a scheme covers: its `when`, else its GB/T 4754 门类 (`sections: [B, C, D]`)."""
    if scope.get("when"):
        return str(scope["when"])
    sections = scope.get("sections")
    if not sections:
        raise RuleError("scope 须写 sections（GB/T 4754 门类）或 when")
    return f"startswith(industry_code, {', '.join(repr(str(x)) for x in sections)})"


def compile_ruleset(rs: RuleSet, backend: Backend) -> Builder:
    return Builder(rs, backend).build()


def levels(stages: list[Stage]) -> list[list[Stage]]:
    """Group stages so that each group depends only on earlier groups (polars evaluates a group in parallel)."""
    level: dict[str, int] = {}
    for s in stages:
        level[s.name] = 1 + max((level[d] for d in s.deps if d in level), default=-1)
    out: list[list[Stage]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for s in stages:
        out[level[s.name]].append(s)
    return out
