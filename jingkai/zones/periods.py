"""Periods as Chinese statistics report them: `YYYY`, `YYYY-Qn`, `YYYY-MM` (cumulative from January)."""

import re
from dataclasses import dataclass

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

    def previous_month(self) -> "Period | None":
        """The previous month of the same year, against which a cumulative flow may not fall."""
        return Period(self.year, month=self.month - 1) if self.month and self.month > 1 else None


def parse_period(text: str) -> Period | None:
    match = _PERIOD.match(str(text).strip())
    if not match:
        return None
    year, quarter, month = match.groups()
    return Period(int(year), int(quarter) if quarter else None, int(month) if month else None)
