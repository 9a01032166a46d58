"""Reads of the reporting cycle: due dates and statuses, the dashboard, the status matrix, a submission's
review page, the bulletins a user may see, and the figures a bulletin is built from. Results are typed
(frozen dataclasses) and shared by the pages, the Word bulletin and the `jingkai bulletin` command."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jingkai.accounts import authz
from jingkai.engines.monitoring.catalogue import default_flows, merged_jan_feb, reported_in_month
from jingkai.engines.monitoring.catalogue import frequency as indicator_frequency
from jingkai.engines.monitoring.catalogue import label as indicator_label
from jingkai.engines.monitoring.catalogue import period_label as indicator_period
from jingkai.engines.monitoring.catalogue import unit as indicator_unit
from jingkai.engines.monitoring.checks import check
from jingkai.engines.monitoring.derive import EXTREME_RATE, derive, to_records, view
from jingkai.monitoring import capabilities as caps
from jingkai.monitoring.bulletin import BulletinData, bulletin_title, coverage_text
from jingkai.monitoring.models import Bulletin, CorrectionRequest, ReportingCalendar, Submission
from jingkai.monitoring.workflows import (
    BULLETIN_FLOW,
    CORRECTION_FLOW,
    REVIEW_ACTIONS,
    SUBMISSION_FLOW,
    WITHDRAW,
    batch_refusal,
    errors_of,
    warnings_of,
)
from jingkai.zones.models import IndicatorValue, Zone
from jingkai.zones.periods import Period, parse_period
from jingkai.zones.selectors import ZoneSection, zone_list

NOT_REPORTED, OVERDUE = "未报", "逾期"
# 地区生产总值 is quarterly: in the bulletin and on the dashboard only at quarter ends (一季度 … 全年).
BULLETIN_INDICATORS = ["gdp", "industrial_output", "industrial_value_added", "fixed_asset_investment", "trade_total",
                       "fdi_actual_usd", "tax_revenue"]
NATIONAL_AVERAGE = "国家级经开区合计"
FREQUENCIES = {"month": "月度", "quarter": "季度", "year": "年度"}
TREND_INDICATOR = "industrial_output"


# ---- the calendar, due dates and statuses ----

def monthly_calendar() -> ReportingCalendar:
    """The monthly calendar (the first one configured); 404 when none is."""
    calendar = ReportingCalendar.objects.filter(frequency="month").order_by("id").first()
    if calendar is None:
        raise Http404("尚未配置月报报送日历")
    return calendar


def recent_periods(today: date, n: int) -> list[str]:
    """The `n` months before `today`'s month, newest first."""
    periods, year, month = [], today.year, today.month
    for _ in range(n):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        periods.append(f"{year}-{month:02d}")
    return periods


def due_date(calendar: ReportingCalendar, period: str) -> date:
    """The day a period's report is due: `due_day` of the month after the period ends."""
    p = parse_period(period)
    if p is None:
        raise ValueError(f"期间“{period}”无效")
    last_month = p.month or (p.quarter * 3 if p.quarter else 12)
    year, month = (p.year + 1, 1) if last_month == 12 else (p.year, last_month + 1)
    return date(year, month, min(calendar.due_day, monthrange(year, month)[1]))  # 31 in a 30-day month: the 30th


def status(calendar: ReportingCalendar, period: str, submission: Submission | None, today: date) -> str:
    if submission is not None and submission.state == Submission.State.WITHDRAWN and today > due_date(calendar, period):
        return f"{submission.get_state_display()}（{OVERDUE}）"  # withdrawn counts as not reported
    if submission is not None:
        return str(submission.get_state_display())
    return OVERDUE if today > due_date(calendar, period) else NOT_REPORTED


# ---- figures ----

def indicator_rows(calendar: ReportingCalendar, zone_ids: Iterable[int], years: set[int],
                   approved_only: bool) -> list[dict[str, Any]]:
    """Engine input rows (zone_code, period, indicator, value) of the calendar's monthly indicators."""
    values = IndicatorValue.objects.filter(
        indicator__in=calendar.indicators.all(), zone_id__in=list(zone_ids),
        period__regex=r"^(" + "|".join(str(y) for y in sorted(years)) + r")-\d\d$",
    ).values_list("zone__code", "zone_id", "period", "indicator__key", "value", "base_revised")
    approved = None
    if approved_only:
        approved = set(Submission.objects.filter(calendar=calendar, state=Submission.State.APPROVED)
                       .values_list("zone_id", "period"))
    return [{"zone_code": code, "period": period, "indicator": key, "value": value, "base_revised": base}
            for code, zone_id, period, key, value, base in values
            if approved is None or (zone_id, period) in approved]


def quality_check(calendar: ReportingCalendar, zone: Zone, period: str) -> list[dict[str, Any]]:
    """The data-quality rules on a zone's period, with its own history and its peers' for comparison."""
    p = parse_period(period)
    if p is None:
        raise ValueError(f"期间“{period}”无效")
    peers = list(calendar.zones.values_list("id", flat=True))
    rows = [r for r in indicator_rows(calendar, peers, {p.year - 1, p.year}, approved_only=False)
            if r["period"] <= period]
    expected = [{"zone_code": zone.code, "period": period, "indicator": i.key} for i in calendar.indicators.all()]
    found = check(rows, expected=expected).to_dicts()
    return [v for v in found if v["zone_code"] == zone.code and v["period"] == period]


def reporting_group(submission: Submission | None, due: date, today: date) -> str | None:
    """Where a zone stands in a bulletin's 报送情况 on `today`, by the calendar's due date — one group each:
    overdue (逾期未报送: nothing, the due date passed), missing (未报送: nothing yet, not due), returned
    (已退回待重报), pending (已报送待审核), late (reviewed, but reported after the due date), None (on time)."""
    if submission is None or submission.state == Submission.State.WITHDRAWN:  # withdrawn: not reported
        return "overdue" if today > due else "missing"
    if submission.state == Submission.State.RETURNED:
        return "returned"
    if submission.state != Submission.State.APPROVED:
        return "pending"
    # the local (Asia/Shanghai) day of the report; a report cannot be late before its due date has passed
    late = today > due and timezone.localdate(submission.submitted_at) > due
    return "late" if late else None


def unreviewed_periods(zone_ids: Iterable[int], periods: Iterable[str]) -> list[tuple[int, str]]:
    """The `zones.reviewed_periods` provider: the (zone, month) pairs of zones in a monthly calendar that have
    no approved report — their figures do not count on the overview, as in the bulletin (two queries)."""
    months = {p for p in periods if len(p) == 7}
    under_review = set(ReportingCalendar.zones.through.objects.filter(
        reportingcalendar__frequency="month", zone_id__in=list(zone_ids)).values_list("zone_id", flat=True))
    if not under_review or not months:
        return []
    approved = set(Submission.objects.filter(calendar__frequency="month", state=Submission.State.APPROVED,
                                             zone_id__in=under_review, period__in=months)
                   .values_list("zone_id", "period"))
    return [(z, p) for z in under_review for p in months if (z, p) not in approved]


def bulletin_data(calendar: ReportingCalendar, period: str, today: date) -> BulletinData:
    """Derived figures of the reviewed data only: unreviewed figures do not count."""
    year = int(period[:4])
    zones = list(calendar.zones.order_by("code"))
    rows = indicator_rows(calendar, [z.id for z in zones], {year - 1, year}, approved_only=True)
    derived = to_records(derive(rows)) if rows else []
    found = {s.zone_id: s for s in Submission.objects.filter(calendar=calendar, period=period)}
    due = due_date(calendar, period)
    groups: dict[str, list[str]] = {k: [] for k in ("overdue", "missing", "returned", "pending", "late")}
    for zone in zones:
        group = reporting_group(found.get(zone.id), due, today)
        if group is not None:
            groups[group].append(zone.code)
    reported = set(calendar.indicators.values_list("key", flat=True))
    month = int(period[5:])
    keys = [k for k in BULLETIN_INDICATORS if k in reported and reported_in_month(k, month)]
    return BulletinData(period=period, issuer="甘肃省商务厅", issue_date=today, rows=derived, indicators=keys,
                        zone_names={z.code: z.name for z in zones}, due=due, late_zones=groups["late"],
                        missing_zones=groups["missing"], overdue_zones=groups["overdue"],
                        returned_zones=groups["returned"], pending_zones=groups["pending"])


# ---- the dashboard ----

@dataclass(frozen=True)
class RankingRow:
    zone_code: str
    name: str
    value: float | None  # 累计值
    month_value: float | None  # 当月值 (当季值 in the quarterly view)
    yoy_cumulative: float | None
    yoy_month: float | None  # 当月同比 (当季同比)
    share_province: float | None  # 占全省经开区合计比重: of the reviewed zones' total
    rank: int | None  # among every zone of the calendar, not only the visible ones; 1 = best
    reasons: dict[str, str] = field(default_factory=dict)  # why a figure is missing
    notes: dict[str, str] = field(default_factory=dict)  # NBS's wording for a rate not computed (由亏转盈 …)
    flags: dict[str, str] = field(default_factory=dict)  # why a rate is extreme (异常)
    base_revised: float | None = None  # 上年同期调整值 the zone stated, the base of 同比 when given
    base_stored: float | None = None  # the stored 上年同期
    yoy_real: float | None = None  # the growth at comparable prices reported by 统计局 (可比价), where there is one

    @property
    def base_note(self) -> str:
        """The tooltip of a growth computed on a revised base, or ""."""
        if self.base_revised is None:
            return ""
        stored = "未报" if self.base_stored is None else f"{self.base_stored:,.1f}"
        return f"按上年同期调整值（可比口径）{self.base_revised:,.1f}计算，原上年同期数{stored}"


@dataclass(frozen=True)
class RankingTable:
    key: str
    label: str
    unit: str
    rows: tuple[RankingRow, ...]
    coverage: str = ""  # 合计覆盖 N 个园区，缺 M 个：… (the zones the total, shares and ranks are over)
    period_label: str = ""  # what the figures cover: 2026年1—9月, 2026年前三季度 (GDP), 2026年1—2月
    month_label: str = "当月值"  # 当月值, 当季值 (GDP, the quarterly view), 1—2月 (February of a merged indicator)
    real: bool = False  # the table has a reported real growth column (可比价增速)


@dataclass(frozen=True)
class TrendSeries:
    name: str
    data: tuple[float | None, ...]


@dataclass(frozen=True)
class TrendChart:
    """规上工业总产值累计同比 by month, one line per visible zone and the national benchmark."""

    months: tuple[str, ...]
    series: tuple[TrendSeries, ...]
    benchmark: str = NATIONAL_AVERAGE

    def series_of(self, name: str) -> TrendSeries | None:
        return next((s for s in self.series if s.name == name), None)

    def as_json(self) -> dict[str, Any]:
        return {"months": list(self.months), "benchmark": self.benchmark,
                "series": [{"name": s.name, "data": list(s.data)} for s in self.series]}


@dataclass(frozen=True)
class Dashboard:
    freq: str
    period: str | None  # None: nothing reviewed at this frequency yet
    periods: tuple[str, ...]  # newest first
    tables: tuple[RankingTable, ...]
    chart: TrendChart
    zone_count: int  # the zones the user sees

    @property
    def freq_label(self) -> str:
        return FREQUENCIES[self.freq]

    @property
    def frequencies(self) -> dict[str, str]:
        return FREQUENCIES

    @property
    def coverage(self) -> str:
        """合计覆盖 … when every table covers the same zones (said once above the tables), else ""."""
        found = {t.coverage for t in self.tables}
        return found.pop() if len(found) == 1 else ""

    @property
    def extreme_percent(self) -> str:
        """The threshold beyond which a rate is marked 异常 (a platform default, not official)."""
        return f"{EXTREME_RATE * 100:g}"

    @property
    def reviewed_zones(self) -> int:
        return len(self.tables[0].rows) if self.tables else 0

    def table(self, key: str) -> RankingTable | None:
        return next((t for t in self.tables if t.key == key), None)


def reviewed_months(calendar: ReportingCalendar) -> list[str]:
    """The months with at least one approved report, newest first."""
    return sorted(Submission.objects.filter(calendar=calendar, state=Submission.State.APPROVED)
                  .values_list("period", flat=True).distinct(), reverse=True)


def _derived(rows: list[dict[str, Any]], freq: str) -> list[dict[str, Any]]:
    """Derived figures at a frequency; quarterly 当季值/当季同比 travel in the monthly columns."""
    if not rows:
        return []
    if freq == "month":
        return list(to_records(derive(rows)))
    records = list(to_records(view(rows, freq)))
    for r in records:
        r["month_value"], r["yoy_month"] = r.pop("quarter_value", None), r.pop("yoy_quarter", None)
    return records


def _periods_at(months: list[str], freq: str) -> list[str]:
    """The quarters or years whose last month is among `months`."""
    if freq == "quarter":
        return [f"{m[:4]}-Q{int(m[5:]) // 3}" for m in months if int(m[5:]) % 3 == 0]
    if freq == "year":
        return [m[:4] for m in months if m.endswith("-12")]
    return months


def _ranking_row(r: dict[str, Any], name: str) -> RankingRow:
    return RankingRow(zone_code=r["zone_code"], name=name, value=r.get("value"), month_value=r.get("month_value"),
                      yoy_cumulative=r.get("yoy_cumulative"), yoy_month=r.get("yoy_month"),
                      share_province=r.get("share_province"), rank=r.get("rank"), reasons=r.get("reasons") or {},
                      notes=_by_month(r.get("notes")), flags=_by_month(r.get("flags")),
                      base_revised=r.get("base_revised"), base_stored=r.get("base_stored"), yoy_real=r.get("yoy_real"))


def _by_month(found: dict[str, str] | None) -> dict[str, str]:
    """Notes or flags keyed as the dashboard's columns: the quarter's travel in yoy_month."""
    return {("yoy_month" if k == "yoy_quarter" else k): v for k, v in (found or {}).items()}


def _missing_zones(calendar: ReportingCalendar, zones: list[Zone], period: str) -> dict[str, str]:
    """Why each zone of the calendar may lack a reviewed figure for `period` (its last month): 未审核 /
    已退回待重报 / 未报送; a reviewed zone that lacks an indicator is 无该指标数据 (decided by the caller)."""
    p = parse_period(period)
    month = period if p is None or p.month else f"{p.year}-{(p.quarter or 4) * 3:02d}"
    states = dict(Submission.objects.filter(calendar=calendar, period=month).values_list("zone_id", "state"))
    why: dict[str, str] = {Submission.State.APPROVED: "", Submission.State.RETURNED: "已退回待重报"}
    return {z.code: why.get(states[z.id], "未审核") if z.id in states else "未报送" for z in zones}


def _table_labels(key: str, freq: str, period: str) -> tuple[str, str]:
    """(period label, 当月值 column label) of an indicator's table at a frequency and period."""
    if freq != "month":
        return indicator_period(period), "当季值"
    if indicator_frequency(key) == "quarter":
        return indicator_period(period, key), "当季值"
    if period.endswith("-02") and key in merged_jan_feb():
        return indicator_period(period, key), "1—2月"
    return indicator_period(period, key), "当月值"


def dashboard(user: Any, calendar: ReportingCalendar, *, freq: str | None = None,
              period: str | None = None) -> Dashboard:
    """Rankings of the reviewed figures and the growth trend at a frequency (月度/季度/年度).

    Ranks, shares of the province and the national benchmark are province-wide figures (as in the
    published bulletin): they are computed over every zone; the user sees the rows of their own zones."""
    freq = freq if freq in FREQUENCIES else "month"
    months = reviewed_months(calendar)[::-1]
    periods = _periods_at(months, freq)
    chosen = period if period in periods else (periods[-1] if periods else None)
    every = list(calendar.zones.all())
    visible = set(zone_list(user.scope).filter(id__in=[z.id for z in every]).values_list("code", flat=True))
    tables: list[RankingTable] = []
    trend: dict[str, dict[str, float | None]] = {}
    if chosen:
        year = chosen[:4]
        rows = indicator_rows(calendar, [z.id for z in every], {int(year) - 1, int(year)}, approved_only=True)
        derived = _derived(rows, freq)
        names = {z.code: z.name for z in every}
        status_of = _missing_zones(calendar, every, chosen)
        for key in BULLETIN_INDICATORS:
            if freq == "month" and not reported_in_month(key, int(chosen[5:])):
                continue  # 地区生产总值 only at quarter ends; a merged indicator not in January
            current = sorted((r for r in derived if r["period"] == chosen and r["indicator"] == key
                              and r["zone_code"] in visible),
                             key=lambda r: (r["rank"] is None, r["rank"] or 0))
            if current:
                u = indicator_unit(key)
                valued = {r["zone_code"] for r in derived if r["period"] == chosen and r["indicator"] == key
                          and r["value"] is not None}
                missing = [(names[z.code], status_of[z.code] or "无该指标数据") for z in every
                           if z.code not in valued]
                span, own = _table_labels(key, freq, chosen)
                tables.append(RankingTable(key, indicator_label(key), u,
                                           tuple(_ranking_row(r, names[r["zone_code"]]) for r in current),
                                           coverage_text(len(valued), missing), span, own,
                                           any(r.get("yoy_real") is not None for r in current)))
        for r in derived:
            if r["indicator"] == TREND_INDICATOR and r["period"][:4] == year and r["zone_code"] in visible:
                trend.setdefault(names[r["zone_code"]], {})[r["period"]] = r["yoy_cumulative"]
        # The benchmark line: the national zones taken together, only for the months in which every
        # national zone's figure has been reviewed (no partial total).
        national = {z.code for z in every if z.level == Zone.Level.NATIONAL}
        totals: dict[str, list[float]] = {}
        for r in rows:
            if r["indicator"] == TREND_INDICATOR and r["zone_code"] in national:
                totals.setdefault(r["period"], []).append(r["value"])
        total_rows = [{"zone_code": "NATIONAL", "period": p, "indicator": TREND_INDICATOR, "value": sum(v)}
                      for p, v in totals.items() if len(v) == len(national)]
        for r in _derived(total_rows, freq):
            if r["period"][:4] == year:
                trend.setdefault(NATIONAL_AVERAGE, {})[r["period"]] = r["yoy_cumulative"]
    chart_months = tuple(sorted({p for series in trend.values() for p in series}))
    chart = TrendChart(chart_months, tuple(TrendSeries(name, tuple(s.get(m) for m in chart_months))
                                           for name, s in sorted(trend.items())))
    return Dashboard(freq=freq, period=chosen, periods=tuple(periods[::-1]), tables=tuple(tables), chart=chart,
                     zone_count=len(visible))


# ---- the status matrix (报送情况) ----

@dataclass(frozen=True)
class StatusCell:
    period: str
    status: str  # 未报 / 逾期 / 已报 / 已审核 / 退回 / 已撤回
    submission: Submission | None
    can_submit: bool  # the user may (re)submit this zone's period here
    batchable: bool = False  # the user may approve it in a batch (批量审核)
    batch_note: str = ""  # why a report awaiting the user's review is not batch-approvable

    @property
    def problems(self) -> int:
        return len(self.submission.violations) if self.submission else 0


@dataclass(frozen=True)
class StatusRow:
    zone: Zone
    cells: tuple[StatusCell, ...]


@dataclass(frozen=True)
class Owing:
    """A zone that still owes the latest period (not reported, overdue or returned for revision)."""

    zone: Zone
    status: str


@dataclass(frozen=True)
class StatusMatrix:
    calendar: ReportingCalendar
    periods: tuple[str, ...]  # newest first
    rows: tuple[StatusRow, ...]
    owing: tuple[Owing, ...]  # 催报名单 for the latest period
    due: date  # the latest period's due date
    can_batch: bool = False  # the user reviews: the page offers 批量审核
    # the user sees every zone of the calendar: only then may the page say 各园区均已报送 (a zone user who has
    # reported sees an empty 催报名单 although other zones owe theirs)
    whole_calendar: bool = True

    @property
    def batchable(self) -> int:
        return sum(c.batchable for row in self.rows for c in row.cells)

    @property
    def latest(self) -> str:
        return self.periods[0]


OWING = {NOT_REPORTED, OVERDUE, Submission.State.RETURNED.label, Submission.State.WITHDRAWN.label,
         f"{Submission.State.WITHDRAWN.label}（{OVERDUE}）"}
OPEN = {Submission.State.RETURNED, Submission.State.WITHDRAWN}  # the zone may submit again


def status_matrix(user: Any, calendar: ReportingCalendar, today: date, months: int = 6) -> StatusMatrix:
    """Each visible zone's status for the last `months` months, and who still owes the latest one."""
    periods = recent_periods(today, months)
    zones = list(zone_list(user.scope).filter(id__in=calendar.zones.all()).order_by("code"))
    found = {(s.zone_id, s.period): s for s in Submission.objects.filter(
        calendar=calendar, period__in=periods, zone__in=[z.id for z in zones])}
    submitter, reviewer = authz.has(user, caps.SUBMIT), authz.has(user, caps.REVIEW)
    rows = []
    for zone in zones:
        cells = []
        for period in periods:
            submission = found.get((zone.id, period))
            open_ = submission is None or submission.state in OPEN
            awaiting = submission is not None and submission.state == Submission.State.SUBMITTED
            refusal = batch_refusal(user, submission) if reviewer and awaiting and submission else None
            cells.append(StatusCell(period, status(calendar, period, submission, today), submission,
                                    open_ and submitter and user.scope.can_write_zone(zone.id),
                                    batchable=refusal == "", batch_note=refusal or ""))
        rows.append(StatusRow(zone, tuple(cells)))
    owing = tuple(Owing(row.zone, row.cells[0].status) for row in rows if row.cells[0].status in OWING)
    return StatusMatrix(calendar, tuple(periods), tuple(rows), owing, due_date(calendar, periods[0]),
                        can_batch=reviewer, whole_calendar=len(zones) == calendar.zones.count())


@dataclass(frozen=True)
class EntrySubmission:
    """The 报送 panel of the indicator entry page: the month's status, its due date, and whether the user may
    report it from there (the same POST as the status matrix's 报送 button)."""

    zone: Zone
    period: str
    label: str  # 2026年1—10月
    status: str  # as on the status matrix: 未报 / 逾期 / 已报 / 已审核 / 退回 / 已撤回
    submission: Submission | None
    due: date
    can_submit: bool


def entry_section(user: Any, zone: Zone, period: Period) -> ZoneSection | None:
    """The `zones.entry_sections` provider: a month of a zone in the monthly calendar (two queries)."""
    if not period.month:
        return None
    calendar = ReportingCalendar.objects.filter(frequency="month", zones=zone).order_by("id").first()
    if calendar is None:
        return None
    text = str(period)
    submission = Submission.objects.filter(calendar=calendar, zone=zone, period=text).first()
    may = (submission is None or submission.state in OPEN) and authz.has(user, caps.SUBMIT) \
        and user.scope.can_write_zone(zone.id)
    return ZoneSection("monitoring/_entry_submission.html", EntrySubmission(
        zone, text, period.label(), status(calendar, text, submission, date.today()), submission,
        due_date(calendar, text), may))


# ---- a submission's review page ----

@dataclass(frozen=True)
class Action:
    action: str
    label: str


RULES = {"value_added_exceeds_output": "增加值大于总产值", "trade_sum_mismatch": "进出口勾稽不符",
         "cumulative_decrease": "累计值减少", "missing": "缺报", "growth_outlier": "增速异常",
         "extreme_growth": "增速过高（基数过小）"}
SEVERITIES = {"error": "错误", "warning": "预警"}


@dataclass(frozen=True)
class Problem:
    """A data-quality finding, in words (no rule or indicator codes on screen)."""

    severity: str  # error / warning (for the row's colour)
    severity_label: str
    rule: str
    indicator: str
    message: str


def _problem(v: dict[str, Any]) -> Problem:
    severity = str(v.get("severity") or "")
    key = v.get("indicator")
    return Problem(severity, SEVERITIES.get(severity, "提示"), RULES.get(str(v.get("rule")), "数据质量规则"),
                   indicator_label(key) if key else "—", str(v.get("message") or ""))


@dataclass(frozen=True)
class Figure:
    """One figure of the review table; `note` is its cell's title: why it is missing (shown as —), or what it is."""

    value: float | None
    note: str = ""
    rate: bool = False  # a growth rate (+5.2%), else a value in the indicator's unit


@dataclass(frozen=True)
class FigureRow:
    """An indicator of the submitted month: its figures, derived by the engine (当月值, 同比), and its findings.
    上期 is what 环比 compares with: last month's 当月值 for a cumulative flow, last month's value otherwise."""

    key: str
    name: str
    unit: str
    flow: bool  # reported cumulative from January
    value: Figure  # 本期值 (1—n月累计 for a flow)
    month_value: Figure  # 当月值
    previous: Figure  # 上期
    last_year: Figure  # 上年同期 (累计 for a flow)
    yoy: Figure  # 同比 (累计同比 for a flow)
    yoy_month: Figure  # 当月同比
    mom: Figure  # 环比
    problems: tuple[Problem, ...]  # this indicator's quality findings, errors first


@dataclass(frozen=True)
class SubmissionPage:
    submission: Submission
    problems: tuple[Problem, ...]
    errors: tuple[dict[str, Any], ...]
    warnings: tuple[dict[str, Any], ...]
    actions: tuple[Action, ...]  # the review decisions the user may take now (审核通过 / 退回)
    note: str  # why a reviewer may not act (their own submission), or ""
    figures: tuple[FigureRow, ...] = ()
    can_withdraw: bool = False  # the zone may 撤回 its report (it awaits review)

    @property
    def can_review(self) -> bool:
        return bool(self.actions)

    @property
    def comment_required(self) -> bool:
        """Every decision open to the reviewer needs an opinion: with warnings to approve, with errors (only a
        return is possible) to return."""
        return bool(self.errors or self.warnings)

    @property
    def period_label(self) -> str:
        return period_label(self.submission.period)


MISSING = "本期数值缺失"


def _month_before(period: str) -> str:
    year, month = int(period[:4]), int(period[5:7])
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def _mom(value: Figure, base: Figure, base_name: str) -> Figure:
    """环比 of `value` over `base` (null with the reason when it cannot be computed)."""
    if value.value is None:
        return Figure(None, value.note or MISSING, rate=True)
    if base.value is None:
        return Figure(None, f"缺少{base_name}，无法计算环比", rate=True)
    if base.value <= 0:
        word = "为0" if base.value == 0 else "为负数"
        return Figure(None, f"{base_name}{word}，无法计算环比", rate=True)
    return Figure(value.value / base.value - 1, f"与{base_name}相比", rate=True)


def _figure(record: dict[str, Any] | None, field_name: str, missing: str, note: str = "", rate: bool = False) -> Figure:
    if record is None:
        return Figure(None, missing, rate)
    value = record.get(field_name)
    if value is None:
        return Figure(None, (record.get("reasons") or {}).get(field_name) or missing, rate)
    return Figure(value, note, rate)


def figure_rows(submission: Submission) -> tuple[FigureRow, ...]:
    """Every indicator of the submission's calendar for its zone and month, as submitted (reviewed or not), with
    the derived figures of the engine (`engines.monitoring.derive`) and 环比 against 上期. Two queries."""
    p = parse_period(submission.period)
    if p is None or p.month is None:
        return ()
    calendar, period = submission.calendar, submission.period
    indicators = list(calendar.indicators.order_by("id"))
    rows = [r for r in indicator_rows(calendar, [submission.zone_id], {p.year - 1, p.year}, approved_only=False)
            if r["period"] <= period]
    derived = {(r["period"], r["indicator"]): r for r in to_records(derive(rows))} if rows else {}
    before, last_year = _month_before(period), f"{p.year - 1}-{p.month:02d}"
    flows = default_flows()
    problems: dict[str, list[Problem]] = {}
    for v in sorted(submission.violations, key=lambda v: v.get("severity") != "error"):
        if v.get("indicator"):
            problems.setdefault(str(v["indicator"]), []).append(_problem(v))
    out = []
    for indicator in indicators:
        key, flow = indicator.key, indicator.key in flows
        now, prev, ly = (derived.get((x, key)) for x in (period, before, last_year))
        value = _figure(now, "value", "本期未填报该指标", f"{p.label()}累计" if flow else "")
        if flow:
            month_value = _figure(now, "month_value", MISSING, f"{p.month}月当月值")
            previous = _figure(prev, "month_value", f"缺少上月（{before}）数据", f"上月（{before}）当月值")
            mom = _mom(month_value, previous, f"上月（{before}）当月值")
        else:
            month_value = Figure(None, "时点或比率指标（非按年累计），无当月值")
            previous = _figure(prev, "value", f"缺少上月（{before}）数据", f"上月（{before}）数值")
            mom = _mom(value, previous, f"上月（{before}）数值")
        out.append(FigureRow(
            key=key, name=indicator.name, unit=indicator.unit, flow=flow, value=value, month_value=month_value,
            previous=previous,
            last_year=_figure(ly, "value", f"缺少上年同期（{last_year}）数据",
                              f"上年同期（{last_year}）{'累计值' if flow else '数值'}"),
            yoy=_figure(now, "yoy_cumulative", MISSING, "累计同比" if flow else "同比", rate=True),
            yoy_month=_figure(now, "yoy_month", MISSING, "当月同比", rate=True) if flow
            else Figure(None, "时点或比率指标（非按年累计），无当月同比", rate=True),
            mom=mom, problems=tuple(problems.get(key, ()))))
    return tuple(out)


def zone_for(user: Any, zone_code: str) -> Zone:
    """A zone in the user's scope by its code (404 outside it)."""
    return get_object_or_404(zone_list(user.scope), code=zone_code)


def visible_submissions(user: Any) -> QuerySet[Submission]:
    return Submission.objects.filter(zone__in=zone_list(user.scope)).select_related("zone")


def submission_page(user: Any, submission_id: int) -> SubmissionPage:
    """A submission in the user's scope (404 outside it) with the review actions open to the user."""
    submission = get_object_or_404(visible_submissions(user), pk=submission_id)
    allowed = SUBMISSION_FLOW.allowed_actions(user, submission)
    actions = tuple(Action(t.action, t.label) for t in SUBMISSION_FLOW.transitions
                    if t.action in REVIEW_ACTIONS and t.action in allowed)
    note = ""
    if (not actions and submission.state == Submission.State.SUBMITTED and authz.has(user, caps.REVIEW)
            and submission.submitted_by_id == user.pk):
        note = "本人报送的数据须由其他人员审核。"
    return SubmissionPage(submission, tuple(_problem(v) for v in submission.violations),
                          tuple(errors_of(submission)), tuple(warnings_of(submission)), actions, note,
                          figures=figure_rows(submission), can_withdraw=WITHDRAW in allowed)


def period_label(period: str) -> str:
    """2026-10 → 2026年1—10月"""
    parsed = parse_period(period)
    return parsed.label() if parsed else period


def submission_label(submission: Submission) -> str:
    """兰州经济技术开发区 2026年1—10月"""
    return f"{submission.zone.name} {period_label(submission.period)}"


# ---- 批量审核 ----

@dataclass(frozen=True)
class BatchItem:
    submission: Submission  # with zone and submitter
    label: str
    refusal: str  # why it cannot be approved in the batch; "" when it will be

    @property
    def period_label(self) -> str:
        return period_label(self.submission.period)

    @property
    def submitter(self) -> str:
        """Who reported it: the account's name, else its unit ("—" when not recorded)."""
        user = self.submission.submitted_by
        if user is None:
            return "—"
        return str(user.first_name or (user.org_unit.name if user.org_unit else "") or "—")

    @property
    def token(self) -> str:
        """What the confirmation posts back: the id and the 报送时间 the reviewer saw."""
        return f"{self.submission.pk}@{self.submission.submitted_at.isoformat()}"


@dataclass(frozen=True)
class BatchSelection:
    ready: tuple[BatchItem, ...]  # will be approved on confirmation
    refused: tuple[BatchItem, ...]  # ticked but not batch-approvable, with the reason
    unknown: int  # ticked ids not found in the user's scope


def batch_selection(user: Any, ids: Iterable[int]) -> BatchSelection:
    """The confirmation step of 批量审核: what will be approved and what will not, and why (one query)."""
    wanted = list(dict.fromkeys(ids))
    found = {s.pk: s for s in visible_submissions(user).select_related("submitted_by__org_unit")
             .filter(pk__in=wanted).order_by("period", "zone__code")}
    items = [BatchItem(s, submission_label(s), batch_refusal(user, s)) for s in found.values()]
    return BatchSelection(tuple(i for i in items if not i.refusal), tuple(i for i in items if i.refusal),
                          len(wanted) - len(found))


# ---- bulletins ----

@dataclass(frozen=True)
class BulletinRow:
    bulletin: Bulletin  # without its document
    actions: tuple[Action, ...]  # 审核 / 发布, as open to the user
    note: str = ""


@dataclass(frozen=True)
class BulletinList:
    rows: tuple[BulletinRow, ...]
    can_draft: bool
    periods: tuple[str, ...]  # the periods a draft may be made for, newest first
    drafts_visible: bool  # the user sees drafts and reviewed bulletins, not only published ones


def visible_bulletins(user: Any) -> QuerySet[Bulletin]:
    """Published bulletins for everyone; drafts and reviewed ones for those who hold the capability."""
    bulletins = Bulletin.objects.all()
    if not authz.has(user, caps.VIEW_BULLETIN_DRAFTS):
        bulletins = bulletins.filter(state=Bulletin.State.PUBLISHED)
    return bulletins


def bulletin_periods(today: date) -> list[str]:
    return recent_periods(today, 12)


def bulletin_list(user: Any, today: date) -> BulletinList:
    rows = []
    for b in visible_bulletins(user).defer("document"):
        actions = tuple(Action(t.action, t.label) for t in BULLETIN_FLOW.allowed(user, b))
        note = ""
        if (not actions and b.state == Bulletin.State.DRAFT and b.created_by_id == user.pk
                and authz.has(user, caps.PUBLISH_BULLETIN)):
            note = "本人起草，须由他人审核"
        rows.append(BulletinRow(b, actions, note))
    return BulletinList(tuple(rows), authz.has(user, caps.DRAFT_BULLETIN), tuple(bulletin_periods(today)),
                        authz.has(user, caps.VIEW_BULLETIN_DRAFTS))


def bulletin_for(user: Any, bulletin_id: int, *, with_document: bool = False) -> Bulletin:
    """A bulletin the user may see (404 otherwise: a draft's existence is not disclosed)."""
    bulletins = visible_bulletins(user)
    return get_object_or_404(bulletins if with_document else bulletins.defer("document"), pk=bulletin_id)


def publish_preview(bulletin: Bulletin) -> list[tuple[str, str]]:
    """What 发布 makes public, for the confirmation: as the document says it."""
    author = bulletin.created_by
    return [("标题", bulletin_title(bulletin.period, bulletin.title)),
            ("发文字号", bulletin.number or "未填写"),
            ("成文日期", f"{bulletin.issue_date:%Y年%-m月%-d日}" if bulletin.issue_date else "未记录"),
            ("通报期间", period_label(bulletin.period)),
            ("当前状态", str(bulletin.get_state_display())),
            ("起草人", str(author.first_name or author.username) if author else "—"),
            ("生成时间", f"{timezone.localtime(bulletin.created_at):%Y-%m-%d %H:%M}")]


# ---- 更正申请 ----

@dataclass(frozen=True)
class CorrectionRow:
    correction: CorrectionRequest  # with indicator, requester and reviewer
    actions: tuple[Action, ...]  # 同意更正 / 不同意更正, as open to the user


@dataclass(frozen=True)
class CorrectionPanel:
    """The corrections of an approved report (both values each), the request form's indicators when the
    user may ask for one, and the review buttons open to the user."""

    rows: tuple[CorrectionRow, ...]
    indicators: tuple[tuple[str, str], ...]  # (key, name) the user may ask to correct; () when it may not ask
    locked: bool  # the report is approved: its figures change only by a correction


def correction_panel(user: Any, submission: Submission) -> CorrectionPanel:
    locked = submission.state == Submission.State.APPROVED
    corrections = list(CorrectionRequest.objects.filter(submission=submission)
                       .select_related("indicator", "requested_by", "reviewed_by", "submission__zone"))
    rows = tuple(CorrectionRow(c, tuple(Action(t.action, t.label) for t in CORRECTION_FLOW.allowed(user, c)))
                 for c in corrections)
    may_ask = locked and authz.has(user, caps.SUBMIT) and user.scope.can_write_zone(submission.zone_id)
    indicators = tuple(submission.calendar.indicators.order_by("id").values_list("key", "name")) if may_ask else ()
    return CorrectionPanel(rows, indicators, locked)


def correction_for(user: Any, correction_id: int) -> CorrectionRequest:
    """A correction of a submission in the user's scope (404 outside it)."""
    return get_object_or_404(CorrectionRequest.objects.select_related("submission__zone", "indicator")
                             .filter(submission__in=visible_submissions(user)), pk=correction_id)
