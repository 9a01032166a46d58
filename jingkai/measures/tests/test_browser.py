"""A progress report walked from 填报 to 确认 with a return in between, in a real browser."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission

from jingkai.accounts.models import OrgUnit
from jingkai.browser import follow, goto, login
from jingkai.measures.models import ProgressReport, Task
from jingkai.testing import make_user, make_zone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_report_from_filing_to_confirmation_with_a_return(page):
    make_zone("GS-LZ")
    today = date.today()
    task = Task.objects.create(item_code="6.1", title="推动新兴产业外资项目落地",
                               owner=OrgUnit.objects.get(code="zone-gs-lz"), start=today - timedelta(days=60),
                               deadline=today + timedelta(days=200))
    review = Permission.objects.get(codename="review_progressreport")
    make_user("lz-filer", "zone-gs-lz").user_permissions.add(review)  # a reviewer too, but not of their own report
    make_user("lz-head", "zone-gs-lz").user_permissions.add(review)
    make_user("prov", "province")

    login(page, "lz-filer")
    goto(page, f"/measures/tasks/{task.pk}/")
    page.fill("input[name=progress]", "40")
    page.fill("textarea[name=text]", "已签约两个外资项目")
    follow(page, "form.form button[type=submit]")
    follow(page, "button:has-text('提交审核')")
    assert page.locator(".report .badge").first.inner_text() == "待审核"
    assert page.locator("button:has-text('审核通过')").count() == 0  # separation of duties

    login(page, "lz-head")
    goto(page, f"/measures/tasks/{task.pk}/")
    follow(page, "button:has-text('审核通过')")
    assert page.locator(".report .badge").first.inner_text() == "待确认"

    login(page, "prov")
    goto(page, f"/measures/tasks/{task.pk}/")
    follow(page, "button:has-text('退回修改')")  # without a comment: refused
    assert "退回时必须填写修改意见" in page.locator(".messages").inner_text()
    page.fill("input[name=comment]", "请补充到资金额")
    follow(page, "button:has-text('退回修改')")
    assert page.locator(".report .badge").first.inner_text() == "已退回"

    login(page, "lz-filer")
    goto(page, f"/measures/tasks/{task.pk}/")
    assert "请补充到资金额" in page.locator(".history").inner_text()
    page.fill("input[name=progress]", "45")
    page.fill("textarea[name=text]", "已签约两个外资项目，到资1200万美元")
    follow(page, "form.form button[type=submit]")
    follow(page, "button:has-text('提交审核')")
    login(page, "lz-head")
    goto(page, f"/measures/tasks/{task.pk}/")
    follow(page, "button:has-text('审核通过')")
    login(page, "prov")
    goto(page, f"/measures/tasks/{task.pk}/")
    follow(page, "button:has-text('确认')")
    assert "确认后进展报告定稿" in page.content() and "完成进度" in page.content()  # the preview: nothing yet
    assert ProgressReport.objects.get().state == "reviewed"
    follow(page, ".confirm-form button:has-text('确认')")
    assert page.locator(".report .badge").first.inner_text() == "已确认"
    report = ProgressReport.objects.get()
    assert report.state == "confirmed" and report.progress == 45
    assert list(report.events.values_list("to_state", flat=True)) == [
        "submitted", "reviewed", "returned", "submitted", "reviewed", "confirmed"]
