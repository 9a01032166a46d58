"""Inspection planning engine (issue 14): 双随机一公开 draws by credit class, frequency caps, 综合查一次.

Pure Python (numpy/polars), no Django: `jingkai inspections plan` and the inspections app call it with rows.
"""

from .plan import (
                   ALGORITHM,
                   ENTERPRISE_COLUMNS,
                   INSPECTOR_COLUMNS,
                   ITEM_COLUMNS,
                   VISIT_COLUMNS,
                   DataError,
                   Period,
                   draw_stratum,
                   parse_period,
                   plan,
                   read_table,
                   sample_size,
)
from .rules import CLASSES, DEFAULT, UNCLASSIFIED, Rules, RulesError, load
from .workdays import add_working_days, is_workday, working_days

__all__ = ["ALGORITHM", "ENTERPRISE_COLUMNS", "INSPECTOR_COLUMNS", "ITEM_COLUMNS", "VISIT_COLUMNS", "CLASSES", "DEFAULT", "UNCLASSIFIED", "DataError", "Period", "Rules", "RulesError",
           "add_working_days", "draw_stratum", "is_workday", "load", "parse_period", "plan", "read_table",
           "sample_size", "working_days"]
