"""报送 from 指标填报: the entry page of a month in the monthly calendar shows the month's 报送 status and, for
those who may report it, the 报送 button (the same POST as the status matrix's); a department sees no button."""

from jingkai.monitoring.models import ReportingCalendar, Submission
from jingkai.zones.models import Indicator


def _calendar(zones):
    cal = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    cal.indicators.set(Indicator.objects.filter(key__in=["industrial_output"]))
    cal.zones.set(zones.values())
    return cal


def test_the_entry_page_reports_the_month(client, site_data, lz_zone_user):
    cal = _calendar(site_data)
    zone = cal.zones.get(code="GS-LZ")
    client.force_login(lz_zone_user)
    page = client.get("/indicators/entry/?period=2025-09").content.decode()
    panel = page.split('id="entry-submission"')[1]
    assert "报送 2025年1—9月" in panel and "逾期" in panel and "截止日期 2025-10-10" in panel
    assert 'action="/monitoring/submit/GS-LZ/2025-09/"' in panel
    response = client.post("/monitoring/submit/GS-LZ/2025-09/", follow=True)
    assert Submission.objects.get(calendar=cal, zone=zone, period="2025-09").state == "submitted"
    assert "已报送 兰州经济技术开发区 2025-09" in response.content.decode()
    panel = client.get("/indicators/entry/?period=2025-09").content.decode().split('id="entry-submission"')[1]
    assert "已报" in panel and "/monitoring/submit/" not in panel  # reported: no second button, a link instead
    assert "查看报送与审核情况" in panel


def test_no_panel_outside_the_calendar_or_for_a_quarter(client, site_data, lz_zone_user):
    client.force_login(lz_zone_user)
    assert 'id="entry-submission"' not in client.get("/indicators/entry/?period=2025-09").content.decode()
    _calendar(site_data)
    assert 'id="entry-submission"' not in client.get("/indicators/entry/?zone=GS-LZ&period=2024").content.decode()
