from datetime import date

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
