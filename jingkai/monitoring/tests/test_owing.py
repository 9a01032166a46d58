"""催报名单 on 报送情况: "各园区均已报送" only when every zone of the calendar has reported the latest month.

A zone user who has reported sees an empty 催报名单 (other zones are outside their scope); the page said
"各园区均已报送" then although other zones had not reported (issue 12)."""

from datetime import date

from jingkai.monitoring.models import ReportingCalendar, Submission
from jingkai.monitoring.selectors import recent_periods
from jingkai.testing import make_user, zone_user
from jingkai.zones.models import Indicator


def _calendar(zones):
    cal = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    cal.indicators.set(Indicator.objects.filter(key__in=["industrial_output"]))
    cal.zones.set(zones.values())
    return cal


def _report(cal, zone, state="submitted"):
    return Submission.objects.create(calendar=cal, zone=zone, period=recent_periods(date.today(), 1)[0], state=state,
                                     submitted_at="2026-10-05T10:00:00+08:00")


def test_a_zone_that_reported_is_not_told_every_zone_did(client, zones):
    cal = _calendar(zones)
    _report(cal, zones["GS-LZ"], "approved")  # 金昌 has not reported
    client.force_login(zone_user(zones["GS-LZ"]))
    page = client.get("/monitoring/submissions/").content.decode()
    assert "各园区均已报送" not in page
    assert "您所辖的兰州经济技术开发区已报送" in page

    client.force_login(make_user("prov", "province"))
    page = client.get("/monitoring/submissions/").content.decode()
    assert "各园区均已报送" not in page
    assert "金昌经济技术开发区：" in page.split("催报名单")[1]


def test_every_zone_reported_says_so(client, zones):
    cal = _calendar(zones)
    _report(cal, zones["GS-LZ"])
    _report(cal, zones["GS-JC"], "approved")  # 已报 and 已审核 both count as reported
    client.force_login(make_user("prov", "province"))
    page = client.get("/monitoring/submissions/").content.decode()
    assert f"{recent_periods(date.today(), 1)[0]} 各园区均已报送" in page
    client.force_login(zone_user(zones["GS-JC"]))
    assert "各园区均已报送" not in client.get("/monitoring/submissions/").content.decode()


def test_a_returned_report_is_still_owed(client, zones):
    cal = _calendar(zones)
    _report(cal, zones["GS-LZ"])
    _report(cal, zones["GS-JC"], "returned")
    client.force_login(make_user("prov", "province"))
    owing = client.get("/monitoring/submissions/").content.decode().split("催报名单")[1]
    assert "金昌经济技术开发区：退回" in owing and "各园区均已报送" not in owing
