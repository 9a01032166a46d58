"""Rule engine for enterprise programmes (梯度培育, 亩均, 创新积分, 企业划型): pure Python, no Django.

    rs = select("sme-specialized", on=date(2025, 6, 1))   # the version in force on that date
    table = evaluate(rs, frame, on=...)                    # polars, all enterprises at once
    report = assess(rs, frame, on=...)                     # JSON-ready verdicts with explanations and gaps
"""

from .engine import evaluate, prepare
from .explain import assess, explain_row
from .expr import RuleError
from .ruleset import RuleSet, parse, programs, registry, select

__all__ = ["RuleError", "RuleSet", "assess", "evaluate", "explain_row", "parse", "prepare", "programs",
           "registry", "select"]
