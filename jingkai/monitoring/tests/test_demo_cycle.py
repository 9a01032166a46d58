from datetime import date

import pytest

from jingkai.monitoring import demo
from jingkai.monitoring.models import Submission
from jingkai.zones.models import Indicator, IndicatorValue


def test_demo_cycle_has_every_state_in_the_latest_month(zones):
    industrial_output = Indicator.objects.get(key="industrial_output")
    for zone in zones.values():
        for period in ("2026-08", "2026-09"):
            IndicatorValue.objects.create(zone=zone, period=period, indicator=industrial_output, value=1.0)
    calendar = demo.build(seed=1, today=date(2026, 10, 20))
    assert Submission.objects.filter(period="2026-08", state="approved").count() == 2
    assert Submission.objects.get(zone__code="GS-LZ", period="2026-09").state == "approved"
    assert set(calendar.zones.values_list("code", flat=True)) == {"GS-LZ", "GS-JC"}


def test_demo_drafts_its_bulletin_as_a_clerk_so_demo_admin_can_review_it(zones):
    from jingkai.monitoring.bulletin import MissingCJKFont, cjk_font
    from jingkai.monitoring.models import Bulletin
    from jingkai.monitoring.workflows import BULLETIN_FLOW
    from jingkai.testing import make_user

    try:
        cjk_font()
    except MissingCJKFont:
        pytest.skip("本机未安装中文字体，演示数据不生成通报")
    industrial_output = Indicator.objects.get(key="industrial_output")
    for zone in zones.values():
        for period in ("2025-09", "2026-09"):
            IndicatorValue.objects.create(zone=zone, period=period, indicator=industrial_output, value=1.0)
    demo.build(seed=1, today=date(2026, 10, 20))
    bulletin = Bulletin.objects.get()
    assert (bulletin.period, bulletin.state, bulletin.created_by.username) == ("2026-09", "draft", "demo-province-clerk")
    admin = make_user("demo-admin", "province", is_superuser=True)
    assert BULLETIN_FLOW.allowed_actions(admin, bulletin) == ["review"]


def test_demo_bulletin_for_the_latest_month_matches_the_database(db):
    import io

    from docx import Document

    from jingkai.demo.build import build_demo, latest_complete_month
    from jingkai.demo.generate import DemoSize
    from jingkai.monitoring.bulletin import build_bulletin
    from jingkai.monitoring.models import ReportingCalendar
    from jingkai.monitoring.selectors import bulletin_data

    today = date(2026, 11, 25)
    # the access matrix's build (seed, size, day): the inspections' past-quarter plans are remembered
    build_demo(seed=3, size=DemoSize(enterprises=200, east=4, central=3, west=5), password="pw-demo-123",
               today=today, progress=False)
    year, month = latest_complete_month(today)
    period = f"{year}-{month:02d}"
    data = bulletin_data(ReportingCalendar.objects.get(), period, today)
    lz = next(r for r in data.rows if r["zone_code"] == "GS-LZ" and r["period"] == period
              and r["indicator"] == "industrial_output")
    value = IndicatorValue.objects.get(zone__code="GS-LZ", period=period, indicator__key="industrial_output").value
    base = IndicatorValue.objects.get(zone__code="GS-LZ", period=f"{year - 1}-{month:02d}",
                                      indicator__key="industrial_output").value
    assert {s.submitted_by.username for s in Submission.objects.filter(zone__code="GS-LZ")} == {"demo-gs-lz"}
    assert lz["value"] == value and abs(lz["yoy_cumulative"] - (value / base - 1)) < 1e-9
    doc = Document(io.BytesIO(build_bulletin(data)))
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert f"{value / 1e4:.2f}" in cells  # the table shows the database's figure (万元, shown in 亿元)
    # 兰州's latest month carries one approved and one pending 更正申请, requested by the zone's own account
    from jingkai.monitoring.models import CorrectionRequest

    corrections = {c.indicator.key: c for c in CorrectionRequest.objects.select_related("indicator", "requested_by")}
    approved, pending = corrections["fixed_asset_investment"], corrections["tax_revenue"]
    assert (approved.state, pending.state) == (CorrectionRequest.State.APPROVED, CorrectionRequest.State.PENDING)
    assert approved.requested_by.username == "demo-gs-lz" and approved.old_value != approved.new_value
    assert IndicatorValue.objects.get(zone__code="GS-LZ", period=period,
                                      indicator__key="fixed_asset_investment").value == approved.new_value
    assert IndicatorValue.objects.get(zone__code="GS-LZ", period=period,
                                      indicator__key="tax_revenue").value == pending.old_value  # not yet applied


def test_demo_built_before_the_deadline_reports_nothing_from_the_future(zones):
    # the demo stamped the latest month's reports after today (due date ± a few days), so a bulletin drafted
    # before the deadline called zones 逾期
    from django.utils import timezone

    from jingkai.monitoring.selectors import bulletin_data

    industrial_output = Indicator.objects.get(key="industrial_output")
    for zone in zones.values():
        for period in ("2026-10", "2026-11"):
            IndicatorValue.objects.create(zone=zone, period=period, indicator=industrial_output, value=1.0)
    today = date(2026, 12, 1)  # 2026-11 is due on 12-10
    for seed in range(6):
        calendar = demo.build(seed=seed, today=today)
        stamps = Submission.objects.values_list("submitted_at", "reviewed_at")
        assert all(timezone.localdate(s) < today and (r is None or timezone.localdate(r) <= today) for s, r in stamps)
        data = bulletin_data(calendar, "2026-11", today)
        assert data.late_zones == data.overdue_zones == []
