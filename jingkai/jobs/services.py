"""Submitting, running, cancelling and expiring jobs. `run` is what the worker calls (jingkai.jobs.tasks)."""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from jingkai.accounts.authz import require
from jingkai.audit.services import record
from jingkai.jobs.capabilities import USE_JOBS
from jingkai.jobs.kinds import JobCancelled, JobContext, JobFailed, kinds
from jingkai.jobs.models import Job

log = logging.getLogger(__name__)
State = Job.State
PROGRESS_EVERY = 0.5  # seconds between progress writes: often enough for the bar, rare enough for SQLite
FAILED_INTERNALLY = "任务执行出错（系统内部错误，已记录日志），请稍后重试或联系管理员"


def jobs_dir() -> str:
    """Where result files are kept in the media storage (the filesystem, or an S3-compatible store)."""
    return "jobs"


def submit(user: Any, kind_code: str, params: dict[str, Any], title: str) -> Job:
    """Queue a job for the user. The kind's own right is checked now (and again when it runs)."""
    require(user, USE_JOBS)
    kind = kinds().get(kind_code)
    if kind is None:
        raise ValidationError(f"没有这一类后台任务：{kind_code}")
    if kind.capability is not None:
        require(user, kind.capability)
    with transaction.atomic():
        job = Job.objects.create(kind=kind_code, title=title, params=params, user=user)
        record(user, "提交后台任务", "jobs.Job", job.pk, after={"任务": title, "参数": params})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from jingkai.jobs.tasks import run_job  # the task module imports this one

    result = run_job.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id))


def cancel(user: Any, job: Job) -> Job:
    """A queued job stops before it starts; a running one at its next progress report."""
    if job.user_id != user.pk:
        raise PermissionDenied("只能取消自己提交的任务")
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.finished:
            raise ValidationError(f"任务已{job.get_state_display()}，不能取消")
        before = job.get_state_display()
        if job.state == State.QUEUED:
            job.state, job.finished_at, job.message = State.CANCELLED, timezone.now(), "已按提交人要求取消"
        job.cancel_requested = True
        job.save()
        record(user, "取消后台任务", "jobs.Job", job.pk, before={"状态": before},
               after={"状态": job.get_state_display()})
    return job


def _checker(job_id: int):
    def checkpoint() -> None:
        if Job.objects.filter(pk=job_id, cancel_requested=True).exists():
            raise JobCancelled

    return checkpoint


def _progress_reporter(job_id: int):
    last = [0.0]

    def progress(done: int, total: int | None = None, step: str = "") -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        fields: dict[str, Any] = {"done": done}
        if total is not None:
            fields["total"] = total
        if step:
            fields["step"] = step[:200]
        Job.objects.filter(pk=job_id).update(**fields)
        if Job.objects.filter(pk=job_id, cancel_requested=True).exists():
            raise JobCancelled

    return progress


def _claim(job_id: int) -> Job | None:
    """Mark the job running, unless it was cancelled (or already taken) meanwhile."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != State.QUEUED:
            return None
        job.state, job.started_at = State.RUNNING, timezone.now()
        job.save(update_fields=["state", "started_at"])
        return job


def _finish(job: Job, state: str, message: str, **fields: Any) -> None:
    now = timezone.now()
    if state == State.DONE:
        fields["expires_at"] = now + timedelta(days=settings.JOB_RESULT_DAYS)
    Job.objects.filter(pk=job.pk).update(state=state, message=message, finished_at=now, **fields)


def run(job_id: int) -> None:
    """Run one job to its end: 已完成 with its file, 失败 with a Chinese reason, or 已取消. Whatever happens,
    its scratch directory goes; a result file is stored (in the media storage) only once it is complete."""
    job = _claim(job_id)
    if job is None:
        return
    kind = kinds().get(job.kind)
    workdir = Path(tempfile.mkdtemp(prefix=f"job{job.pk}-"))
    try:
        if kind is None:
            raise ValidationError(f"没有这一类后台任务：{job.kind}")
        if kind.capability is not None:
            require(job.user, kind.capability)  # the right may have been withdrawn since submission
        output = kind.run(JobContext(job.params, job.user, workdir, _progress_reporter(job.pk), _checker(job.pk)))
        stored = ""
        if output.path is not None:
            with output.path.open("rb") as complete:
                stored = default_storage.save(f"{jobs_dir()}/{job.pk}/{output.path.name}", File(complete))
        _finish(job, State.DONE, output.message, result_file=stored, result_name=output.filename,
                result_url=output.url)
    except JobCancelled:
        _finish(job, State.CANCELLED, "已按提交人要求取消，未生成结果文件")
    except JobFailed as exc:  # with its report
        _finish(job, State.FAILED, "；".join(exc.messages), result_file=exc.stored, result_name=exc.filename)
    except (ValidationError, PermissionDenied) as exc:
        _finish(job, State.FAILED, "；".join(getattr(exc, "messages", None) or [str(exc)]))
    except Exception:  # the worker keeps running; the user gets a reason, the log the traceback
        log.exception("后台任务 %s 失败", job.pk)
        _finish(job, State.FAILED, FAILED_INTERNALLY)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def result_path(job: Job) -> str | None:
    """The result file's name in the media storage, while it is kept (a failed job's: its report)."""
    if job.state not in (State.DONE, State.FAILED) or not job.result_file:
        return None
    return job.result_file if default_storage.exists(job.result_file) else None


def purge_expired(now: Any = None) -> int:
    """Delete the result files kept past their time (JINGKAI_JOB_RESULT_DAYS); the job rows stay."""
    now = now or timezone.now()
    purged = 0
    for job in Job.objects.filter(expires_at__lt=now).exclude(result_file=""):
        if default_storage.exists(job.result_file):
            default_storage.delete(job.result_file)
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(result_file="", message=f"{job.message}（结果文件已过保留期删除）")
            record(None, "删除过期任务结果", "jobs.Job", job.pk, before={"结果文件": job.result_file})
        purged += 1
    return purged
