"""Periods in the future are refused: a period can be reported once it has ended (its last day is before today),
as a statistics office reports 1—11月 in December. On the entry page, in an import's 期间 column."""

from datetime import date

import pytest
from django.utils import timezone

from jingkai.intake.services import run_import_rows
from jingkai.zones.models import IndicatorValue
from jingkai.zones.periods import Period, is_open, latest_reportable_month, parse_period


@pytest.mark.parametrize(("text", "today", "still_open"), [
    ("2026-11", date(2026, 11, 30), True),   # the month's last day: not over yet
    ("2026-11", date(2026, 12, 1), False),   # reportable from the first day of the next month
    ("2026-12", date(2026, 12, 1), True),    # the current month
    ("2027-05", date(2026, 12, 1), True),    # the future
    ("2024-02", date(2024, 2, 29), True),    # a leap February ends on the 29th
    ("2024-02", date(2024, 3, 1), False),
    ("2026-Q3", date(2026, 9, 30), True),
    ("2026-Q3", date(2026, 10, 1), False),
    ("2026-Q4", date(2026, 12, 1), True),
    ("2026", date(2026, 12, 31), True),
    ("2026", date(2027, 1, 1), False),
    ("2025", date(2026, 12, 1), False),
])
def test_a_period_is_open_until_its_last_day_has_passed(text, today, still_open):
    period = parse_period(text)
    assert period is not None and is_open(period, today) is still_open


def test_latest_reportable_month_crosses_the_year():
    assert latest_reportable_month(date(2026, 12, 1)) == Period(2026, month=11)
    assert latest_reportable_month(date(2027, 1, 1)) == Period(2026, month=12)
    assert Period(2026, month=2).end() == date(2026, 2, 28) and Period(2026, quarter=4).end() == date(2026, 12, 31)


def _this_and_last_month() -> tuple[str, str]:
    today = timezone.localdate()
    return f"{today.year}-{today.month:02d}", str(latest_reportable_month(today))


def test_entry_page_refuses_the_current_and_future_months(client, lz_zone_user):
    current, last = _this_and_last_month()
    client.force_login(lz_zone_user)
    for period in (current, "2099-05", str(timezone.localdate().year + 1)):
        page = client.get(f"/indicators/entry/?zone=GS-LZ&period={period}").content.decode()
        assert "尚未结束" in page and "不能填报未结束期间的数据" in page and f"最近可填报的月份为 {last}" in page
        assert 'name="v_' not in page
        response = client.post("/indicators/entry/", {"zone": "GS-LZ", "period": period, "v_industrial_output": "1",
                                                      "v_rd_intensity": "0.1"})
        assert "尚未结束" in response.content.decode()
        assert not IndicatorValue.objects.filter(period=period).exists()
    page = client.get(f"/indicators/entry/?zone=GS-LZ&period={last}").content.decode()
    assert "尚未结束" not in page and 'name="v_industrial_output"' in page
    assert f'name="period" value="{last}"' in client.get("/indicators/entry/").content.decode()  # the default


def test_import_refuses_open_periods_naming_row_column_value_rule(zones):
    current, last = _this_and_last_month()
    rows = [{"zone_code": "GS-LZ", "period": last, "indicator": "tax_revenue", "value": "10"},
            {"zone_code": "GS-LZ", "period": current, "indicator": "tax_revenue", "value": "20"},
            {"zone_code": "GS-LZ", "period": "2099-12", "indicator": "gdp", "value": "30"}]
    result = run_import_rows("zone-indicators", rows)
    assert not result.ok and not IndicatorValue.objects.exists()
    found = [(e.row, e.column, e.value) for e in result.errors]
    assert found == [(2, "期间（period）", current), (3, "期间（period）", "2099-12")]
    assert "2099年1—12月尚未结束（至 2099-12-31），不能填报未结束期间的数据" in result.errors[1].message
    assert run_import_rows("zone-indicators", rows[:1]).ok
