"""Stored results in words: conclusions, criteria rows, gaps and the chart data of the programme pages.

What a user reads of a result follows the enterprise fact tables their unit may read (`OrgUnit.year_tables`,
`Scope.reads_table`): a criterion's or item's value, and the gap that states it, show as 无权查看 when the value is
computed from a table the user may not read; pass/fail, points, score and class stay visible."""

from __future__ import annotations

from functools import cache
from typing import Any

from jingkai.accounts.scope import Scope
from jingkai.engines.rules import RuleSet, fmt
from jingkai.engines.rules.engine import inputs_of
from jingkai.engines.rules.ruleset import Spec
from jingkai.enterprises.models import TABLE_OF, Enterprise, RdInstitution
from jingkai.programmes.models import ProgrammeResult
from jingkai.programmes.selectors import TIERS, ruleset_of, zone_counts
from jingkai.programmes.services import SCORE_BANDS, explain, explainer, result_gap

CATEGORY_LABELS = dict(Enterprise.Size.choices) | dict(RdInstitution.choices)
ROLE_LABELS = {"route": "直通条件", "prerequisite": "前置条件", "floor": "分项得分要求", "score": "总分要求",
               "class": "分类", "item": "计分项"}


NO_ACCESS = "无权查看"


def _keys_read(spec: Spec, derive: dict[str, str]) -> frozenset[str]:
    """The canonical keys a criterion or item reads (derived values followed to what they are derived from, a
    gap's lever base included)."""
    def reads(s: Spec) -> set[str]:
        return inputs_of(RuleSet("", "", "", "", {}, {"node": s, "cohort_by": []}))[0]

    lever = spec.get("lever")
    keys = reads(spec) | ({lever[k] for k in ("key", "per") if k in lever} if isinstance(lever, dict) else set())
    todo = keys & derive.keys()
    while todo:
        name = todo.pop()
        more = reads({"value": derive[name]})
        todo |= (more - keys) & derive.keys()
        keys |= more
    return frozenset(keys)


@cache
def _node_keys(ruleset_id: str) -> dict[str, frozenset[str]]:
    """Criterion or item code → the canonical keys its value reads, for one rule-set version."""
    ex = explainer(ruleset_id)
    derive = ex.rs.spec.get("derive") or {}
    return {n.code: _keys_read(n.spec, derive) for n in ex.nodes}


def withheld(run: Any, scope: Scope) -> frozenset[str]:
    """The codes of the run's criteria and items whose value `scope` may not read: computed from an enterprise
    fact table its unit is not set to read. Empty for everyone who reads every table."""
    if scope.year_tables is None or ruleset_of(run) is None:
        return frozenset()
    return frozenset(code for code, keys in _node_keys(run.ruleset).items()
                     if any(k in TABLE_OF and not scope.reads_table(TABLE_OF[k].key()) for k in keys))


def gap_text(gap: dict, run: Any, hidden: frozenset[str]) -> str:
    if gap.get("code") not in hidden:
        return gap["text"]
    node = explainer(run.ruleset).by_code[gap["code"]]
    return f"{node.rule}：{NO_ACCESS}（数值来自本单位未开放的数据表）"


def class_labels(rs: RuleSet | None) -> list[tuple[str, str]]:
    """[(class, “A类 · 优先发展类”)] in the rule file's order, the exempt class last."""
    if rs is None or "classes" not in rs.spec:
        return []
    cl = rs.spec["classes"]
    policy = cl.get("policy") or {}
    codes = [b["class"] for b in cl["bands"]] + [cl.get("exempt_class", "T")]
    return [(c, f"{c}类 · {policy[c]['category']}" if c in policy else f"{c}类") for c in codes]


def stages(rs: RuleSet | None) -> list[str]:
    return [s["name"] for s in rs.spec.get("stages") or []] if rs else []


def is_tier(program: str, rs: RuleSet | None) -> bool:
    return program in TIERS or bool(rs and rs.kind == "tier")


def conclusion(r: ProgrammeResult, rs: RuleSet | None) -> str:
    return conclusion_of(is_tier(r.run.program, rs), rs, r.eligible, r.klass, r.score, r.stage)


def conclusion_of(tier: bool, rs: RuleSet | None, eligible: bool | None, klass: str | None, score: float | None,
                  stage: str) -> str:
    """A result's conclusion from its column values (`tier`: `is_tier` of its run)."""
    if tier:
        return {True: "符合", False: "不符合", None: "待定"}[eligible]
    if klass:
        return dict(class_labels(rs)).get(klass, f"{klass}类")
    if score is not None:
        return f"{fmt(score)}分" + (f"（{stage}）" if stage else "")
    return "无法评价（数据不足）"


def gap_texts(r: ProgrammeResult, hidden: frozenset[str] = frozenset()) -> list[str]:
    """The gaps in words; those stating a value of `hidden` (see `withheld`) say 无权查看 instead of the figures."""
    return [gap_text(g, r.run, hidden) for g in result_gap(r)]


def row(r: ProgrammeResult, rs: RuleSet | None, hidden: frozenset[str] = frozenset()) -> dict:
    return {"result": r, "enterprise": r.enterprise, "zone": r.zone, "conclusion": conclusion(r, rs),
            "gaps": gap_texts(r, hidden) if r.eligible is not True else []}


def value_text(c: dict, has_value: bool = True) -> str:
    """The value used, in words; “—” where the rule reads no single value (groups, tags, point cases)."""
    v = c.get("value")
    if v is None:
        return "无数据" if has_value else "—"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, str):
        return CATEGORY_LABELS.get(v, v)
    if c.get("role") == "class":
        return f"位于前 {v * 100:.1f}%"
    return fmt(v, c.get("unit"))


def verdict(r: ProgrammeResult, rs: RuleSet | None, scope: Scope) -> dict:
    """One programme's explained verdict for the enterprise fragment: the values `scope` may not read (see
    `withheld`) as 无权查看, in the criteria and in the gaps."""
    if rs is None:  # the rule file was removed since the run: the stored figures only (none to a restricted unit)
        return {"result": r, "rs": None, "conclusion": conclusion(r, None), "criteria": [],
                "gaps": r.gap if scope.year_tables is None else []}
    ex = explain(r)
    nodes = explainer(r.run.ruleset).by_code
    hidden = withheld(r.run, scope)

    def shown(c: dict) -> str:
        text = value_text(c, c["code"] not in nodes or nodes[c["code"]].has_value)
        return NO_ACCESS if c["code"] in hidden and text != "—" else text

    criteria = [{**c, "value_text": shown(c), "role_text": ROLE_LABELS.get(c.get("role"), ""),
                 "points_text": None if c.get("points") is None else fmt(c["points"])} for c in ex["criteria"]]
    gaps = [{**g, "text": gap_text(g, r.run, hidden)} for g in ex["gap"]] if r.eligible is not True else []
    return {"result": r, "rs": rs, "conclusion": conclusion(r, rs), "criteria": criteria, "gaps": gaps}


def chart(slug, page, runs: dict, zones, scope) -> dict:
    """ECharts data: per zone, eligible per tier (SME), class counts (亩均) or score bands (创新积分)."""
    names = [z.name for z in zones]
    series = []
    if slug == "sme":
        for program, run in runs.items():
            if run is None:
                continue
            counts = zone_counts(scope, run)
            series.append({"name": TIERS[program][0], "data": [counts.get(z.code, {}).get("eligible", 0) for z in zones]})
        title, unit = "各园区符合认定条件的企业数", "家"
    else:
        run = next(iter(runs.values()))
        if slug == "mujun":
            for c, label in class_labels(ruleset_of(run)):
                series.append({"name": label, "stack": "class",
                               "data": [run.zone_summary(z.code).classes.get(c, 0) for z in zones]})
            title, unit = "各园区亩均效益分类", "家"
        else:
            for _, label in SCORE_BANDS:
                series.append({"name": label, "stack": "band",
                               "data": [run.zone_summary(z.code).bands.get(label, 0) for z in zones]})
            title, unit = "各园区创新积分分布（分段仅用于展示）", "家"
    return {"id": f"chart-{slug}", "title": title, "unit": unit, "categories": names, "series": series}
