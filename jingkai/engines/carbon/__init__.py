"""Carbon accounting engine (issue 15): dated emission factors and GB/T 2589 coefficients as versioned data,
energy (tce, 当量值/等价值) and CO₂ by source with explicit units, 零碳园区 1+5 readiness and what-if.

Pure Python (numpy/polars/pint), no Django: `jingkai carbon account|zero-carbon` and the carbon app call it.
"""

from .account import (
           COLUMNS,
           OPTIONAL,
           SOURCE_NAMES,
           SOURCES,
           Account,
           DataError,
           account,
           carrier_tce,
           read_table,
           records,
           to_json,
)
from .factors import FACTOR_DIR, FactorError, FactorSet, Selection, available, load, load_pinned
from .units import UnitError, product_scale, scale
from .zero_carbon import Thresholds, Zone, assess, assess_all, read_zones, what_if, zones
from .zero_carbon import load as load_thresholds

__all__ = ["SOURCE_NAMES", "COLUMNS", "FACTOR_DIR", "OPTIONAL", "SOURCES", "Account", "DataError", "FactorError", "FactorSet",
           "Selection", "Thresholds", "UnitError", "Zone", "account", "assess", "carrier_tce", "assess_all", "available", "load",
           "load_pinned", "load_thresholds", "product_scale", "read_table", "read_zones", "records", "scale",
           "to_json", "what_if", "zones"]
