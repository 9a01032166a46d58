"""Review of submissions and bulletins on the shared workflow: who may act (capabilities, separation of
duties), what blocks an approval, required comments, double clicks and frozen published bulletins."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingkai.audit.models import AuditEntry
from jingkai.monitoring.models import Bulletin, ReportingCalendar, Submission
from jingkai.monitoring.services import advance_bulletin, draft_bulletin, review, submit
from jingkai.testing import make_user
from jingkai.zones.models import Indicator

WARNING = {"severity": "warning", "rule": "yoy_jump", "indicator": "exports", "message": "出口额同比增长 250%，请核实"}
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


def pending(calendar, zone, by, *violations):
    return Submission.objects.create(calendar=calendar, zone=zone, period="2026-09", state="submitted", submitted_by=by,
                                     submitted_at="2026-10-05T10:00:00+08:00", violations=list(violations))


def entries(action):
    return AuditEntry.objects.filter(model="monitoring.Submission", action=action)


# ---- submissions ----

def test_the_submitter_never_reviews_their_own_report(calendar, zones, reviewer):
    """No role both submits (city, zone) and reviews (province); a submission recorded as the reviewer's own
    (an account moved between units, a data fix) is still not theirs to approve."""
    submission = pending(calendar, zones["GS-LZ"], reviewer)
    with pytest.raises(PermissionDenied, match="本人"):
        review(reviewer, submission, approve=True)
    assert Submission.objects.get(pk=submission.pk).state == "submitted" and not entries("approve").exists()
    assert review(make_user("prov-other", "province"), submission, approve=True).state == "approved"


def test_self_approval_when_the_setting_allows_it(calendar, zones, settings):
    settings.JINGKAI_ALLOW_SELF_APPROVAL = True
    boss = make_user("prov-boss", "province", is_superuser=True)
    assert review(boss, pending(calendar, zones["GS-LZ"], boss), approve=True).state == "approved"


def test_errors_block_approval_whatever_the_comment(calendar, zones, lz_user, reviewer):
    submission = pending(calendar, zones["GS-LZ"], lz_user, ERROR, WARNING)
    with pytest.raises(ValidationError, match="存在 1 项错误（进出口总额不等于进口与出口之和），不能审核通过"):
        review(reviewer, submission, approve=True, comment="已电话核实")
    assert Submission.objects.get(pk=submission.pk).state == "submitted"
    assert review(reviewer, submission, approve=False, comment="请修正进出口总额").state == "returned"


def test_warnings_need_a_comment_to_approve(calendar, zones, lz_user, reviewer):
    submission = pending(calendar, zones["GS-LZ"], lz_user, WARNING)
    with pytest.raises(ValidationError, match="存在 1 项预警（出口额同比增长 250%，请核实），审核通过时须"):
        review(reviewer, submission, approve=True, comment="  ")
    approved = review(reviewer, submission, approve=True, comment="新签大额订单，已核实")
    stored = Submission.objects.get(pk=submission.pk)
    assert (stored.state, stored.reviewed_by, stored.comment) == ("approved", reviewer, "新签大额订单，已核实")
    assert stored.reviewed_at is not None and approved.reviewed_at == stored.reviewed_at
    entry = entries("approve").get()
    assert entry.object_key == "GS-LZ/2026-09" and entry.user == reviewer and entry.before == {"state": "submitted"}
    assert entry.after == {"state": "approved", "comment": "新签大额订单，已核实"}


def test_a_return_always_needs_a_comment(calendar, zones, lz_user, reviewer):
    submission = pending(calendar, zones["GS-LZ"], lz_user)
    with pytest.raises(ValidationError, match="退回时须在审核意见中写明退回原因"):
        review(reviewer, submission, approve=False, comment="")
    assert review(reviewer, submission, approve=False, comment="缺少进口额").state == "returned"
    assert entries("return").get().after == {"state": "returned", "comment": "缺少进口额"}


def test_a_double_click_approves_once(calendar, zones, lz_user, reviewer):
    submission = pending(calendar, zones["GS-LZ"], lz_user)
    stale = Submission.objects.get(pk=submission.pk)  # the second click's copy, read before the first landed
    review(reviewer, submission, approve=True)
    with pytest.raises(ValidationError, match="当前状态“已审核”下不能审核通过"):
        review(reviewer, stale, approve=True)
    assert entries("approve").count() == 1


def test_only_reviewers_review_and_only_zones_submit(calendar, zones, lz_user, department_user, province_user):
    submission = pending(calendar, zones["GS-LZ"], lz_user)
    for user in (lz_user, department_user):
        with pytest.raises(PermissionDenied, match="您无权审核报送数据"):
            review(user, submission, approve=True)
    with pytest.raises(PermissionDenied, match="您无权报送园区月度数据"):
        submit(province_user, calendar, zones["GS-LZ"], "2026-09")  # 省商务厅 reviews; it does not report


# ---- bulletins ----

@pytest.fixture
def draft(calendar, province_user):
    return Bulletin.objects.create(period="2026-09", document=b"docx", sha256="0", created_by=province_user)


def test_the_drafter_does_not_review_their_own_bulletin(draft, province_user, reviewer):
    with pytest.raises(PermissionDenied, match="本人"):
        advance_bulletin(province_user, draft, "review")
    assert advance_bulletin(reviewer, draft, "review").state == "reviewed"
    assert advance_bulletin(province_user, draft, "publish").state == "published"  # publishing is not reviewing
    assert Bulletin.objects.get(pk=draft.pk).published_at is not None
    assert list(AuditEntry.objects.filter(model="monitoring.Bulletin").order_by("id").values_list("action", "user__username")) == [
        ("review", "prov-reviewer"), ("publish", "demo-admin")]


def test_a_published_bulletin_never_changes(draft, reviewer):
    advance_bulletin(reviewer, draft, "review")
    published = advance_bulletin(reviewer, draft, "publish")
    at = Bulletin.objects.get(pk=draft.pk).published_at
    for action in (None, "publish", "review"):
        with pytest.raises(ValidationError, match="通报已发布，不能再修改"):
            advance_bulletin(reviewer, published, action)
    stale = Bulletin.objects.get(pk=draft.pk)
    stale.state = "reviewed"  # a page read before it was published
    with pytest.raises(ValidationError, match="当前状态“已发布”下不能发布"):
        advance_bulletin(reviewer, stale, "publish")
    again = Bulletin.objects.get(pk=draft.pk)
    assert (again.state, again.published_at, bytes(again.document)) == ("published", at, b"docx")


def test_drafting_and_publishing_need_their_capabilities(calendar, draft, department_user, lz_user):
    for user in (department_user, lz_user):
        with pytest.raises(PermissionDenied, match="您无权起草经济运行通报"):
            draft_bulletin(user, calendar, "2026-09", date(2026, 10, 20))
        with pytest.raises(PermissionDenied, match="您无权审核和发布经济运行通报"):
            advance_bulletin(user, draft, "review")


# ---- the pages ----

def test_a_double_click_on_review_does_not_publish(client, draft, reviewer):
    client.force_login(reviewer)
    for _ in range(2):
        response = client.post(f"/monitoring/bulletins/{draft.pk}/advance/", {"action": "review"}, follow=True)
    assert Bulletin.objects.get(pk=draft.pk).state == "reviewed"  # the second click did not move it on
    assert "当前状态“已审核”下不能审核" in response.content.decode()


def test_the_bulletin_page_offers_review_to_the_other_person_only(client, draft, province_user, reviewer):
    client.force_login(province_user)
    page = client.get("/monitoring/bulletins/").content.decode()
    assert 'value="review"' not in page and "本人起草，须由他人审核" in page
    client.force_login(reviewer)
    assert 'value="review"' in client.get("/monitoring/bulletins/").content.decode()


def test_drafts_are_hidden_from_those_without_the_capability(client, draft, department_user, lz_user):
    for user in (department_user, lz_user):
        client.force_login(user)
        page = client.get("/monitoring/bulletins/")
        assert page.context["listing"].rows == () and "生成通报草稿" not in page.content.decode()
        assert client.get(f"/monitoring/bulletins/{draft.pk}/download/").status_code == 404
        assert client.post(f"/monitoring/bulletins/{draft.pk}/advance/", {"action": "review"}).status_code == 404


def test_the_review_form_shows_its_errors_next_to_the_comment(client, calendar, zones, lz_user, reviewer):
    submission = pending(calendar, zones["GS-LZ"], lz_user, WARNING)
    client.force_login(reviewer)
    url = f"/monitoring/submissions/{submission.pk}/"
    page = client.post(url, {"comment": "x"}).content.decode()
    assert "请选择审核结论（审核通过或退回）" in page
    page = client.post(url, {"decision": "approve", "comment": ""}).content.decode()
    assert "存在 1 项预警" in page and "审核通过时须在审核意见中说明" in page
    page = client.post(url, {"decision": "return", "comment": "   "}).content.decode()
    assert "退回时须在审核意见中写明退回原因" in page
    assert Submission.objects.get(pk=submission.pk).state == "submitted"
    response = client.post(url, {"decision": "approve", "comment": "已核实"})
    assert response.status_code == 302 and Submission.objects.get(pk=submission.pk).state == "approved"


def test_the_submitter_sees_no_review_buttons_on_their_own_report(client, calendar, zones):
    boss = make_user("prov-boss", "province", is_superuser=True)
    submission = pending(calendar, zones["GS-LZ"], boss)
    client.force_login(boss)
    page = client.get(f"/monitoring/submissions/{submission.pk}/").content.decode()
    assert 'value="approve"' not in page and "本人报送的数据须由其他人员审核" in page


def test_a_bad_period_or_choice_is_a_chinese_message(client, calendar, lz_user, province_user):
    client.force_login(lz_user)
    page = client.post("/monitoring/submit/GS-LZ/2026-9/", follow=True).content.decode()
    assert "期间“2026-9”格式应为 YYYY-MM" in page
    client.force_login(province_user)
    page = client.post("/monitoring/bulletins/", {"period": "1999-01"}, follow=True).content.decode()
    assert "期间“1999-01”不在可选范围内" in page and not Bulletin.objects.exists()
