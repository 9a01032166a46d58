"""Rule engine for enterprise programmes (梯度培育, 亩均, 创新积分, 企业划型): pure Python, no Django.

    rs = select("sme-specialized", on=date(2025, 6, 1))   # the version in force on that date
    table = evaluate(rs, frame, on=...)                    # polars, all enterprises at once
    flat = Explainer(rs).flat(table)                       # the same verdicts flattened, on columns (CSV, xlsx)
    report = assess(rs, frame, on=...)                     # JSON-ready verdicts with explanations and gaps
    keys = input_keys(rs, on=...)                          # the canonical keys the evaluation reads
"""

from .engine import LIST_KEYS, evaluate, input_keys, prepare, prerequisites, rulesets_used, tag_columns
from .explain import Explainer, assess, explain_row, explained_columns, fmt, header
from .expr import RuleError
from .ruleset import RuleSet, parse, programs, registry, select

# The API the Django side uses; the other modules are internal.
__all__ = ["LIST_KEYS", "Explainer", "RuleError", "RuleSet", "assess", "evaluate", "explain_row", "explained_columns", "fmt", "header", "input_keys",
           "parse", "prepare", "prerequisites", "programs", "registry", "rulesets_used", "select", "tag_columns"]
