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
    assert data.missing_zones == ["GS-JC"]
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
