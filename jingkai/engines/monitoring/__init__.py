"""Economic monitoring engine (issue 6): derived figures of cumulative zone data and data-quality rules.

Pure Python (polars/numpy), no Django: the CLI, the review pages and the bulletin call it with rows.
"""

from .checks import CheckConfig, check
from .derive import aggregate, derive, to_records, view
from .frame import DataError, canonical, read_csv

__all__ = ["CheckConfig", "DataError", "aggregate", "canonical", "check", "derive", "read_csv", "to_records", "view"]
