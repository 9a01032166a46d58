"""Aggregations for the pages and charts. Every query starts from a scope-filtered selector."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Substr

from jingkai.accounts.scope import Scope
from jingkai.enterprises.models import Enterprise
from jingkai.enterprises.selectors import enterprise_list
from jingkai.zones.models import Indicator, Zone
from jingkai.zones.periods import Period, parse_period
from jingkai.zones.selectors import indicator_value_list, zone_list

GANSU = "甘肃省"
# The overview's key figures, monthly and cumulative from January.
KEY_INDICATORS = ["industrial_output", "fixed_asset_investment", "trade_total", "fdi_actual_usd", "tax_revenue"]
MONTHLY_PERIOD = r"^[0-9]{4}-[0-9]{2}$"


def short_name(zone: Zone) -> str:
    return zone.name.replace("经济技术开发区", "经开区")


@dataclass
class Figure:
    indicator: Indicator
    value: float | None
    previous: float | None  # same period of the previous year

    @property
    def yoy(self) -> float | None:
        if self.value is None or not self.previous:
            return None
        return self.value / self.previous - 1


def gansu_national_zones(scope: Scope):
    """In the usual order: by approval year (兰州, 金昌, 天水, 张掖)."""
    return zone_list(scope, level=Zone.Level.NATIONAL, province=GANSU).order_by("approved_year", "code")


def monthly_values(scope: Scope, zones, keys: list[str]) -> dict[tuple[int, str], dict[str, float]]:
    """{(zone_id, indicator key): {period: value}} for the monthly periods of the given zones."""
    rows = (indicator_value_list(scope).filter(zone__in=zones, indicator__key__in=keys, period__regex=MONTHLY_PERIOD)
            .values_list("zone_id", "indicator__key", "period", "value"))
    table: dict[tuple[int, str], dict[str, float]] = defaultdict(dict)
    for zone_id, key, period, value in rows:
        table[zone_id, key][period] = value
    return table


def latest_period(table: dict[tuple[int, str], dict[str, float]]) -> Period | None:
    periods = [p for values in table.values() for p in values]
    return parse_period(max(periods)) if periods else None


def period_end(period: Period) -> tuple[int, int, int]:
    """Sort key by the month a period ends in; a year (ends in December) after its 1—12月 value."""
    month = period.month or (period.quarter * 3 if period.quarter else 12)
    return period.year, month, 0 if period.month else 1


def same_period_last_year(period: Period) -> str:
    return str(Period(period.year - 1, period.quarter, period.month))


def key_figures(table, zones, indicators: list[Indicator], period: Period | None) -> dict[int, list[Figure]]:
    figures: dict[int, list[Figure]] = {}
    for zone in zones:
        figures[zone.id] = [
            Figure(ind, table[zone.id, ind.key].get(str(period)) if period else None,
                   table[zone.id, ind.key].get(same_period_last_year(period)) if period else None)
            for ind in indicators
        ]
    return figures


def month_label(month: int) -> str:
    return "1月" if month == 1 else f"1—{month}月"


def trend_chart(table, zones, indicator: Indicator, year: int) -> dict:
    """ECharts data: one solid line per zone for `year`, a dashed one for the year before."""
    series = []
    for zone in zones:
        for y, dashed in ((year, False), (year - 1, True)):
            values = table.get((zone.id, indicator.key), {})
            data = [values.get(f"{y}-{m:02d}") for m in range(1, 13)]
            series.append({"name": short_name(zone), "year": y, "dashed": dashed,
                           "data": data})
    return {"id": f"chart-{indicator.key}", "title": indicator.name, "unit": indicator.unit, "x": [month_label(m) for m in range(1, 13)],
            "subtitle": f"按年累计 · 实线 {year} 年，虚线 {year - 1} 年", "series": series}


def indicator_catalogue(keys: list[str] | None = None) -> list[Indicator]:
    indicators = Indicator.objects.select_related("source_department")
    if keys is not None:
        by_key = {i.key: i for i in indicators.filter(key__in=keys)}
        return [by_key[k] for k in keys if k in by_key]
    return list(indicators)


@dataclass
class LatestValue:
    indicator: Indicator
    period: Period | None
    value: float | None
    previous: float | None

    @property
    def yoy(self) -> float | None:
        return Figure(self.indicator, self.value, self.previous).yoy

    @property
    def points(self) -> float | None:
        """For a ratio, the change against the same period a year before (in fractions: 0.001 = 0.1 个百分点)."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def zone_latest_values(scope: Scope, zone: Zone) -> tuple[list[LatestValue], dict]:
    """For every catalogue indicator: its latest value for the zone (with the same period a year before);
    and {indicator key: {period: value}} for the charts."""
    history: dict[str, dict[str, float]] = defaultdict(dict)
    for key, period, value in indicator_value_list(scope, zone_code=zone.code).values_list(
            "indicator__key", "period", "value"):
        history[key][period] = value
    latest = []
    for indicator in indicator_catalogue():
        values = history.get(indicator.key, {})
        periods = [p for p in map(parse_period, values) if p]
        period = max(periods, key=period_end) if periods else None
        latest.append(LatestValue(indicator, period, values.get(str(period)) if period else None,
                                  values.get(same_period_last_year(period)) if period else None))
    return latest, history


def enterprise_counts(scope: Scope, zone: Zone) -> dict:
    enterprises = enterprise_list(scope, zone_code=zone.code)
    sizes = dict(enterprises.order_by().values_list("size_class").annotate(n=Count("id")))
    by_size = [(label, sizes.get(value, 0)) for value, label in Enterprise.Size.choices]
    if sizes.get(""):
        by_size.append(("未分类", sizes[""]))
    industries = list(enterprises.order_by().annotate(division=Substr("industry_code", 1, 3))
                      .values_list("division").annotate(n=Count("id")).order_by("-n", "division")[:12])
    return {"total": sum(sizes.values()), "above_scale": enterprises.filter(above_scale=True).count(),
            "by_size": by_size, "by_industry": industries}


def zones_with_enterprises(scope: Scope):
    return zone_list(scope).filter(Exists(Enterprise.objects.filter(zone=OuterRef("pk"))))


def zone_enterprise_totals(scope: Scope, zones) -> dict[int, int]:
    rows = enterprise_list(scope).filter(zone__in=zones).order_by().values_list("zone_id").annotate(n=Count("id"))
    return dict(rows)
