"""Pages that move data: file import, template download, error report, exports.

Every write goes through the intake services, so the web obeys the same validation, scope, capability
(`intake.import_zone_data`, checked by the service: a refusal is a 403) and audit rules as the CLI. Forms
validate the input (Chinese messages next to the field). The zones' indicator entry page is the zones' own
(zones:entry); it saves through `services.run_import_rows`.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from jingkai import media
from jingkai.accounts import authz
from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required
from jingkai.downloads import XLSX
from jingkai.intake import services
from jingkai.intake.capabilities import IMPORT_ZONE_DATA, USE_INTAKE
from jingkai.intake.forms import ImportForm
from jingkai.intake.jobs import data_rows
from jingkai.intake.selectors import export_filename, kind_titles, wide_titles
from jingkai.jobs import services as jobs
from jingkai.jobs.pages import start

FORMATS = {"csv": "text/csv", "xlsx": XLSX}
IMPORTS_SESSION_KEY = "jingkai_imports"
REPORT_SUFFIX = ".errors.xlsx"  # the only files of an upload's folder served here (not the upload itself)


def _send_file(path: Path, filename: str) -> FileResponse:
    """Stream a file written to a temporary place; the file is unlinked at once (the open handle keeps it)."""
    handle = open(path, "rb")
    os.unlink(path)
    return FileResponse(handle, as_attachment=True, filename=filename)


def _temp_path(suffix: str) -> Path:
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="jingkai-")
    os.close(fd)
    return Path(name)


# ---- import -----------------------------------------------------------------------------------------------

@capability_required(USE_INTAKE)
def import_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    kinds = kind_titles()
    requested = request.POST.get("kind") or request.GET.get("kind")
    context: dict = {"kinds": kinds, "wide": wide_titles(), "kind": requested if requested in kinds else next(iter(kinds)),
                     "can_import": authz.has(request.user, IMPORT_ZONE_DATA)}
    if request.method != "POST":
        context["form"] = ImportForm(kinds=kinds, initial={"kind": context["kind"]})
        return render(request, "intake/import.html", context)
    form = context["form"] = ImportForm(request.POST, request.FILES, kinds=kinds)
    if not form.is_valid():
        return render(request, "intake/import.html", context, status=400)
    upload = form.cleaned_data["file"]
    sha, path = services.save_upload(upload, user=request.user)
    allowed = request.session.get(IMPORTS_SESSION_KEY, [])
    request.session[IMPORTS_SESSION_KEY] = ([sha] + [s for s in allowed if s != sha])[:50]
    try:  # `path` is the stored file, or on a store a local copy, removed at the end
        if (rows := data_rows(path)) > settings.IMPORT_INLINE_ROWS:  # validated and written by the job worker
            return start(request, "intake.import", {"kind": form.cleaned_data["kind"], "file": f"imports/{sha}/{path.name}"},
                         f"导入{kinds[form.cleaned_data['kind']]}（{upload.name}，约 {rows} 行）", f"文件约 {rows} 行，数据较多")
        result = services.run_import(form.cleaned_data["kind"], path, user=request.user)
        report = services.keep_report(result, sha)
    finally:
        media.release(path)
    context |= {"result": result, "filename": upload.name}
    if report:
        context["report_url"] = reverse("intake:report", args=[sha, report.rsplit("/", 1)[-1]])
    return render(request, "intake/import.html", context, status=200 if result.ok else 400)


@capability_required(USE_INTAKE)
def import_report(request: AuthenticatedHttpRequest, sha: str, name: str) -> FileResponse:
    """The error report of an import, from the media storage (services.keep_report); only the session that
    ran the import may fetch it (an import run as a job: its owner, from the job's page)."""
    if (sha not in request.session.get(IMPORTS_SESSION_KEY, []) or Path(name).name != name
            or not name.endswith(REPORT_SUFFIX)):
        raise Http404
    stored = f"imports/{sha}/{name}"
    if not default_storage.exists(stored):
        raise Http404
    return FileResponse(default_storage.open(stored, "rb"), as_attachment=True, filename=name)


@capability_required(USE_INTAKE)
def download_template(request: AuthenticatedHttpRequest, kind: str) -> FileResponse:
    kinds = kind_titles()
    if kind not in kinds:
        raise Http404
    wide = request.GET.get("layout") == "wide"
    titles = wide_titles() if wide else kinds
    if kind not in titles:
        raise Http404
    path = _temp_path(".xlsx")
    services.write_template(kind, path, wide=wide)
    return _send_file(path, f"{titles[kind]}导入模板.xlsx")


# ---- export -----------------------------------------------------------------------------------------------

@capability_required(USE_INTAKE)
def export_data(request: AuthenticatedHttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    kinds = kind_titles()
    if kind not in kinds or fmt not in FORMATS:
        raise Http404
    zone_code = request.GET.get("zone") or None
    try:
        prepared = services.prepare_export(kind, request.user.scope, zone_code)
    except (ValueError, PermissionError):  # an unknown zone and one outside the scope are not told apart
        raise Http404("无此园区或无权导出") from None
    rows = prepared.rows
    if rows > settings.EXPORT_INLINE_ROWS:  # written by the job worker, not in this request
        job = jobs.submit(request.user, "intake.export", {"kind": kind, "fmt": fmt, "zone": zone_code},
                          f"导出{kinds[kind]}（{'Excel' if fmt == 'xlsx' else 'CSV'}，{rows} 行）")
        messages.info(request, f"共 {rows} 行，数据较多，已转为后台任务：完成后在本页下载，也会在“我的待办”中提示。")
        return redirect("jobs:detail", pk=job.pk)
    path = _temp_path(f".{fmt}")
    services.write_prepared(prepared, path)
    return _send_file(path, export_filename(kind, fmt, zone_code))
