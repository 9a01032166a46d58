"""The reviewer sees what it approves: every figure of the submitted month with 上期, 上年同期, 同比 and 环比 (the
derive engine's 当月值 and 同比), its quality flags per indicator, and — when there are warnings or errors — an
opinion field marked required before anything is decided."""

import re

import pytest

from jingkai.monitoring.models import ReportingCalendar, Submission
from jingkai.monitoring.selectors import figure_rows
from jingkai.testing import make_user
from jingkai.zones.models import Indicator, IndicatorValue

WARNING = {"severity": "warning", "rule": "growth_outlier", "indicator": "exports", "zone_code": "GS-LZ",
           "period": "2026-09", "message": "出口额累计同比增长 250.0%，超出合理范围，请核实"}
ERROR = {"severity": "error", "rule": "trade_sum_mismatch", "indicator": "trade_total", "zone_code": "GS-LZ",
         "period": "2026-09", "message": "进出口总额不等于进口与出口之和"}

# 规上工业总产值 of 兰州 (万元, 1—n月累计): 当月值 2026-09 = 9,200 − 8,000 = 1,200; 2026-08 = 1,000; 2025-09 = 900
OUTPUT = {"2026-07": 7000, "2026-08": 8000, "2026-09": 9200, "2025-08": 7100, "2025-09": 8000}


@pytest.fixture
def calendar(zones):
    cal = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    cal.indicators.set(Indicator.objects.filter(key__in=["industrial_output", "trade_total", "exports", "imports"]))
    cal.zones.set(zones.values())
    value = {key: Indicator.objects.get(key=key) for key in ("industrial_output", "exports", "trade_total")}
    lz = zones["GS-LZ"]
    for period, v in OUTPUT.items():
        IndicatorValue.objects.create(zone=lz, indicator=value["industrial_output"], period=period, value=v)
    # 出口额 reported for September only: no August to take its 当月值 from; 进口额 not reported at all
    IndicatorValue.objects.create(zone=lz, indicator=value["exports"], period="2026-09", value=3500)
    IndicatorValue.objects.create(zone=lz, indicator=value["exports"], period="2025-09", value=1000)
    IndicatorValue.objects.create(zone=lz, indicator=value["trade_total"], period="2026-09", value=5000)
    return cal


@pytest.fixture
def reviewer(db):
    return make_user("prov-reviewer", "province")


def submission(calendar, zone, by, *violations, period="2026-09"):
    return Submission.objects.create(calendar=calendar, zone=zone, period=period, state="submitted", submitted_by=by,
                                     submitted_at="2026-10-05T10:00:00+08:00", violations=list(violations))


def test_the_figures_come_from_the_engine_with_last_month_and_last_year(calendar, zones, lz_user):
    rows = {r.key: r for r in figure_rows(submission(calendar, zones["GS-LZ"], lz_user))}
    output = rows["industrial_output"]
    assert (output.name, output.unit, output.flow) == ("规模以上工业总产值", "万元", True)
    assert output.value.value == 9200 and output.month_value.value == 1200
    assert output.previous.value == 1000 and "上月（2026-08）当月值" in output.previous.note  # what 环比 compares with
    assert output.last_year.value == 8000
    assert output.yoy.value == pytest.approx(0.15)  # 9,200 / 8,000 − 1
    assert output.yoy_month.value == pytest.approx(1200 / 900 - 1)  # 当月 against last year's 当月 (8,000 − 7,100)
    assert output.mom.value == pytest.approx(0.2)  # 当月值 1,200 against last month's 1,000, not 9,200 against 8,000
    exports = rows["exports"]
    assert exports.value.value == 3500 and exports.yoy.value == pytest.approx(2.5)
    assert exports.month_value.value is None and "2026-08" in exports.month_value.note  # the engine's reason
    assert exports.mom.value is None and exports.mom.note
    imports = rows["imports"]
    assert imports.value.value is None and imports.value.note == "本期未填报该指标"
    assert all(f.value is None and f.note for f in (imports.month_value, imports.yoy, imports.yoy_month, imports.mom))


def test_the_page_shows_each_figure_and_its_flags(client, calendar, zones, lz_user, reviewer):
    s = submission(calendar, zones["GS-LZ"], lz_user, WARNING)
    client.force_login(reviewer)
    page = client.get(f"/monitoring/submissions/{s.pk}/").content.decode()
    assert "None" not in page and "2026年1—9月" in page
    for header in ("本期值（累计）", "当月值", "上期", "上年同期", "累计同比", "当月同比", "环比"):
        assert f">{header}</th>" in page
    output = page[page.index("<td>规模以上工业总产值</td>"):].split("</tr>")[0]
    for figure in ("9,200.0", "1,200.0", "1,000.0", "8,000.0", "+15.0%", "+33.3%", "+20.0%"):
        assert figure in output
    exports = page[page.index("<td>出口额</td>"):].split("</tr>")[0]
    assert "预警</span> 出口额累计同比增长 250.0%" in exports and "+250.0%" in exports
    # a missing figure is a dash whose title says why
    assert re.search(r'title="缺少上月（2026-08）累计值，无法计算当月值">—</td>', exports)
    imports = page[page.index("<td>进口额</td>"):].split("</tr>")[0]
    assert 'title="本期未填报该指标">—</td>' in imports and "未发现问题" in imports
    assert "环比与上期相比（累计指标即当月值与上月当月值相比" in page


def test_warnings_mark_the_opinion_required_before_approval(client, calendar, zones, lz_user, reviewer):
    warned = submission(calendar, zones["GS-LZ"], lz_user, WARNING)
    clean = submission(calendar, zones["GS-JC"], make_user("demo-gs-jc", "zone-gs-jc"))
    client.force_login(reviewer)
    page = client.get(f"/monitoring/submissions/{warned.pk}/").content.decode()
    assert re.search(r'<textarea name="comment"[^>]* required', page)
    assert "必填：存在 1 项预警，审核通过须说明核实情况" in page
    response = client.post(f"/monitoring/submissions/{warned.pk}/", {"decision": "approve", "comment": ""})
    assert "审核通过时须在审核意见中说明" in response.content.decode()
    assert Submission.objects.get(pk=warned.pk).state == "submitted"
    page = client.get(f"/monitoring/submissions/{clean.pk}/").content.decode()
    assert not re.search(r'<textarea name="comment"[^>]* required', page) and "审核通过可不填" in page


def test_errors_leave_only_a_return(client, calendar, zones, lz_user, reviewer):
    s = submission(calendar, zones["GS-LZ"], lz_user, ERROR)
    client.force_login(reviewer)
    page = client.get(f"/monitoring/submissions/{s.pk}/").content.decode()
    assert 'value="approve"' not in page and 'value="return">退回</button>' in page
    assert "必填：存在 1 项错误，只能退回" in page and re.search(r'<textarea name="comment"[^>]* required', page)
    trade = page[page.index("<td>进出口总额</td>"):].split("</tr>")[0]
    assert "错误</span> 进出口总额不等于进口与出口之和" in trade


def test_the_review_form_takes_no_withdrawal(client, calendar, zones, lz_user, reviewer):
    """撤回 is the zone's own step on its own address: posted as a review decision it is not a 退回."""
    s = submission(calendar, zones["GS-LZ"], lz_user)
    client.force_login(reviewer)
    response = client.post(f"/monitoring/submissions/{s.pk}/", {"decision": "withdraw", "comment": "x"})
    assert "应为审核通过或退回" in response.content.decode()
    assert Submission.objects.get(pk=s.pk).state == "submitted"
