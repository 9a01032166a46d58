"""Working days (工作日) with China's holidays and 调休 make-up days, from the `chinese-calendar` package.

Years the package does not know yet (it ships each year's 国务院办公厅 notice) fall back to Monday–Friday, and
`covered()` says so, so that a plan or a deadline over such a year is marked 待确认 instead of silently wrong.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar

PACKAGE = f"chinese-calendar {chinese_calendar.__version__}"


@lru_cache(maxsize=4096)
def _known(day: dt.date) -> bool | None:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # the package has no holiday notice for that year
        return None


def covered(day: dt.date) -> bool:
    """Whether the calendar knows the holidays and 调休 of `day`'s year."""
    return _known(day) is not None


def is_workday(day: dt.date) -> bool:
    known = _known(day)
    return day.weekday() < 5 if known is None else known


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The working days from `start` to `end`, both included."""
    days = (start + dt.timedelta(n) for n in range((end - start).days + 1))
    return [d for d in days if is_workday(d)]


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (`day` itself not counted): "自…之日起 n 个工作日内" ends on it."""
    while n > 0:
        day += dt.timedelta(1)
        n -= is_workday(day)
    return day


def describe(start: dt.date, end: dt.date) -> str:
    """What calendar a period was planned on, in Chinese."""
    missing = sorted({y for y in range(start.year, end.year + 1) if not covered(dt.date(y, 6, 1))})
    if not missing:
        return f"法定节假日及调休安排（{PACKAGE}）"
    years = "、".join(str(y) for y in missing)
    return f"{years} 年节假日安排尚未收录，暂按周一至周五计算（待确认）"
