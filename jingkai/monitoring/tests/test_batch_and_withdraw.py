"""批量审核 and 撤回 on the one submission workflow.

- A reviewer ticks clean reports on the status matrix, confirms a list, and each is approved by the same transition
  as one approved alone (capability, separation of duties, row lock, audit); a report with warnings or errors is
  not batch-approvable and the page says why; a refusal is reported per report and leaves it untouched.
- A zone withdraws its own report while it awaits review, with a reason, audited; it may then submit again. An
  approved report is never withdrawn, by the zone or by a reviewer: approved data stays approved."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingkai.audit.models import AuditEntry
from jingkai.monitoring.models import ReportingCalendar, Submission
from jingkai.monitoring.selectors import batch_selection, reporting_group, status_matrix
from jingkai.monitoring.services import approve_batch, submit, withdraw
from jingkai.monitoring.workflows import SUBMISSION_FLOW
from jingkai.testing import make_user, zone_user
from jingkai.zones.models import Indicator, IndicatorValue

WARNING = {"severity": "warning", "rule": "growth_outlier", "indicator": "exports", "message": "出口额同比增长 250%，请核实"}
ERROR = {"severity": "error", "rule": "trade_sum_mismatch", "indicator": "trade_total", "message": "进出口总额不等于进口与出口之和"}


@pytest.fixture
def calendar(zones):
    cal = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    cal.indicators.set(Indicator.objects.filter(key__in=["industrial_output"]))
    cal.zones.set(zones.values())
    return cal


@pytest.fixture
def reviewer(db):
    return make_user("prov-reviewer", "province")


@pytest.fixture
def jc_user(zones):
    return zone_user(zones["GS-JC"])


def pending(calendar, zone, by, period, *violations):
    return Submission.objects.create(calendar=calendar, zone=zone, period=period, state="submitted", submitted_by=by,
                                     submitted_at="2026-10-05T10:00:00+08:00", violations=list(violations))


def token(s):
    return f"{s.pk}@{Submission.objects.get(pk=s.pk).submitted_at.isoformat()}"


def states(*subs):
    return [Submission.objects.get(pk=s.pk).state for s in subs]


def entries(action):
    return AuditEntry.objects.filter(model="monitoring.Submission", action=action)


# ---- 批量审核 ----

def test_batch_confirms_a_list_then_approves_each_through_the_workflow(client, calendar, zones, lz_user, jc_user,
                                                                       reviewer):
    lz, jc = pending(calendar, zones["GS-LZ"], lz_user, "2026-09"), pending(calendar, zones["GS-JC"], jc_user, "2026-09")
    warned = pending(calendar, zones["GS-JC"], jc_user, "2026-08", WARNING)
    client.force_login(reviewer)
    page = client.post("/monitoring/submissions/batch/", {"submission": [lz.pk, jc.pk, warned.pk]}).content.decode()
    # the confirmation lists what will be approved and what will not (and why); nothing is written yet
    assert "以下 2 份报送将审核通过" in page and "确认审核通过（2 份）" in page
    assert "兰州经济技术开发区" in page and "2026年1—9月" in page
    assert "不能批量审核的报送（1 份）" in page and "存在 1 项预警，须逐份审核并填写审核意见" in page
    assert f'value="{token(warned)}"' not in page
    assert states(lz, jc, warned) == ["submitted"] * 3 and not entries("approve").exists()

    response = client.post("/monitoring/submissions/batch/", {"confirmed": [token(lz), token(jc)]}, follow=True)
    assert "已审核通过 2 份：" in response.content.decode()
    assert states(lz, jc, warned) == ["approved", "approved", "submitted"]
    audited = entries("approve").order_by("object_key")
    assert [(e.object_key, e.user, e.before, e.after) for e in audited] == [
        ("GS-JC/2026-09", reviewer, {"state": "submitted"}, {"state": "approved", "comment": ""}),
        ("GS-LZ/2026-09", reviewer, {"state": "submitted"}, {"state": "approved", "comment": ""})]
    approved = Submission.objects.get(pk=lz.pk)
    assert approved.reviewed_by == reviewer and approved.reviewed_at is not None


def test_partial_failures_are_reported_per_report_and_leave_it_untouched(calendar, zones, lz_user, jc_user, reviewer):
    ok = pending(calendar, zones["GS-LZ"], lz_user, "2026-09")
    warned = pending(calendar, zones["GS-JC"], jc_user, "2026-09", WARNING)  # posted directly, past the list
    erred = pending(calendar, zones["GS-LZ"], lz_user, "2026-08", ERROR)
    taken = pending(calendar, zones["GS-JC"], jc_user, "2026-08")
    confirmed = {s.pk: Submission.objects.get(pk=s.pk).submitted_at for s in (ok, warned, erred, taken)}
    SUBMISSION_FLOW.apply(make_user("prov-other", "province"), taken, "approve")  # another reviewer was quicker
    resubmitted = pending(calendar, zones["GS-LZ"], lz_user, "2026-07")
    confirmed[resubmitted.pk] = Submission.objects.get(pk=resubmitted.pk).submitted_at
    Submission.objects.filter(pk=resubmitted.pk).update(submitted_at="2026-10-06T09:00:00+08:00")  # new figures
    confirmed[999999] = confirmed[ok.pk]

    outcomes = {o.submission_id: o for o in approve_batch(reviewer, confirmed)}
    assert outcomes[ok.pk].approved and outcomes[ok.pk].label == "兰州经济技术开发区 2026年1—9月"
    assert "存在 1 项预警" in outcomes[warned.pk].message
    assert "存在 1 项错误" in outcomes[erred.pk].message
    assert "已审核" in outcomes[taken.pk].message
    assert "已重新报送" in outcomes[resubmitted.pk].message
    assert "未找到该报送" in outcomes[999999].message
    assert not any(outcomes[s.pk].approved for s in (warned, erred, taken, resubmitted))
    assert states(ok, warned, erred, taken, resubmitted) == ["approved", "submitted", "submitted", "approved",
                                                             "submitted"]
    assert entries("approve").count() == 2  # ok (by this reviewer) and taken (by the other one), once each
    untouched = Submission.objects.get(pk=warned.pk)
    assert (untouched.reviewed_by, untouched.reviewed_at, untouched.comment) == (None, None, "")


def test_batch_keeps_separation_of_duties(client, calendar, zones, reviewer, lz_user):
    """A report recorded as the reviewer's own is neither offered for the batch nor approved by it."""
    own = pending(calendar, zones["GS-LZ"], reviewer, "2026-09")
    other = pending(calendar, zones["GS-JC"], lz_user, "2026-09")
    selection = batch_selection(reviewer, [own.pk, other.pk])
    assert [i.submission.pk for i in selection.ready] == [other.pk]
    assert [(i.submission.pk, i.refusal) for i in selection.refused] == [(own.pk, "本人报送的数据须由其他人员审核")]
    outcomes = approve_batch(reviewer, {own.pk: Submission.objects.get(pk=own.pk).submitted_at})
    assert not outcomes[0].approved and outcomes[0].message == "本人报送的数据须由其他人员审核"
    assert states(own) == ["submitted"] and not entries("approve").exists()


def test_zones_and_cities_cannot_batch_approve_by_url(client, calendar, zones, lz_user, jc_user):
    theirs = pending(calendar, zones["GS-JC"], jc_user, "2026-09")
    city = make_user("city-lz", "city-620100")
    for user in (lz_user, jc_user, city):
        client.force_login(user)
        for data in ({"submission": [theirs.pk]}, {"confirmed": [token(theirs)]}):
            assert client.post("/monitoring/submissions/batch/", data).status_code == 403
    with pytest.raises(PermissionDenied, match="您无权审核报送数据"):
        approve_batch(lz_user, {theirs.pk: Submission.objects.get(pk=theirs.pk).submitted_at})
    assert states(theirs) == ["submitted"] and not entries("approve").exists()


def test_the_matrix_offers_clean_reports_and_says_why_not_the_others(client, calendar, zones, lz_user, jc_user,
                                                                     reviewer):
    from jingkai.monitoring.selectors import recent_periods

    latest = recent_periods(date.today(), 1)[0]
    clean = pending(calendar, zones["GS-LZ"], lz_user, latest)
    warned = pending(calendar, zones["GS-JC"], jc_user, latest, WARNING)
    client.force_login(reviewer)
    page = client.get("/monitoring/submissions/").content.decode()
    assert f'name="submission" value="{clean.pk}" form="batch"' in page
    assert f'name="submission" value="{warned.pk}"' not in page
    assert 'title="存在 1 项预警，须逐份审核并填写审核意见">逐份审核</span>' in page
    assert "有预警或错误的报送须逐份审核并填写审核意见，不能批量审核" in page
    client.force_login(lz_user)
    page = client.get("/monitoring/submissions/").content.decode()
    assert 'form="batch"' not in page and "批量审核" not in page


def test_the_confirmation_names_who_reported(client, calendar, zones, lz_user, reviewer):
    unnamed = pending(calendar, zones["GS-JC"], None, "2026-09")  # imported without an account (the demo's)
    pending(calendar, zones["GS-LZ"], lz_user, "2026-09")
    client.force_login(reviewer)
    page = client.post("/monitoring/submissions/batch/",
                       {"submission": list(Submission.objects.values_list("pk", flat=True))}).content.decode()
    assert "兰州经济技术开发区管委会" in page and f"/monitoring/submissions/{unnamed.pk}/" in page
    assert "None" not in page and "以下 2 份报送将审核通过" in page


def test_an_empty_batch_says_what_to_do(client, calendar, reviewer):
    client.force_login(reviewer)
    response = client.post("/monitoring/submissions/batch/", {}, follow=True)
    assert "请先勾选要审核通过的报送" in response.content.decode()


# ---- 撤回 ----

def test_a_zone_withdraws_its_report_awaiting_review_and_submits_again(client, calendar, zones, lz_user):
    s = pending(calendar, zones["GS-LZ"], lz_user, "2026-09")
    client.force_login(lz_user)
    page = client.get(f"/monitoring/submissions/{s.pk}/").content.decode()
    assert "撤回报送</button>" in page and "审核通过后不能撤回" in page
    response = client.post(f"/monitoring/submissions/{s.pk}/withdraw/", {"reason": ""}, follow=True)
    assert "撤回时须写明撤回原因" in response.content.decode() and states(s) == ["submitted"]
    response = client.post(f"/monitoring/submissions/{s.pk}/withdraw/", {"reason": "规上工业总产值漏报一家企业"},
                           follow=True)
    page = response.content.decode()
    assert "已撤回 兰州经济技术开发区 2026年1—9月 的报送" in page and "撤回原因" in page and "漏报一家企业" in page
    withdrawn = Submission.objects.get(pk=s.pk)
    assert (withdrawn.state, withdrawn.comment) == ("withdrawn", "规上工业总产值漏报一家企业")
    entry = entries("withdraw").get()
    assert (entry.user, entry.object_key, entry.before) == (lz_user, "GS-LZ/2026-09", {"state": "submitted"})
    assert entry.after == {"state": "withdrawn", "comment": "规上工业总产值漏报一家企业"}
    # it counts as not reported, and the zone may submit it again
    cell = next(c for r in status_matrix(lz_user, calendar, date(2026, 10, 8)).rows for c in r.cells
                if c.period == "2026-09")
    assert (cell.status, cell.can_submit) == ("已撤回", True)
    late = status_matrix(lz_user, calendar, date(2026, 10, 12))  # past the due date it is overdue, and owed
    late_cell = next(c for r in late.rows for c in r.cells if c.period == "2026-09")
    assert late_cell.status == "已撤回（逾期）" and [(o.zone.code, o.status) for o in late.owing] == [
        ("GS-LZ", "已撤回（逾期）")]
    assert reporting_group(withdrawn, date(2026, 10, 10), date(2026, 10, 8)) == "missing"
    assert reporting_group(withdrawn, date(2026, 10, 10), date(2026, 10, 12)) == "overdue"
    IndicatorValue.objects.create(zone=zones["GS-LZ"], indicator=Indicator.objects.get(key="industrial_output"),
                                  period="2026-09", value=9200)  # the corrected figure
    again = submit(lz_user, calendar, zones["GS-LZ"], "2026-09")
    assert (again.state, again.comment) == ("submitted", "")


def test_an_approved_report_is_never_withdrawn(client, calendar, zones, lz_user, reviewer):
    s = pending(calendar, zones["GS-LZ"], lz_user, "2026-09")
    SUBMISSION_FLOW.apply(reviewer, s, "approve")
    with pytest.raises(ValidationError, match="当前状态“已审核”下不能撤回"):
        withdraw(lz_user, s, "发现错报")
    client.force_login(lz_user)
    assert "撤回报送</button>" not in client.get(f"/monitoring/submissions/{s.pk}/").content.decode()
    client.post(f"/monitoring/submissions/{s.pk}/withdraw/", {"reason": "发现错报"})
    assert states(s) == ["approved"] and not entries("withdraw").exists()
    # nor by a reviewer: no step leads out of 已审核 (a figure changes only by a 更正申请)
    assert not [t.action for t in SUBMISSION_FLOW.transitions if Submission.State.APPROVED in t.sources]
    assert SUBMISSION_FLOW.allowed_actions(reviewer, Submission.objects.get(pk=s.pk)) == []
    client.force_login(reviewer)
    assert client.post(f"/monitoring/submissions/{s.pk}/withdraw/", {"reason": "撤销审核"}).status_code == 403
    assert states(s) == ["approved"]


def test_a_returned_report_is_not_withdrawn_it_is_already_open(calendar, zones, lz_user, reviewer):
    s = pending(calendar, zones["GS-LZ"], lz_user, "2026-09")
    SUBMISSION_FLOW.apply(reviewer, s, "return", "缺少进口额")
    with pytest.raises(ValidationError, match="当前状态“退回”下不能撤回"):
        withdraw(lz_user, s, "x")


def test_a_zone_cannot_withdraw_another_zones_report(client, calendar, zones, lz_user, jc_user, reviewer):
    theirs = pending(calendar, zones["GS-JC"], jc_user, "2026-09")
    client.force_login(lz_user)
    assert client.post(f"/monitoring/submissions/{theirs.pk}/withdraw/", {"reason": "x"}).status_code == 404
    with pytest.raises(PermissionDenied, match="您无权对此撤回"):
        withdraw(lz_user, theirs, "x")  # the service refuses it too, whatever the page
    with pytest.raises(PermissionDenied, match="您无权报送园区月度数据"):
        withdraw(reviewer, theirs, "x")  # the province reviews; it does not withdraw for a zone
    assert states(theirs) == ["submitted"] and not entries("withdraw").exists()
