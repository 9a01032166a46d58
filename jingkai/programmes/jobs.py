"""Programme work as background jobs (extension point "jobs.kinds"): a list download (推荐名单 and 培育库, 评价结果名单)
of more than LIST_INLINE_ROWS rows, and a programme run started from the page. Both run for the user who
asked, within that user's scope and rights at the time they run."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, QueryDict
from django.urls import reverse

from jingkai.accounts.authz import AuthenticatedHttpRequest
from jingkai.jobs.kinds import JobContext, JobKind, JobOutput
from jingkai.programmes.capabilities import EXPORT_LIST, RUN_PROGRAMME
from jingkai.programmes.services import ProgrammeError, run_programme


def run_list(job: JobContext) -> JobOutput:
    """The very download the page would give (same view, same filters), written by the worker."""
    from jingkai.programmes import views  # the page's own export: one way of building the list

    job.progress(0, 2, "正在生成名单")
    stand_in = SimpleNamespace(user=job.user, GET=QueryDict(job.params["query"]), headers={}, inline=True)
    try:
        # the view reads only user, GET, headers (and `inline`) of its request: the stand-in carries those
        response = views.programme_export(cast(AuthenticatedHttpRequest, stand_in), job.params["slug"])
    except Http404 as exc:  # the run or the zone went away (or out of scope) since the page was shown
        raise ValidationError("名单所依据的评价结果或园区已不存在，请重新导出") from exc
    if response.status_code != 200:
        raise ValidationError("名单所依据的评价结果已不存在，请重新导出")
    name = unquote(response["Content-Disposition"].split("filename*=utf-8''", 1)[-1])
    path = job.workdir / "list.xlsx"
    path.write_bytes(response.content)
    job.progress(1, 2, "正在保存文件")
    return JobOutput(path, name, f"已生成{name.removesuffix('.xlsx')}")


def run(job: JobContext) -> JobOutput:
    """A programme run over every zone; all or nothing (a cancel after the rows are written rolls them back)."""
    program, year = job.params["program"], int(job.params["year"])
    job.progress(0, 1, "正在读取企业数据并评价")
    try:
        with transaction.atomic():
            stored = run_programme(program, year, user=job.user)
            job.checkpoint()
    except ProgrammeError as exc:
        raise ValidationError(str(exc)) from exc
    s = stored.summary_info()
    eligible = f"，符合 {s.eligible} 家" if s.is_tier else ""
    return JobOutput(None, "", f"{s.title}：{stored.year}年数据评价完成，企业 {s.n} 家{eligible}",
                     url=reverse("programmes:page", args=[job.params["slug"]]))


KINDS = [JobKind("programmes.list", "企业名单导出", run_list, EXPORT_LIST),
         JobKind("programmes.run", "企业培育评价", run, RUN_PROGRAMME)]
