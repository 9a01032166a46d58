"""Indicator names, units and kinds for messages and defaults, read from the zone indicator catalogue.

The catalogue file (jingkai/zones/data/indicators.yaml) is plain YAML; reading it keeps one list of
indicators for the database and the engine. Kinds:
- flow: reported cumulative from January (1—n月累计); 当月值 is the difference of two cumulatives.
- ratio: a fraction or an intensity (unit `fraction` or `x/y`); a share of the province makes no sense.
- anything else is a stock (a count at the end of the period).
"""

from functools import cache
from pathlib import Path
from typing import Any

import yaml

CATALOGUE = Path(__file__).resolve().parents[2] / "zones" / "data" / "indicators.yaml"


@cache
def catalogue() -> dict[str, dict[str, Any]]:
    with CATALOGUE.open(encoding="utf-8") as fh:
        return {item["key"]: item for item in yaml.safe_load(fh)}


def label(indicator: str) -> str:
    name: str = catalogue().get(indicator, {}).get("name", indicator)
    return name


def unit(indicator: str) -> str:
    text: str = catalogue().get(indicator, {}).get("unit", "")
    return text


def lower_is_better() -> frozenset[str]:
    """The indicators ranked smallest first (catalogue `direction: -1`: energy, CO₂, water per value added …)."""
    return frozenset(k for k, item in catalogue().items() if item.get("direction") == -1)


def may_be_negative() -> frozenset[str]:
    """Amounts that can fall below zero (no `lower_bound`, or a negative one: value added, profit-like), for
    which a negative base is a loss (由亏转盈 / 增亏 / 减亏); ratios excluded."""
    ratios = default_ratios()
    return frozenset(k for k, item in catalogue().items()
                     if (item.get("lower_bound") is None or item["lower_bound"] < 0) and k not in ratios)


def default_flows() -> frozenset[str]:
    """The money flows reported cumulative from January (gdp, industrial_output, … high_tech_trade)."""
    return frozenset(k for k, item in catalogue().items() if item.get("cumulative"))


def default_ratios() -> frozenset[str]:
    return frozenset(k for k, item in catalogue().items() if item["unit"] == "fraction" or "/" in item["unit"])
