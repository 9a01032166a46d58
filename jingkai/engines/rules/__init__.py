"""Rule engine for enterprise programmes (梯度培育, 亩均, 创新积分, 企业划型): pure Python, no Django.

    rs = select("sme-specialized", on=date(2025, 6, 1))   # the version in force on that date
    table = evaluate(rs, frame, on=...)                    # polars, all enterprises at once
    report = assess(rs, frame, on=...)                     # JSON-ready verdicts with explanations and gaps
    keys = input_keys(rs, on=...)                          # the canonical keys the evaluation reads
"""

from .engine import evaluate, input_keys, prepare, rulesets_used
from .explain import assess, explain_row
from .expr import RuleError
from .ruleset import RuleSet, parse, programs, registry, select

__all__ = ["RuleError", "RuleSet", "assess", "evaluate", "explain_row", "input_keys", "parse", "prepare", "programs",
           "registry", "rulesets_used", "select"]
