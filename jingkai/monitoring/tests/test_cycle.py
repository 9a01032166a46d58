import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from jingkai.monitoring.models import Bulletin, ReportingCalendar, Submission
from jingkai.monitoring.selectors import NOT_REPORTED, OVERDUE, bulletin_data, due_date, status
from jingkai.monitoring.services import advance_bulletin, draft_bulletin, review, submit
from jingkai.testing import make_user
from jingkai.zones.models import Indicator, IndicatorValue

KEYS = ["industrial_output", "industrial_value_added", "trade_total", "exports", "imports"]


@pytest.fixture
def calendar(zones):
    cal = ReportingCalendar.objects.create(name="经开区主要经济指标月报", frequency="month", due_day=10)
    cal.indicators.set(Indicator.objects.filter(key__in=KEYS))
    cal.zones.set(zones.values())
    return cal


def put(zone, period, **values):
    for key, value in values.items():
        IndicatorValue.objects.update_or_create(zone=zone, period=period, indicator=Indicator.objects.get(key=key),
                                                defaults={"value": value})


def good(zone, period, scale=1.0):
    put(zone, period, industrial_output=1000 * scale, industrial_value_added=250 * scale, trade_total=300 * scale,
        exports=200 * scale, imports=100 * scale)


def test_due_date_and_overdue_boundary(calendar):
    assert due_date(calendar, "2026-09") == date(2026, 10, 10)
    assert due_date(calendar, "2026-12") == date(2027, 1, 10)
    assert status(calendar, "2026-09", None, date(2026, 10, 10)) == NOT_REPORTED  # the due day itself is in time
    assert status(calendar, "2026-09", None, date(2026, 10, 11)) == OVERDUE


def test_only_the_zone_itself_submits(calendar, zones, lz_user, department_user):
    good(zones["GS-LZ"], "2026-09")
    with pytest.raises(PermissionDenied):
        submit(department_user, calendar, zones["GS-LZ"], "2026-09")
    with pytest.raises(PermissionDenied):
        submit(lz_user, calendar, zones["GS-JC"], "2026-09")
    assert submit(lz_user, calendar, zones["GS-LZ"], "2026-09").state == "submitted"


def test_errors_block_approval_and_warnings_need_a_comment(calendar, zones, lz_user, province_user):
    put(zones["GS-LZ"], "2026-09", industrial_output=1000, industrial_value_added=1200, trade_total=300,
        exports=200, imports=100)
    submission = submit(lz_user, calendar, zones["GS-LZ"], "2026-09")
    assert any(v["rule"] and v["severity"] == "error" and v["indicator"] == "industrial_value_added"
               for v in submission.violations)
    with pytest.raises(ValidationError):
        review(province_user, submission, approve=True, comment="已核实")
    with pytest.raises(ValidationError):
        review(province_user, submission, approve=False)  # a return needs its reason
    assert review(province_user, submission, approve=False, comment="增加值大于总产值").state == "returned"
    good(zones["GS-LZ"], "2026-09")
    submission = submit(lz_user, calendar, zones["GS-LZ"], "2026-09")
    assert not [v for v in submission.violations if v["severity"] == "error"]
    with pytest.raises(PermissionDenied):
        review(lz_user, submission, approve=True, comment="x")
    assert review(province_user, submission, approve=True, comment="").state == "approved"


def test_bulletin_counts_reviewed_figures_only_and_published_is_frozen(calendar, zones, province_user):
    checker = make_user("prov-checker", "province")  # the drafter does not review their own draft
    for zone in zones.values():
        good(zone, "2025-09")
        good(zone, "2026-09", scale=1.1 if zone.code == "GS-LZ" else 0.9)
        for period in ("2025-09", "2026-09"):
            Submission.objects.create(calendar=calendar, zone=zone, period=period, state="approved",
                                      submitted_at="2026-10-05T10:00:00+08:00")
    Submission.objects.filter(zone=zones["GS-JC"], period="2026-09").update(state="submitted")
    data = bulletin_data(calendar, "2026-09", date(2026, 10, 20))
    assert data.pending_zones == ["GS-JC"] and data.missing_zones == data.overdue_zones == []
    rows = [r for r in data.rows if r["period"] == "2026-09" and r["indicator"] == "industrial_output"]
    assert [(r["zone_code"], round(r["yoy_cumulative"], 4)) for r in rows] == [("GS-LZ", 0.1)]

    bulletin = draft_bulletin(province_user, calendar, "2026-09", date(2026, 10, 20))
    doc = Document(io.BytesIO(bytes(bulletin.document)))
    assert "兰州经济技术开发区" in "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    advance_bulletin(checker, bulletin)
    published = advance_bulletin(checker, bulletin)
    assert published.state == Bulletin.State.PUBLISHED
    with pytest.raises(ValidationError):
        advance_bulletin(checker, published)
    again = Bulletin.objects.get(pk=bulletin.pk)
    assert bytes(again.document) == bytes(bulletin.document)


def test_zone_user_cannot_publish(calendar, zones, province_user):
    good(zones["GS-LZ"], "2026-09")
    bulletin = draft_bulletin(province_user, calendar, "2026-09", date(2026, 10, 20))
    with pytest.raises(PermissionDenied):
        advance_bulletin(make_user("jc-x", "zone-gs-jc"), bulletin)


def test_due_day_past_the_month_end_is_the_last_day_not_the_28th(calendar):
    calendar.due_day = 31
    assert due_date(calendar, "2026-10") == date(2026, 11, 30)  # was 11-28: reports of the 29th–30th 逾期
    assert due_date(calendar, "2026-12") == date(2027, 1, 31)
    assert due_date(calendar, "2027-01") == date(2027, 2, 28)


def test_bulletin_reporting_puts_each_zone_in_one_group_by_the_calendar(calendar, zones):
    """报送情况 of 2026-11 (due 12-10): returned zones were 未报送, a late unreviewed zone was both 未报送 and
    逾期, and zones were 逾期 before the deadline."""
    from jingkai.testing import make_zone

    zones = dict(zones) | {code: make_zone(code, name=name) for code, name in (
        ("GS-TS", "天水经济技术开发区"), ("GS-ZY", "张掖经济技术开发区"), ("GS-WW", "武威经济技术开发区"))}
    calendar.zones.set(zones.values())
    lz, jc, ts = zones["GS-LZ"], zones["GS-JC"], zones["GS-TS"]
    others = sorted((z for z in zones.values() if z not in (lz, jc, ts)), key=lambda z: z.code)
    Submission.objects.create(calendar=calendar, zone=lz, period="2026-11", state="approved",
                              submitted_at="2026-12-11T09:00:00+08:00")  # a day late
    Submission.objects.create(calendar=calendar, zone=jc, period="2026-11", state="returned",
                              submitted_at="2026-12-08T09:00:00+08:00")
    Submission.objects.create(calendar=calendar, zone=ts, period="2026-11", state="submitted",
                              submitted_at="2026-12-12T09:00:00+08:00")  # late, not yet reviewed
    Submission.objects.create(calendar=calendar, zone=others[0], period="2026-11", state="approved",
                              submitted_at="2026-12-10T23:30:00+08:00")  # the due day, Beijing time: on time
    after = bulletin_data(calendar, "2026-11", date(2026, 12, 20))
    assert after.due == date(2026, 12, 10)
    assert after.late_zones == ["GS-LZ"] and after.returned_zones == ["GS-JC"] and after.pending_zones == ["GS-TS"]
    assert after.overdue_zones == sorted(z.code for z in others[1:]) and after.missing_zones == []
    groups = [after.late_zones, after.returned_zones, after.pending_zones, after.overdue_zones, after.missing_zones]
    named = [code for group in groups for code in group]
    assert len(named) == len(set(named)) == len(zones) - 1  # every zone once; the on-time one in none

    Submission.objects.filter(period="2026-11", zone__in=[lz, ts]).delete()
    before = bulletin_data(calendar, "2026-11", date(2026, 12, 5))  # before the deadline: nobody is 逾期
    assert before.overdue_zones == before.late_zones == []
    assert before.missing_zones == sorted([lz.code, ts.code] + [z.code for z in others[1:]])
    assert before.returned_zones == ["GS-JC"]
