"""Reading zones and their indicator values, always through the user's scope.

The figures, latest values and trend charts of the overview and the zone page are computed here and returned
as frozen dataclasses, which pages, exports and the CLI share.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from jingkai.accounts.scope import Scope
from jingkai.registry import provided
from jingkai.zones.models import Indicator, IndicatorValue, Zone
from jingkai.zones.periods import Period, parse_period

GANSU = "甘肃省"
# The overview's key figures, monthly and cumulative from January.
KEY_INDICATORS = ("industrial_output", "fixed_asset_investment", "trade_total", "fdi_actual_usd", "tax_revenue")
MONTHLY_PERIOD = r"^[0-9]{4}-[0-9]{2}$"

# {(zone id, indicator key): {period: value}}
ValueTable = dict[tuple[int, str], dict[str, float]]


def zone_list(scope: Scope, *, level: str | None = None, region: str | None = None,
              province: str | None = None) -> QuerySet[Zone]:
    zones = scope.filter(Zone.objects.all(), zone_field="self")
    if level:
        zones = zones.filter(level=level)
    if region:
        zones = zones.filter(region=region)
    if province:
        zones = zones.filter(province=province)
    return zones


def zone_get(scope: Scope, code: str) -> Zone:
    """404 when the zone does not exist or lies outside the scope: the two are not told apart."""
    return get_object_or_404(zone_list(scope), code=code)


def indicator_value_list(scope: Scope, *, zone_code: str | None = None, period: str | None = None,
                         indicator: str | None = None) -> QuerySet[IndicatorValue]:
    values = scope.filter(IndicatorValue.objects.select_related("zone", "indicator"))
    if zone_code:
        values = values.filter(zone__code=zone_code)
    if period:
        values = values.filter(period=period)
    if indicator:
        values = values.filter(indicator__key=indicator)
    return values.order_by("zone__code", "period", "indicator__id")


def indicator_catalogue(keys: Sequence[str] | None = None, *, frequency: str | None = None) -> list[Indicator]:
    """The catalogue (with each indicator's source department), in `keys` order when given."""
    indicators = Indicator.objects.select_related("source_department")
    if frequency:
        indicators = indicators.filter(frequency=frequency)
    if keys is not None:
        by_key = {i.key: i for i in indicators.filter(key__in=keys)}
        return [by_key[k] for k in keys if k in by_key]
    return list(indicators)


def short_name(zone: Zone) -> str:
    return zone.name.replace("经济技术开发区", "经开区")


def period_end(period: Period) -> tuple[int, int, int]:
    """Sort key by the month a period ends in; a year (ends in December) after its 1—12月 value."""
    month = period.month or (period.quarter * 3 if period.quarter else 12)
    return period.year, month, 0 if period.month else 1


def same_period_last_year(period: Period) -> str:
    return str(Period(period.year - 1, period.quarter, period.month))


def month_label(month: int) -> str:
    return "1月" if month == 1 else f"1—{month}月"


def _yoy(value: float | None, previous: float | None) -> float | None:
    if value is None or not previous:
        return None
    return value / previous - 1


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    value: float | None
    previous: float | None  # same period of the previous year

    @property
    def yoy(self) -> float | None:
        return _yoy(self.value, self.previous)


@dataclass(frozen=True)
class LatestValue:
    indicator: Indicator
    period: Period | None
    value: float | None
    previous: float | None

    @property
    def yoy(self) -> float | None:
        return _yoy(self.value, self.previous)

    @property
    def points(self) -> float | None:
        """For a ratio, the change against the same period a year before (in fractions: 0.001 = 0.1 个百分点)."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class Series:
    name: str
    year: int
    dashed: bool
    data: tuple[float | None, ...]


@dataclass(frozen=True)
class TrendChart:
    """ECharts data: one solid line per zone for a year, a dashed one for the year before."""

    id: str
    title: str
    unit: str
    subtitle: str
    x: tuple[str, ...]
    series: tuple[Series, ...]

    @property
    def data(self) -> dict[str, Any]:
        """What the page embeds with json_script for charts.js."""
        return asdict(self)


# Extension points of the zone pages (jingkai.registry.provided): other domains add to them without zones
# importing them (enterprises depends on zones, not the reverse).
ZONE_TOTALS = "zones.enterprise_totals"  # (scope, zone ids) -> {zone id: number of enterprises}
PAGE_SECTIONS = "zones.page_sections"  # (scope, zone) -> ZoneSection | None: a panel on the zone page
# (zone ids, periods) -> iterable of (zone id, period): the months whose figures a reviewing domain has not
# approved yet (monitoring: a zone of a monthly calendar without an approved report for that month). The
# overview counts only the rest, as the bulletin does; with no provider nothing is under review.
REVIEWED_PERIODS = "zones.reviewed_periods"
# (user, zone, period) -> ZoneSection | None: a panel on the indicator entry page below the form (monitoring:
# the month's 报送 status and its 报送 button, so that entering and reporting are one path).
ENTRY_SECTIONS = "zones.entry_sections"


# (zone, period) -> iterable of IndicatorOffer: a figure another domain computes from its own records (investment:
# 实际使用外资 from the project register; carbon: 单位工业增加值能耗 from the energy accounts), offered on the indicator
# entry page. The zone adopts an offer into its entry (audited) and reports it like any other figure, so review,
# the bulletin and the evaluation keep reading one table; nothing is written into IndicatorValue behind its back.
INDICATOR_OFFERS = "zones.indicator_offers"


@dataclass(frozen=True)
class IndicatorOffer:
    indicator: str  # the indicator key of the data dictionary ("fdi_actual_usd")
    value: Decimal
    source: str  # in Chinese, what it was computed from: 招商项目库：本月 3 个项目到位外资合计
    as_of: date | None = None  # the date its records were last confirmed, when known


def indicator_offers(zone: Zone, period: Period) -> tuple[IndicatorOffer, ...]:
    """Every domain's offers for a zone's period, in INSTALLED_APPS order."""
    return tuple(offer for provider in provided(INDICATOR_OFFERS) for offer in provider(zone, period))


@dataclass(frozen=True)
class ZoneSection:
    """A panel another domain adds to the zone page: its template and what that template reads."""

    template: str
    data: Any


def entry_sections(user: Any, zone: Zone, period: Period) -> tuple[ZoneSection, ...]:
    found = (provider(user, zone, period) for provider in provided(ENTRY_SECTIONS))
    return tuple(section for section in found if section is not None)


def enterprise_totals(scope: Scope, zone_ids: Sequence[int]) -> dict[int, int]:
    """{zone id: enterprises} from the domain that registers them (0 everywhere when none does)."""
    totals: dict[int, int] = {}
    for provider in provided(ZONE_TOTALS):
        totals.update(provider(scope, zone_ids))
    return totals


@dataclass(frozen=True)
class ZoneFigures:
    zone: Zone
    figures: tuple[Figure, ...]
    enterprises: int
    awaiting_review: bool = False  # its latest entered month is not yet reviewed: the page says 待审核, not —


@dataclass(frozen=True)
class Overview:
    """The province overview: the Gansu national zones (as cards, with charts) and the provincial zones."""

    period: Period | None
    indicators: tuple[Indicator, ...]
    charts: tuple[TrendChart, ...]
    national: tuple[ZoneFigures, ...]
    provincial: tuple[ZoneFigures, ...]
    unreviewed_zones: int = 0  # zones whose latest month is entered but not yet reviewed (not shown)


@dataclass(frozen=True)
class ZoneRow:
    zone: Zone
    enterprises: int


@dataclass(frozen=True)
class ZoneProfile:
    """The zone page: latest value of every catalogue indicator, trend charts, other domains' panels."""

    zone: Zone
    latest: tuple[LatestValue, ...]
    charts: tuple[TrendChart, ...]
    sections: tuple[ZoneSection, ...]  # contributed by other domains (enterprise counts …)


def monthly_values(scope: Scope, zones: Iterable[Zone], keys: Sequence[str]) -> ValueTable:
    """{(zone_id, indicator key): {period: value}} for the monthly periods of the given zones."""
    rows = (indicator_value_list(scope).filter(zone__in=list(zones), indicator__key__in=keys,
                                               period__regex=MONTHLY_PERIOD)
            .values_list("zone_id", "indicator__key", "period", "value"))
    table: ValueTable = defaultdict(dict)
    for zone_id, key, period, value in rows:
        table[zone_id, key][period] = value
    return table


def latest_period(table: ValueTable) -> Period | None:
    periods = [p for values in table.values() for p in values]
    return parse_period(max(periods)) if periods else None


def key_figures(table: ValueTable, zone: Zone, indicators: Sequence[Indicator],
                period: Period | None) -> tuple[Figure, ...]:
    def value(ind: Indicator, at: str | None) -> float | None:
        return table.get((zone.id, ind.key), {}).get(at) if at else None

    return tuple(Figure(ind, value(ind, str(period) if period else None),
                        value(ind, same_period_last_year(period) if period else None)) for ind in indicators)


def trend_chart(table: ValueTable, zones: Sequence[Zone], indicator: Indicator, year: int) -> TrendChart:
    series = []
    for zone in zones:
        values = table.get((zone.id, indicator.key), {})
        for y, dashed in ((year, False), (year - 1, True)):
            series.append(Series(short_name(zone), y, dashed, tuple(values.get(f"{y}-{m:02d}") for m in range(1, 13))))
    return TrendChart(f"chart-{indicator.key}", indicator.name, indicator.unit,
                      f"按年累计 · 实线 {year} 年，虚线 {year - 1} 年",
                      tuple(month_label(m) for m in range(1, 13)), tuple(series))


def gansu_national_zones(scope: Scope) -> QuerySet[Zone]:
    """In the usual order: by approval year (兰州, 金昌, 天水, 张掖)."""
    return zone_list(scope, level=Zone.Level.NATIONAL, province=GANSU).order_by("approved_year", "code")


def overview(scope: Scope) -> Overview:
    national = list(gansu_national_zones(scope))
    provincial = list(zone_list(scope, level=Zone.Level.PROVINCIAL, province=GANSU))
    indicators = indicator_catalogue(KEY_INDICATORS)
    table, awaiting = reviewed_only(monthly_values(scope, national + provincial, KEY_INDICATORS))
    period = latest_period(table)
    totals = enterprise_totals(scope, [z.id for z in national + provincial])

    def rows(zones: list[Zone]) -> tuple[ZoneFigures, ...]:
        return tuple(ZoneFigures(z, key_figures(table, z, indicators, period), totals.get(z.id, 0), z.id in awaiting)
                     for z in zones)

    charts = tuple(trend_chart(table, national, ind, period.year) for ind in indicators) if period else ()
    return Overview(period, tuple(indicators), charts, rows(national), rows(provincial), len(awaiting))


def reviewed_only(table: ValueTable) -> tuple[ValueTable, set[int]]:
    """The table without the months a reviewing domain has not approved (`REVIEWED_PERIODS`), and the zones
    whose latest entered month is among them."""
    zone_ids = {zone_id for zone_id, _ in table}
    periods = {p for values in table.values() for p in values}
    pending: set[tuple[int, str]] = set()
    for provider in provided(REVIEWED_PERIODS):
        pending.update((int(z), str(p)) for z, p in provider(zone_ids, periods))
    if not pending:
        return table, set()
    latest: dict[int, str] = {}
    for (zone_id, _), values in table.items():
        latest[zone_id] = max([latest.get(zone_id, ""), *values])
    kept: ValueTable = defaultdict(dict)
    for (zone_id, key), values in table.items():
        kept[zone_id, key] = {p: v for p, v in values.items() if (zone_id, p) not in pending}
    return kept, {zone_id for zone_id, period in latest.items() if (zone_id, period) in pending}


def zone_directory(scope: Scope, *, level: str | None = None, region: str | None = None,
                   province: str | None = None) -> QuerySet[Zone]:
    """The zone list in its usual order: by level, then approval year (unknown last), then code."""
    return zone_list(scope, level=level, region=region, province=province).order_by(
        "level", F("approved_year").asc(nulls_last=True), "code")


def zone_rows(scope: Scope, zones: Iterable[Zone]) -> list[ZoneRow]:
    """The zones of one page of the list with their enterprise counts (one query whatever the page size)."""
    zones = list(zones)
    totals = enterprise_totals(scope, [z.id for z in zones])
    return [ZoneRow(z, totals.get(z.id, 0)) for z in zones]


def zone_latest_values(scope: Scope, zone: Zone) -> tuple[list[LatestValue], dict[str, dict[str, float]]]:
    """For every catalogue indicator: its latest value for the zone (with the same period a year before);
    and {indicator key: {period: value}} for the charts."""
    history: dict[str, dict[str, float]] = defaultdict(dict)
    for key, period_text, value in indicator_value_list(scope, zone_code=zone.code).values_list(
            "indicator__key", "period", "value"):
        history[key][period_text] = value
    latest = []
    for indicator in indicator_catalogue():
        values = history.get(indicator.key, {})
        periods = [p for p in map(parse_period, values) if p]
        period = max(periods, key=period_end) if periods else None
        latest.append(LatestValue(indicator, period, values.get(str(period)) if period else None,
                                  values.get(same_period_last_year(period)) if period else None))
    return latest, history


def zone_profile(scope: Scope, zone: Zone) -> ZoneProfile:
    latest, history = zone_latest_values(scope, zone)
    table: ValueTable = {(zone.id, key): values for key, values in history.items()}
    monthly = sorted((lv for lv in latest if lv.indicator.key in KEY_INDICATORS and lv.period and lv.period.month),
                     key=lambda lv: KEY_INDICATORS.index(lv.indicator.key))
    charts = tuple(trend_chart(table, [zone], lv.indicator, lv.period.year) for lv in monthly if lv.period)
    found = (provider(scope, zone) for provider in provided(PAGE_SECTIONS))
    sections = tuple(section for section in found if section is not None)  # a provider may have nothing to add
    return ZoneProfile(zone, tuple(latest), charts, sections)


def zone_choices(scope: Scope) -> list[Zone]:
    """The zones of the scope for a picker, Gansu's national zones first. Whether the user may write zone data
    at all is a capability (zones.enter_data, intake.import_zone_data), checked by the caller."""
    zones = list(zone_list(scope))
    return sorted(zones, key=lambda z: (z.province != GANSU, z.level != Zone.Level.NATIONAL, z.code))
