"""Economic monitoring engine (issue 6): derived figures of cumulative zone data and data-quality rules.

Pure Python (polars/numpy), no Django: the CLI, the review pages and the bulletin call it with rows.
"""

from .catalogue import default_flows
from .catalogue import label as indicator_label
from .catalogue import unit as indicator_unit
from .checks import CheckConfig, check
from .derive import EXTREME_RATE, aggregate, derive, to_records, view
from .frame import DataError, canonical, read_csv

# The API the Django side uses; the other modules are internal.
__all__ = ["EXTREME_RATE", "CheckConfig", "DataError", "aggregate", "canonical", "check", "default_flows", "derive",
           "indicator_label", "indicator_unit", "read_csv", "to_records", "view"]
