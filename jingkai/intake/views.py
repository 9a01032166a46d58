"""Pages that write or move data: indicator entry, file import, template download, error report, exports.

Every write goes through the intake services, so the web obeys the same validation, scope and audit rules as
the CLI. Forms validate the input (Chinese messages next to the field); capabilities are checked before the
write (`zones.enter_data` for indicator entry, `intake.import_zone_data` for imports).
"""

import hashlib
import os
import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import get_valid_filename

from jingkai.accounts import authz
from jingkai.intake import services
from jingkai.intake.capabilities import IMPORT_ZONE_DATA
from jingkai.intake.forms import EntryTargetForm, ImportForm, IndicatorValuesForm
from jingkai.intake.selectors import kind_titles
from jingkai.zones.capabilities import ENTER_ZONE_DATA
from jingkai.zones.models import Zone
from jingkai.zones.periods import Period
from jingkai.zones.selectors import indicator_catalogue, indicator_value_list, zone_choices, zone_get

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
IMPORTS_SESSION_KEY = "jingkai_imports"


def _send_file(path: Path, filename: str) -> FileResponse:
    """Stream a file written to a temporary place; the file is unlinked at once (the open handle keeps it)."""
    handle = open(path, "rb")  # noqa: SIM115  (FileResponse closes it)
    os.unlink(path)
    return FileResponse(handle, as_attachment=True, filename=filename)


def _temp_path(suffix: str) -> Path:
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="jingkai-")
    os.close(fd)
    return Path(name)


# ---- indicator entry ----------------------------------------------------------------------------------------

def _default_period() -> str:
    today = date.today()
    return str(Period(today.year, month=today.month - 1) if today.month > 1 else Period(today.year - 1, month=12))


def _entry_url(zone: Zone, period: Period) -> str:
    return f"{reverse('intake:entry')}?{urlencode({'zone': zone.code, 'period': str(period)})}"


@login_required
def indicator_entry(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        authz.require(user, ENTER_ZONE_DATA)
    zones = zone_choices(user.scope) if authz.has(user, ENTER_ZONE_DATA) else []
    data = request.POST if request.method == "POST" else request.GET
    zone_code = data.get("zone") or (zones[0].code if len(zones) == 1 else "")
    if zone_code and zone_code not in {z.code for z in zones}:
        raise Http404("无此园区或无权填报")
    target = EntryTargetForm({"zone": zone_code, "period": data.get("period", "")}, zones=zones,
                             default_period=_default_period())
    target.is_valid()
    zone, period = target.selected_zone, target.cleaned_data.get("period")
    context = {"zones": zones, "target": target, "zone": zone, "period": period,
               "period_text": target.period_text, "fields": []}
    if zone is None or period is None:
        return render(request, "intake/indicator_entry.html", context)

    indicators = indicator_catalogue(frequency=period.frequency)
    values = indicator_value_list(user.scope, zone_code=zone.code)
    current = {v.indicator.key: v.value for v in values.filter(period=str(period))}
    previous_period = period.previous_month()
    previous = {v.indicator.key: v.value for v in values.filter(period=str(previous_period))} if previous_period else {}
    form = IndicatorValuesForm(request.POST if request.method == "POST" else None, indicators=indicators,
                               current=current)
    errors = []
    if request.method == "POST" and form.is_valid():
        changed = form.changed_values()
        if not changed:
            messages.info(request, "没有修改任何数值，未作更改。")
            return redirect(_entry_url(zone, period))
        rows = [{"zone_code": zone.code, "period": str(period), "indicator": key, "value": text}
                for key, text in changed.items()]
        result = services.run_import_rows("zone-indicators", rows, user=user, zone_code=zone.code, source="网页填报")
        if result.ok:
            messages.success(request, f"已保存 {zone.name} {period.label()} 的指标：新增 {result.created} 项，"
                                      f"更新 {result.updated} 项。")
            return redirect(_entry_url(zone, period))
        for error in result.errors:
            key = _row_key(rows, error.row)
            if key:
                form.add_indicator_error(key, error.message)
            else:
                errors.append(error)
    context |= {
        "form": form, "errors": errors, "previous_period": previous_period,
        "fields": [{"indicator": ind, "field": form[f"v_{ind.key}"], "current": current.get(ind.key),
                    "previous": previous.get(ind.key)} for ind in indicators],
        "has_errors": bool(form.errors or errors),
    }
    return render(request, "intake/indicator_entry.html", context, status=400 if context["has_errors"] else 200)


def _row_key(rows: list[dict], row) -> str | None:
    """The indicator a CellError's row points at (rows are numbered from 1, as in a sheet without header)."""
    try:
        return rows[int(row) - 1]["indicator"]
    except (TypeError, ValueError, IndexError):
        return None


# ---- import -----------------------------------------------------------------------------------------------

def _save_upload(upload: UploadedFile) -> tuple[str, Path]:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha = digest.hexdigest()
    folder = Path(settings.MEDIA_ROOT) / "imports" / sha
    folder.mkdir(parents=True, exist_ok=True)
    name = upload.name or "upload"
    path = folder / (get_valid_filename(Path(name).name) or f"upload{Path(name).suffix}")
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return sha, path


@login_required
def import_data(request: HttpRequest) -> HttpResponse:
    kinds = kind_titles()
    requested = request.POST.get("kind") or request.GET.get("kind")
    context: dict = {"kinds": kinds, "kind": requested if requested in kinds else next(iter(kinds)),
                     "can_import": authz.has(request.user, IMPORT_ZONE_DATA)}
    if request.method != "POST":
        context["form"] = ImportForm(kinds=kinds, initial={"kind": context["kind"]})
        return render(request, "intake/import.html", context)
    authz.require(request.user, IMPORT_ZONE_DATA)
    form = context["form"] = ImportForm(request.POST, request.FILES, kinds=kinds)
    if not form.is_valid():
        return render(request, "intake/import.html", context, status=400)
    upload = form.cleaned_data["file"]
    sha, path = _save_upload(upload)
    allowed = request.session.get(IMPORTS_SESSION_KEY, [])
    request.session[IMPORTS_SESSION_KEY] = ([sha] + [s for s in allowed if s != sha])[:50]
    result = services.run_import(form.cleaned_data["kind"], path, user=request.user)
    context |= {"result": result, "filename": upload.name}
    report = result.report_path
    if report and Path(report).exists() and Path(report).parent == path.parent:
        context["report_url"] = reverse("intake:report", args=[sha, Path(report).name])
    return render(request, "intake/import.html", context, status=200 if result.ok else 400)


@login_required
def import_report(request: HttpRequest, sha: str, name: str) -> FileResponse:
    """The error report of an import; only the session that ran the import may fetch it."""
    if sha not in request.session.get(IMPORTS_SESSION_KEY, []) or Path(name).name != name:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / "imports" / sha / name
    if not path.is_file():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=name)  # noqa: SIM115


@login_required
def download_template(request: HttpRequest, kind: str) -> FileResponse:
    kinds = kind_titles()
    if kind not in kinds:
        raise Http404
    path = _temp_path(".xlsx")
    services.write_template(kind, path)
    return _send_file(path, f"{kinds[kind]}导入模板.xlsx")


# ---- export -----------------------------------------------------------------------------------------------

@login_required
def export_data(request: HttpRequest, kind: str, fmt: str) -> FileResponse:
    kinds = kind_titles()
    if kind not in kinds or fmt not in FORMATS:
        raise Http404
    scope = request.user.scope
    zone_code = request.GET.get("zone") or None
    zone = zone_get(scope, zone_code) if zone_code else None
    path = _temp_path(f".{fmt}")
    services.export(kind, path, scope=scope, zone_code=zone_code)
    stem = f"{zone.name}_" if zone else ""
    return _send_file(path, f"{stem}{kinds[kind]}_{date.today():%Y%m%d}.{fmt}")
