"""Concurrent approvals of one submission on PostgreSQL: the workflow helper locks the row (SELECT … FOR
UPDATE) and re-reads it, so of four reviewers' approvals at the same moment exactly one succeeds, the others
find it 已审核, and the audit has one entry. SQLite has no row locks (it serialises writers by locking the
whole database), so the test runs on PostgreSQL only (`.ci/run` runs the suite on both)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from jingkai.audit.models import AuditEntry
from jingkai.monitoring import workflows
from jingkai.monitoring.models import ReportingCalendar, Submission
from jingkai.monitoring.services import review
from jingkai.testing import make_user, make_zone, zone_user
from jingkai.workflow import STALE_STATE
from jingkai.zones.services import ensure_reference_data

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="行锁只在 PostgreSQL 上可测（SQLite 无行级锁）"),
]

REVIEWERS = 4


def test_concurrent_approvals_approve_once(monkeypatch):
    ensure_reference_data()  # an earlier transactional test may have flushed the org units
    zone = make_zone("GS-LZ")
    calendar = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    submission = Submission.objects.create(calendar=calendar, zone=zone, period="2026-09", state="submitted",
                                           submitted_by=zone_user(zone), submitted_at="2026-10-05T10:00:00+08:00")
    reviewers = [make_user(f"prov-reviewer-{n}", "province") for n in range(REVIEWERS)]

    # every reviewer has read the submission (state 已报) before any approval starts, and each approval holds
    # its transaction open a while after reading the row: without the lock all of them would see 已报
    start = threading.Barrier(REVIEWERS)
    errors_of = workflows.errors_of

    def slow_errors_of(obj):
        threading.Event().wait(0.3)
        return errors_of(obj)

    monkeypatch.setattr(workflows, "errors_of", slow_errors_of)
    outcomes: list[str] = []

    def approve(user):
        try:
            copy = Submission.objects.get(pk=submission.pk)
            start.wait(timeout=10)
            review(user, copy, approve=True)
            outcomes.append("approved")
        except ValidationError as error:
            outcomes.append(error.code or "")
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=approve, args=(user,)) for user in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["approved", *[STALE_STATE] * (REVIEWERS - 1)]
    assert Submission.objects.get(pk=submission.pk).state == "approved"
    assert AuditEntry.objects.filter(model="monitoring.Submission", action="approve").count() == 1


def test_a_batch_approval_and_a_withdrawal_at_once_move_the_report_once(monkeypatch):
    """The zone withdraws its report while a reviewer's 批量审核 approves it: one of them wins, the other finds the
    report moved (the batch locks the row before its checks, the withdrawal goes through the same lock)."""
    from jingkai.monitoring.services import approve_batch, withdraw

    ensure_reference_data()
    zone = make_zone("GS-LZ")
    calendar = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    submitter = zone_user(zone)
    submission = Submission.objects.create(calendar=calendar, zone=zone, period="2026-09", state="submitted",
                                           submitted_by=submitter, submitted_at="2026-10-05T10:00:00+08:00")
    stamp = Submission.objects.get(pk=submission.pk).submitted_at
    reviewer = make_user("prov-batch-reviewer", "province")
    start = threading.Barrier(2)
    errors_of = workflows.errors_of

    def slow_errors_of(obj):
        threading.Event().wait(0.3)
        return errors_of(obj)

    monkeypatch.setattr(workflows, "errors_of", slow_errors_of)
    outcomes: dict[str, bool] = {}

    def batch():
        try:
            start.wait(timeout=10)
            outcomes["approve"] = approve_batch(reviewer, {submission.pk: stamp})[0].approved
        finally:
            connections.close_all()

    def take_back():
        try:
            copy = Submission.objects.get(pk=submission.pk)
            start.wait(timeout=10)
            withdraw(submitter, copy, "漏报一家企业")
            outcomes["withdraw"] = True
        except ValidationError:
            outcomes["withdraw"] = False
        finally:
            connections.close_all()

    threads = [threading.Thread(target=batch), threading.Thread(target=take_back)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == [False, True]
    winner = "approve" if outcomes["approve"] else "withdraw"
    assert Submission.objects.get(pk=submission.pk).state == {"approve": "approved", "withdraw": "withdrawn"}[winner]
    moved = AuditEntry.objects.filter(model="monitoring.Submission", action__in=["approve", "withdraw"])
    assert list(moved.values_list("action", flat=True)) == [winner]
