from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from jingkai.accounts.models import OrgUnit
from jingkai.audit.models import AuditEntry
from jingkai.engines.supervision import DONE, ON_TRACK
from jingkai.measures.models import ProgressReport, Task
from jingkai.measures.selectors import task_list, task_verdict
from jingkai.measures.services import allowed_actions, save_draft, transition
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
    report = save_draft(people["reporter"], task, "2026-06", "已签约2个项目", 40)
    transition(people["reporter"], report, "submit")
    report = transition(people["reviewer"], report, "approve")
    report = transition(people["province"], report, "return", "请补充到资金额")
    assert report.state == ProgressReport.State.RETURNED
    save_draft(people["reporter"], task, "2026-06", "已签约2个项目，到资1200万美元", 45)
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
    report = save_draft(people["reporter"], task, "2026-06", "进展", 10)
    with pytest.raises(PermissionDenied):
        transition(people["province"], report, "confirm")
    report = transition(people["reporter"], report, "submit")
    with pytest.raises(PermissionDenied):
        transition(people["reporter"], report, "approve")  # the reporter is no reviewer
    assert allowed_actions(people["reviewer"], report) == ["approve", "return"]


def test_return_needs_a_comment(task, people):
    report = save_draft(people["reporter"], task, "2026-06", "进展", 10)
    transition(people["reporter"], report, "submit")
    with pytest.raises(ValidationError):
        transition(people["reviewer"], report, "return", "  ")


def test_submitted_report_is_frozen_and_other_units_cannot_report(task, people, zones):
    save_draft(people["reporter"], task, "2026-06", "进展", 10)
    transition(people["reporter"], ProgressReport.objects.get(), "submit")
    with pytest.raises(ValidationError):
        save_draft(people["reporter"], task, "2026-06", "改", 20)
    with pytest.raises(PermissionDenied):
        save_draft(make_user("jc", "zone-gs-jc"), task, "2026-07", "x", 1)


def test_confirmed_completion_makes_the_task_done(task, people):
    report = save_draft(people["reporter"], task, "2026-10", "全部完成", 100, completes_task=True)
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
