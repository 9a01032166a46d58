"""后台任务 pages: the user's jobs, one job with a progress bar that refreshes itself (HTMX polling while it
runs), its download, and cancelling."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required
from jingkai.jobs import services
from jingkai.jobs.capabilities import USE_JOBS
from jingkai.jobs.models import Job
from jingkai.jobs.selectors import jobs_of
from jingkai.paging import page_of


def _own(request: AuthenticatedHttpRequest, pk: int) -> Job:
    return get_object_or_404(jobs_of(request.user), pk=pk)  # someone else's job is not disclosed


@capability_required(USE_JOBS)
def job_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "jobs/list.html", {"page": page_of(jobs_of(request.user), request.GET, 20),
                                              "keep_days": settings.JOB_RESULT_DAYS})


@capability_required(USE_JOBS)
def job_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _own(request, pk)
    if job.finished and not job.seen:
        Job.objects.filter(pk=job.pk).update(seen=True)
    template = "jobs/_status.html" if request.headers.get("HX-Request") else "jobs/detail.html"
    return render(request, template, {"job": job, "has_file": services.result_path(job) is not None})


@capability_required(USE_JOBS)
def job_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    job = _own(request, pk)
    name = services.result_path(job)
    if name is None:
        raise Http404("结果文件不存在或已过保留期")
    response = FileResponse(default_storage.open(name, "rb"))
    response["Content-Disposition"] = content_disposition_header(True, job.result_name or name.rsplit("/", 1)[-1])
    return response


@capability_required(USE_JOBS)
@require_POST
def job_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _own(request, pk)
    try:
        services.cancel(request.user, job)
        messages.success(request, "已请求取消该任务。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc)]))
    return redirect("jobs:detail", pk=job.pk)
