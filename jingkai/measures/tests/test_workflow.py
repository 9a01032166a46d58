from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from jingkai.accounts.models import OrgUnit
from jingkai.audit.models import AuditEntry
from jingkai.engines.supervision import DONE, ON_TRACK
from jingkai.measures.models import ProgressReport, Task
from jingkai.measures.selectors import task_list, task_verdict
from jingkai.measures.services import REPORT_FLOW, save_draft, transition
from jingkai.testing import make_user
from jingkai.zones.models import Indicator, IndicatorValue


@pytest.fixture
def task(zones):
    return Task.objects.create(item_code="6.1", title="推动新兴产业外资项目落地",
                               owner=OrgUnit.objects.get(code="zone-gs-lz"), zone=zones["GS-LZ"],
                               start=date(2026, 1, 1), deadline=date(2026, 12, 31))


@pytest.fixture
def people(task, province_user):
    reporter = make_user("lz-reporter", "zone-gs-lz")
    reviewer = make_user("lz-reviewer", "zone-gs-lz")
    reviewer.user_permissions.add(Permission.objects.get(codename="review_progressreport"))
    return {"reporter": reporter, "reviewer": make_user_reload(reviewer), "province": province_user}


def make_user_reload(user):
    from jingkai.accounts.models import User

    return User.objects.get(pk=user.pk)  # drop the permission cache


def test_report_walks_from_draft_to_confirmed_with_a_return(task, people):
    report = save_draft(people["reporter"], task=task, period="2026-06", text="已签约2个项目", progress=40)
    transition(people["reporter"], report, "submit")
    report = transition(people["reviewer"], report, "approve")
    report = transition(people["province"], report, "return", "请补充到资金额")
    assert report.state == ProgressReport.State.RETURNED
    save_draft(people["reporter"], task=task, period="2026-06", text="已签约2个项目，到资1200万美元", progress=45)
    transition(people["reporter"], report, "submit")
    transition(people["reviewer"], report, "approve")
    report = transition(people["province"], report, "confirm")
    assert report.state == ProgressReport.State.CONFIRMED
    assert [e.to_state for e in report.events.all()] == [
        "submitted", "reviewed", "returned", "submitted", "reviewed", "confirmed"]
    assert report.events.get(to_state="returned").comment == "请补充到资金额"
    assert AuditEntry.objects.filter(model="measures.ProgressReport").count() == 8
    assert task_verdict(task, date(2026, 7, 1)).status == ON_TRACK


def test_nobody_skips_a_step(task, people):
    report = save_draft(people["reporter"], task=task, period="2026-06", text="进展", progress=10)
    with pytest.raises(ValidationError, match="当前状态“填报中”下不能确认"):
        transition(people["province"], report, "confirm")
    report = transition(people["reporter"], report, "submit")
    with pytest.raises(PermissionDenied):
        transition(people["reporter"], report, "approve")  # the reporter is no reviewer
    assert REPORT_FLOW.allowed_actions(people["reviewer"], report) == ["approve", "return"]


def test_return_needs_a_comment(task, people):
    report = save_draft(people["reporter"], task=task, period="2026-06", text="进展", progress=10)
    transition(people["reporter"], report, "submit")
    with pytest.raises(ValidationError):
        transition(people["reviewer"], report, "return", "  ")


def test_submitted_report_is_frozen_and_other_units_cannot_report(task, people, zones):
    save_draft(people["reporter"], task=task, period="2026-06", text="进展", progress=10)
    transition(people["reporter"], ProgressReport.objects.get(), "submit")
    with pytest.raises(ValidationError):
        save_draft(people["reporter"], task=task, period="2026-06", text="改", progress=20)
    with pytest.raises(PermissionDenied):
        save_draft(make_user("jc", "zone-gs-jc"), task=task, period="2026-07", text="x", progress=1)


def test_confirmed_completion_makes_the_task_done(task, people):
    report = save_draft(people["reporter"], task=task, period="2026-10", text="全部完成", progress=100,
                        completes_task=True)
    for user, action in [("reporter", "submit"), ("reviewer", "approve"), ("province", "confirm")]:
        report = transition(people[user], report, action)
    assert task_verdict(task, date(2027, 2, 1)).status == DONE


def test_quantitative_target_fills_from_reported_data(task, zones):
    fdi = Indicator.objects.get(key="fdi_actual_usd")
    task.target_indicator, task.target_value, task.target_period = fdi, 5000, "2026-09"
    task.save()
    IndicatorValue.objects.create(zone=zones["GS-LZ"], period="2026-09", indicator=fdi, value=5200)
    assert task_verdict(task, date(2026, 10, 1)).status == DONE


def test_each_unit_sees_its_own_tasks(task, people, zones, department_user):
    assert list(task_list(people["reporter"])) == [task]
    assert list(task_list(people["province"])) == [task]
    assert list(task_list(make_user("jc2", "zone-gs-jc"))) == []
    assert list(task_list(department_user)) == []


def test_the_reviewer_may_not_approve_a_report_they_wrote(task, people):
    report = save_draft(people["reviewer"], task=task, period="2026-06", text="进展", progress=10)
    report = transition(people["reviewer"], report, "submit")
    assert REPORT_FLOW.allowed_actions(people["reviewer"], report) == []
    with pytest.raises(PermissionDenied, match="审核与提交须由不同人员办理"):
        transition(people["reviewer"], report, "approve")
    with pytest.raises(PermissionDenied, match="本人"):
        transition(people["reviewer"], report, "return", "自己退回")
    colleague = make_user("lz-reviewer-2", "zone-gs-lz")
    colleague.user_permissions.add(Permission.objects.get(codename="review_progressreport"))
    assert transition(make_user_reload(colleague), report, "approve").state == ProgressReport.State.REVIEWED


def test_the_province_may_not_confirm_a_report_it_wrote(task, people):
    report = save_draft(people["province"], task=task, period="2026-06", text="代为填报", progress=10)
    transition(people["province"], report, "submit")
    transition(people["reviewer"], report, "approve")
    with pytest.raises(PermissionDenied, match="本人"):
        transition(people["province"], report, "confirm")
    assert transition(make_user("prov-2", "province"), report, "confirm").state == ProgressReport.State.CONFIRMED


def test_self_approval_setting_lets_one_person_walk_the_path(task, people, settings):
    settings.JINGKAI_ALLOW_SELF_APPROVAL = True
    report = save_draft(people["reviewer"], task=task, period="2026-06", text="进展", progress=10)
    report = transition(people["reviewer"], report, "submit")
    assert transition(people["reviewer"], report, "approve").state == ProgressReport.State.REVIEWED


def test_a_report_cannot_move_twice_from_a_stale_copy(task, people):
    """Two clicks at once: the second works on the locked, re-read row, finds it moved and is refused."""
    report = save_draft(people["reporter"], task=task, period="2026-06", text="进展", progress=10)
    transition(people["reporter"], report, "submit")
    stale = ProgressReport.objects.get(pk=report.pk)
    transition(people["reviewer"], report, "approve")
    with pytest.raises(ValidationError, match="当前状态“待确认”下不能审核通过"):
        transition(people["reviewer"], stale, "approve")
    assert report.events.filter(to_state="reviewed").count() == 1
    assert AuditEntry.objects.filter(model="measures.ProgressReport", action="approve").count() == 1


def test_every_transition_writes_an_audit_entry_and_a_history_event(task, people):
    report = save_draft(people["reporter"], task=task, period="2026-06", text="进展", progress=10)
    transition(people["reporter"], report, "submit")
    transition(people["reviewer"], report, "return", "  请补充佐证材料 ")
    entry = AuditEntry.objects.get(model="measures.ProgressReport", action="return")
    assert entry.user == people["reviewer"] and entry.object_key == f"{task.pk}/2026-06"
    assert entry.before == {"state": "submitted"} and entry.after == {"state": "returned", "comment": "请补充佐证材料"}
    event = report.events.get(to_state="returned")
    assert (event.user, event.from_state, event.comment) == (people["reviewer"], "submitted", "请补充佐证材料")


def test_a_return_without_a_comment_changes_nothing(task, people):
    report = save_draft(people["reporter"], task=task, period="2026-06", text="进展", progress=10)
    transition(people["reporter"], report, "submit")
    with pytest.raises(ValidationError, match="退回时必须填写修改意见"):
        transition(people["reviewer"], report, "return", "")
    assert ProgressReport.objects.get().state == "submitted"
    assert not AuditEntry.objects.filter(action="return").exists() and not report.events.filter(to_state="returned")


def test_a_city_acts_for_its_zones_a_department_for_itself(task, people, department_user):
    city = make_user("lz-city", "city-620100")
    assert list(task_list(city)) == [task]
    report = save_draft(city, task=task, period="2026-06", text="市州代为填报", progress=10)
    assert report.author == city
    with pytest.raises(PermissionDenied, match="责任单位"):
        save_draft(department_user, task=task, period="2026-07", text="x", progress=1)


def test_only_the_province_assigns_tasks(zones, lz_user, department_user):
    from jingkai.measures.services import create_tasks

    for user in (lz_user, department_user):
        with pytest.raises(PermissionDenied, match="您无权分解下达任务"):
            create_tasks(user, item_code="6.1", title="x", owners=OrgUnit.objects.filter(code="dept-fgw"),
                         start=date(2026, 1, 1), deadline=date(2026, 2, 1))
