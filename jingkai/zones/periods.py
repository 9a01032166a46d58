"""Periods as Chinese statistics report them: `YYYY`, `YYYY-Qn`, `YYYY-MM` (cumulative from January).

A period can be reported once it has ended: a statistics office reports a month (1—11月) in the days after
its last day, a quarter after the quarter, a year after 31 December. So on 2026-12-01 the month 2026-11 is
accepted and 2026-12, 2026-Q4 and 2026 are not (`is_open`); the demo and the entry page's default period (the
last complete month) follow the same rule."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

_PERIOD = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int | None = None
    month: int | None = None

    @property
    def frequency(self) -> str:
        return "month" if self.month else "quarter" if self.quarter else "year"

    def __str__(self) -> str:
        if self.month:
            return f"{self.year}-{self.month:02d}"
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        return f"{self.year}"

    def label(self) -> str:
        if self.month:
            return f"{self.year}年1—{self.month}月" if self.month > 1 else f"{self.year}年1月"
        if self.quarter:
            return f"{self.year}年第{self.quarter}季度"
        return f"{self.year}年"

    def end(self) -> date:
        """The last day of the period."""
        month = self.month or (self.quarter * 3 if self.quarter else 12)
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def same_period_last_year(self) -> "Period":
        """上年同期: the same month, quarter or year one year earlier."""
        return Period(self.year - 1, self.quarter, self.month)

    def previous_month(self) -> "Period | None":
        """The previous month of the same year, against which a cumulative flow may not fall."""
        return Period(self.year, month=self.month - 1) if self.month and self.month > 1 else None


def parse_period(text: str) -> Period | None:
    match = _PERIOD.match(str(text).strip())
    if not match:
        return None
    year, quarter, month = match.groups()
    return Period(int(year), int(quarter) if quarter else None, int(month) if month else None)


def is_open(period: Period, today: date) -> bool:
    """True while the period has not ended (its last day is today or later): not yet reportable."""
    return period.end() >= today


def latest_reportable_month(today: date) -> Period:
    """The last month that has ended before `today`."""
    return Period(today.year, month=today.month - 1) if today.month > 1 else Period(today.year - 1, month=12)


def open_period_message(period: Period, today: date) -> str:
    return (f"{period.label()}尚未结束（至 {period.end():%Y-%m-%d}），不能填报未结束期间的数据；"
            f"数据须在期间结束后填报，当前最近可填报的月份为 {latest_reportable_month(today)}")
