"""Exports and imports as background jobs (extension point "jobs.kinds"): the same `services.export` and
`services.run_import` the CLI and the page call, run by `jingkai worker` for the user who asked, within that
user's scope at the time it runs. A page import of more than IMPORT_INLINE_ROWS rows is a job; its file is
read from the media storage (the filesystem, or the S3-compatible store all servers share)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import fastexcel
import openpyxl
from django.core.exceptions import ValidationError

from jingkai.intake.capabilities import IMPORT_ZONE_DATA, USE_INTAKE
from jingkai.intake.selectors import export_filename, kind_titles
from jingkai.intake.services import export, keep_report, run_import
from jingkai.jobs.kinds import JobContext, JobFailed, JobKind, JobOutput
from jingkai.media import local_file

ERRORS_SHOWN = 5  # a failed import job names its first few problems (row, column, value, rule)


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


def data_rows(path: Path) -> int:
    """About how many rows a file has (header included), read cheaply, to decide inline or job."""
    if path.suffix.lower() == ".csv":
        with path.open("rb") as f:
            return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))
    try:  # the sheet's stated dimension (read-only: the file is not parsed), else a count by fastexcel
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            stated = book.worksheets[0].max_row
        finally:
            book.close()
        return stated or fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, n_rows=1).total_height
    except Exception:  # unreadable here: the import itself says why, in the request
        return 0


def run_file_import(job: JobContext) -> JobOutput:
    """All or nothing (the import is one transaction); a file with errors fails the job with its first ones."""
    kind = job.params["kind"]
    path = local_file(job.params["file"], into=job.workdir)
    result = run_import(kind, path, user=job.user, zone_code=job.params.get("zone") or None, progress=job.progress)
    if not result.ok:
        shown = "；".join(str(e) for e in result.errors[:ERRORS_SHOWN])
        more = f"；另有 {len(result.errors) - ERRORS_SHOWN} 处" if len(result.errors) > ERRORS_SHOWN else ""
        message = f"{result.summary().split('，错误报告')[0]}：{shown}{more}"
        # the error report goes beside the upload (imports/<sha>/), downloaded from the job's page
        if report := keep_report(result, PurePosixPath(job.params["file"]).parent.name):
            raise JobFailed(message, report, report.rsplit("/", 1)[-1])
        raise ValidationError(message)
    return JobOutput(None, "", result.summary())


KINDS = [JobKind("intake.export", "数据导出", run_export, USE_INTAKE),
         JobKind("intake.import", "数据导入", run_file_import, IMPORT_ZONE_DATA)]
