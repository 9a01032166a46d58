"""Exports as background jobs (extension point "jobs.kinds"): the same `services.export` the CLI and the page
call, run by `jingkai worker` for the user who asked, within that user's scope at the time it runs."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from jingkai.intake.capabilities import USE_INTAKE
from jingkai.intake.selectors import export_filename, kind_titles
from jingkai.intake.services import export
from jingkai.jobs.kinds import JobContext, JobKind, JobOutput


def run_export(job: JobContext) -> JobOutput:
    kind, fmt, zone = job.params["kind"], job.params["fmt"], job.params.get("zone") or None
    job.progress(0, 2, "正在读取数据")
    path = job.workdir / f"export.{fmt}"
    try:
        rows = export(kind, path, scope=job.user.scope, zone_code=zone, period=job.params.get("period") or None)
    except (ValueError, PermissionError) as exc:  # an unknown zone or one outside the scope: said in Chinese
        raise ValidationError(str(exc)) from exc
    job.progress(1, 2, "正在写入文件")
    return JobOutput(path, export_filename(kind, fmt, zone), f"已导出{kind_titles()[kind]} {rows} 行")


KINDS = [JobKind("intake.export", "数据导出", run_export, USE_INTAKE)]
