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


def frequency(indicator: str) -> str:
    """month, quarter or year (an indicator not in the catalogue is taken as monthly)."""
    text: str = catalogue().get(indicator, {}).get("frequency", "month")
    return text


def quarterly() -> frozenset[str]:
    """Indicators reported by quarter (一季度, 上半年, 前三季度, 全年), stored at the quarter's last month."""
    return frozenset(k for k, item in catalogue().items() if item.get("frequency") == "quarter")


def merged_jan_feb() -> frozenset[str]:
    """Indicators reported for January and February together (1—2月, stored at February)."""
    return frozenset(k for k, item in catalogue().items() if item.get("merged_jan_feb"))


def real_growth() -> dict[str, str]:
    """{level indicator: its officially reported growth rate at comparable prices}, e.g. gdp → gdp_growth_real."""
    return {item["growth_of"]: k for k, item in catalogue().items() if item.get("growth_of")}


def reported_in_month(indicator: str, month: int) -> bool:
    """Whether a monthly report (1—`month`月) carries the indicator: a quarterly one only in months 3, 6, 9,
    12; one reported 1—2月 merged not in January; an annual one never."""
    freq = frequency(indicator)
    if freq == "year":
        return False
    if freq == "quarter":
        return month % 3 == 0
    return not (month == 1 and indicator in merged_jan_feb())


QUARTER_NAMES = ("一季度", "上半年", "前三季度", "全年")


def period_label(period: str, indicator: str | None = None) -> str:
    """The period as a statistics office writes it for the indicator: 2026年1—9月, 2026年前三季度 (a
    quarterly indicator at month 9 or 2026-Q3), 2026年1—2月 (February, also for merged indicators), 2026年."""
    year, _, rest = period.partition("-")
    if not rest:
        return f"{year}年"
    if rest.startswith("Q"):
        return f"{year}年{QUARTER_NAMES[int(rest[1]) - 1]}"
    month = int(rest)
    if indicator is not None and frequency(indicator) == "quarter" and month % 3 == 0:
        return f"{year}年{QUARTER_NAMES[month // 3 - 1]}"
    return f"{year}年1月" if month == 1 else f"{year}年1—{month}月"
