"""Background jobs end to end: submitted through the service, queued in the database, run by `jingkai worker`
(django-tasks' database worker, for real), followed and downloaded through the pages."""

import os
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from jingkai.audit.models import AuditEntry
from jingkai.enterprises.models import Enterprise
from jingkai.jobs import kinds as job_kinds
from jingkai.jobs import services
from jingkai.jobs.kinds import JobKind, JobOutput
from jingkai.jobs.models import Job, WorkerHeartbeat
from jingkai.testing import make_user, run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def extra_kinds(monkeypatch):
    """Kinds that fail, or run long enough to be cancelled, beside the registered ones."""
    def boom(job):
        raise RuntimeError("internal detail that must not reach the user")

    def refused(job):
        raise ValidationError("园区代码 GS-XX 不存在")

    def long(job):
        (job.workdir / "partial.csv").write_text("half")
        for i in range(1000):
            job.progress(i, 1000, "计算中")
            if i == 3:
                Job.objects.filter(params__marker="cancel-me").update(cancel_requested=True)
                services.PROGRESS_EVERY = 0  # the next call reads the request at once
        return JobOutput(job.workdir / "partial.csv", "不应出现.csv", "不应完成")

    found = dict(job_kinds.kinds()) | {
        "test.boom": JobKind("test.boom", "出错", boom), "test.refused": JobKind("test.refused", "拒绝", refused),
        "test.long": JobKind("test.long", "长任务", long)}
    monkeypatch.setattr(services, "kinds", lambda: found)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 0.5)


def test_an_export_job_runs_in_the_worker_and_downloads(client, zones, province_user, media,
                                                        django_capture_on_commit_callbacks):
    Enterprise.objects.create(uscc="91620100MA71234567", name="兰州示例化工有限公司", zone=zones["GS-LZ"])
    with django_capture_on_commit_callbacks(execute=True):
        job = services.submit(province_user, "intake.export", {"kind": "enterprises", "fmt": "xlsx"}, "企业名录导出")
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and job.task_id  # queued in the database, nothing ran in the request
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.message
    assert job.message == "已导出企业名录 1 行" and job.percent == 100
    assert job.expires_at - job.finished_at == timedelta(days=7)
    client.force_login(province_user)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "已完成" in page and "下载" in page and "hx-trigger" not in page  # finished: no more polling
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert "兰州示例化工有限公司" in [c.value for row in sheet.iter_rows() for c in row]
    assert AuditEntry.objects.filter(action="提交后台任务", object_key=str(job.pk), user=province_user).exists()


def test_a_running_job_polls_and_shows_in_the_todo_panel_when_done(client, zones, province_user, media,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.submit(province_user, "intake.export", {"kind": "enterprises", "fmt": "csv"}, "企业名录导出")
    client.force_login(province_user)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "排队中" in page and "取消任务" in page
    run_queued_jobs()
    todo = client.get(reverse("todo")).content.decode()
    assert "已完成待下载" in todo
    client.get(reverse("jobs:detail", args=[job.pk]))  # opening the finished job clears it from the panel
    assert Job.objects.get(pk=job.pk).seen


def test_jobs_of_another_user_are_not_disclosed(client, zones, province_user, lz_user, media):
    job = services.submit(province_user, "intake.export", {"kind": "enterprises", "fmt": "csv"}, "企业名录导出")
    client.force_login(lz_user)
    for name in ("jobs:detail", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.cancel(lz_user, job)


def test_an_account_without_a_unit_cannot_submit(db):
    with pytest.raises(PermissionDenied):
        services.submit(make_user("nobody"), "intake.export", {"kind": "enterprises", "fmt": "csv"}, "导出")


def test_an_export_outside_the_scope_fails_with_the_reason_and_no_file(zones, lz_user, media,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.submit(lz_user, "intake.export", {"kind": "enterprises", "fmt": "csv", "zone": "GS-JC"},
                              "金昌企业导出")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.message == "无权导出园区 GS-JC 的数据"
    assert services.result_path(job) is None and not (Path(media) / "jobs" / str(job.pk)).exists()


def test_failures_say_why_in_chinese_and_hide_internals(province_user, zones, media, extra_kinds,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        boom = services.submit(province_user, "test.boom", {}, "出错的任务")
        refused = services.submit(province_user, "test.refused", {}, "被拒绝的任务")
    run_queued_jobs()
    boom.refresh_from_db()
    refused.refresh_from_db()
    assert boom.state == Job.State.FAILED and boom.message == services.FAILED_INTERNALLY
    assert "internal" not in boom.message
    assert refused.message == "园区代码 GS-XX 不存在"


def test_cancelling_a_queued_job_stops_it_before_it_starts(province_user, zones, media,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.submit(province_user, "intake.export", {"kind": "enterprises", "fmt": "csv"}, "导出")
    services.cancel(province_user, job)
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED and job.started_at is None
    with pytest.raises(ValidationError, match="任务已已取消|不能取消"):
        services.cancel(province_user, job)


def test_a_running_job_stops_at_its_next_progress_report_and_leaves_nothing(province_user, zones, media,
                                                                             extra_kinds,
                                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.submit(province_user, "test.long", {"marker": "cancel-me"}, "长任务")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED and job.result_file == ""
    assert 0 < job.done < 1000 and job.total == 1000 and job.step == "计算中"
    assert not (Path(media) / "jobs" / str(job.pk)).exists()


def test_expired_results_are_deleted_and_the_job_says_so(province_user, zones, media,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.submit(province_user, "intake.export", {"kind": "enterprises", "fmt": "csv"}, "导出")
    run_queued_jobs()
    job.refresh_from_db()
    assert services.result_path(job) is not None
    assert services.purge_expired(timezone.now() + timedelta(days=6)) == 0
    assert services.purge_expired(timezone.now() + timedelta(days=8)) == 1
    job.refresh_from_db()
    assert services.result_path(job) is None and "已过保留期删除" in job.message
    assert not any((Path(media) / "jobs" / str(job.pk)).glob("*"))  # the file is gone from the storage


def test_healthz_needs_the_database_and_a_fresh_worker(client, db, settings):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503 and body["checks"]["database"]["ok"] and body["checks"]["migrations"]["ok"]
    assert body["checks"]["worker"] == {"ok": False, "detail": "没有运行中的后台任务进程（jingkai worker）"}
    WorkerHeartbeat.objects.create(worker_id="w1", seen_at=timezone.now(), pid=1, host="h")
    assert client.get("/healthz").status_code == 200
    WorkerHeartbeat.objects.filter(worker_id="w1").update(
        seen_at=timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS + 5))
    stale = client.get("/healthz")
    assert stale.status_code == 503 and "进程可能已停止" in stale.json()["checks"]["worker"]["detail"]


def test_the_heartbeat_beats_until_stopped(client, db):
    import threading

    from jingkai.jobs.management.commands.worker import beat

    stopped = threading.Event()
    stopped.set()
    with mock.patch("jingkai.jobs.management.commands.worker.close_old_connections"):
        beat("w-test", stopped)  # stop already set: it beats once and returns
    assert WorkerHeartbeat.objects.get(worker_id="w-test").pid == os.getpid()
    assert client.get("/healthz").status_code == 200


def test_a_large_page_export_becomes_a_job(client, zones, lz_user, media, settings,
                                           django_capture_on_commit_callbacks):
    Enterprise.objects.create(uscc="91620100MA71234567", name="兰州示例化工有限公司", zone=zones["GS-LZ"])
    Enterprise.objects.create(uscc="91620300MA71234560", name="金昌示例镍业有限公司", zone=zones["GS-JC"])
    client.force_login(lz_user)
    url = reverse("intake:export", args=["enterprises", "xlsx"])
    settings.EXPORT_INLINE_ROWS = 1
    inline = client.get(url)  # 兰州's committee sees one row: written in the request
    assert inline.status_code == 200 and inline["Content-Disposition"].startswith("attachment")
    settings.EXPORT_INLINE_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    job = Job.objects.get(user=lz_user)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.title == "导出企业名录（Excel，1 行）"
    run_queued_jobs()
    download = client.get(reverse("jobs:download", args=[job.pk]))
    names = [c.value for row in openpyxl.load_workbook(BytesIO(b"".join(download.streaming_content))).active.iter_rows()
             for c in row]
    assert "兰州示例化工有限公司" in names and "金昌示例镍业有限公司" not in names  # the submitter's scope
