"""Approved data stays approved: once the province has approved a zone's report for a month, the report's
indicators for that zone and month no longer change by entry or import (monitoring provides the extension
point `zones.locked_periods`; zones never imports monitoring). A correction is a 更正申请."""

import pytest

from jingkai.intake.services import run_import_rows
from jingkai.monitoring.models import ReportingCalendar, Submission
from jingkai.zones.models import Indicator, IndicatorValue


@pytest.fixture
def calendar(site_data):
    cal = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    cal.indicators.set(Indicator.objects.filter(key__in=["industrial_output", "tax_revenue"]))
    cal.zones.set(site_data.values())
    return cal


def report(calendar, zone, state, period="2025-09"):
    return Submission.objects.create(calendar=calendar, zone=zone, period=period, state=state,
                                     submitted_at="2025-10-05T10:00:00+08:00")


def _value(zone, period, key):
    return IndicatorValue.objects.get(zone__code=zone, period=period, indicator__key=key).value


def test_entry_over_an_approved_month_is_refused(client, site_data, calendar, lz_zone_user):
    report(calendar, site_data["GS-LZ"], "approved")
    client.force_login(lz_zone_user)
    page = client.get("/indicators/entry/?zone=GS-LZ&period=2025-09").content.decode()
    assert "的报表已审核" in page and "如需更正请提交更正申请" in page
    row = page[page.index('id="id_v_tax_revenue"'):][:300]
    assert "readonly" in row and "已锁定" in row
    assert "readonly" not in page[page.index('id="id_v_gdp"'):][:300]  # not in the report: not locked
    response = client.post("/indicators/entry/", {"zone": "GS-LZ", "period": "2025-09", "v_tax_revenue": "1100"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "兰州经济技术开发区 2025年1—9月的“税收收入”已审核，数据已锁定；如需更正请提交更正申请" in text
    assert _value("GS-LZ", "2025-09", "tax_revenue") == 1800
    # an indicator outside the approved report, and the month before, stay open
    assert client.post("/indicators/entry/", {"zone": "GS-LZ", "period": "2025-09", "v_gdp": "5000"}).status_code == 302
    assert client.post("/indicators/entry/", {"zone": "GS-LZ", "period": "2025-08",
                                              "v_tax_revenue": "1700"}).status_code == 302


@pytest.mark.parametrize("state", ["submitted", "returned"])
def test_a_report_not_yet_approved_locks_nothing(site_data, calendar, state):
    report(calendar, site_data["GS-LZ"], state)
    rows = [{"zone_code": "GS-LZ", "period": "2025-09", "indicator": "tax_revenue", "value": "1850"}]
    assert run_import_rows("zone-indicators", rows).ok and _value("GS-LZ", "2025-09", "tax_revenue") == 1850


def test_import_over_an_approved_month_names_row_column_value_rule(site_data, calendar):
    report(calendar, site_data["GS-JC"], "approved")
    rows = [{"zone_code": "GS-LZ", "period": "2025-09", "indicator": "tax_revenue", "value": "1850"},  # not approved
            {"zone_code": "GS-JC", "period": "2025-09", "indicator": "tax_revenue", "value": "5944.4"},
            {"zone_code": "GS-JC", "period": "2025-09", "indicator": "industrial_output", "value": "3600"},  # same
            {"zone_code": "GS-JC", "period": "2025-09", "indicator": "gdp", "value": "10"}]  # not in the report
    result = run_import_rows("zone-indicators", rows)
    assert not result.ok
    assert [(e.row, e.column, e.value) for e in result.errors] == [(2, "数值（value）", "5944.4")]
    assert "金昌经济技术开发区 2025年1—9月的“税收收入”已审核，数据已锁定" in result.errors[0].message
    assert _value("GS-LZ", "2025-09", "tax_revenue") == 1800 and _value("GS-JC", "2025-09", "tax_revenue") == 3600
    # the stored value repeated (a re-import, an export imported back) changes nothing and passes
    assert run_import_rows("zone-indicators", rows[2:3]).ok


def test_a_missing_value_of_an_approved_month_cannot_be_added(site_data, calendar):
    IndicatorValue.objects.filter(zone__code="GS-JC", period="2025-09", indicator__key="tax_revenue").delete()
    report(calendar, site_data["GS-JC"], "approved")
    rows = [{"zone_code": "GS-JC", "period": "2025-09", "indicator": "tax_revenue", "value": "3600"}]
    result = run_import_rows("zone-indicators", rows)
    assert not result.ok and "已锁定" in result.errors[0].message


def test_a_revised_base_of_an_approved_month_is_locked_too(client, site_data, calendar, lz_zone_user):
    report(calendar, site_data["GS-JC"], "approved")
    rows = [{"zone_code": "GS-JC", "period": "2025-09", "indicator": "tax_revenue", "value": "3600",
             "base_revised": "3340.8"}]  # the value as stored, a new 上年同期调整值: it would change the 同比
    result = run_import_rows("zone-indicators", rows)
    assert not result.ok and "已锁定" in result.errors[0].message
    assert IndicatorValue.objects.get(zone__code="GS-JC", period="2025-09", indicator__key="tax_revenue").base_revised is None
    report(calendar, site_data["GS-LZ"], "approved")
    client.force_login(lz_zone_user)
    page = client.get("/indicators/entry/?zone=GS-LZ&period=2025-09").content.decode()
    assert "readonly" in page[page.index('id="id_b_tax_revenue"'):][:300]
    response = client.post("/indicators/entry/", {"zone": "GS-LZ", "period": "2025-09", "b_tax_revenue": "1712.5"})
    assert response.status_code == 400 and "已锁定" in response.content.decode()
