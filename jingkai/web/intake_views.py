"""Pages that write or move data: indicator entry, file import, template download, exports.

The intake services are imported inside the views: every write goes through them, so the web obeys the same
validation, scope and audit rules as the CLI.
"""

import hashlib
import os
import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import get_valid_filename

from jingkai.web.queries import GANSU
from jingkai.zones.models import Indicator
from jingkai.zones.periods import Period, parse_period
from jingkai.zones.selectors import indicator_value_list, zone_list

KINDS = {"enterprises": "企业名录", "enterprise-years": "企业年度数据", "zone-indicators": "园区指标值"}
FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
IMPORTS_SESSION_KEY = "jingkai_imports"


def _services():
    from jingkai.intake import services

    return services


def _send_file(path: Path, filename: str) -> FileResponse:
    """Stream a file written to a temporary place; the file is unlinked at once (the open handle keeps it)."""
    handle = open(path, "rb")  # FileResponse closes it
    os.unlink(path)
    return FileResponse(handle, as_attachment=True, filename=filename)


def _temp_path(suffix: str) -> Path:
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="jingkai-")
    os.close(fd)
    return Path(name)


# ---- indicator entry ----------------------------------------------------------------------------------------

def _writable_zones(scope):
    zones = [z for z in zone_list(scope) if scope.can_write_zone(z.id)]
    return sorted(zones, key=lambda z: (z.province != GANSU, z.level != "national_etdz", z.code))


def _default_period() -> str:
    today = date.today()
    return str(Period(today.year, month=today.month - 1) if today.month > 1 else Period(today.year - 1, month=12))


@login_required
def indicator_entry(request):
    scope = request.user.scope
    zones = _writable_zones(scope)
    data = request.POST if request.method == "POST" else request.GET
    zone_code = data.get("zone") or (zones[0].code if len(zones) == 1 else "")
    period_text = (data.get("period") or _default_period()).strip()
    zone = next((z for z in zones if z.code == zone_code), None)
    if zone_code and zone is None:
        raise Http404("无此园区或无权填报")
    period = parse_period(period_text)
    context = {"zones": zones, "zone": zone, "period_text": period_text, "period": period, "fields": [],
               "errors": []}
    if period is None:
        context["period_error"] = "期间格式应为 YYYY-MM（按年累计）、YYYY-Qn 或 YYYY"
    if zone is None or period is None:
        return render(request, "web/indicator_entry.html", context)

    indicators = list(Indicator.objects.filter(frequency=period.frequency))
    values = indicator_value_list(scope, zone_code=zone.code)
    current = {v.indicator.key: v.value for v in values.filter(period=str(period))}
    previous_period = period.previous_month()
    previous = {v.indicator.key: v.value for v in values.filter(period=str(previous_period))} if previous_period else {}
    entered = {ind.key: request.POST.get(f"v_{ind.key}", "").strip() for ind in indicators}
    field_errors: dict[str, list[str]] = {}

    if request.method == "POST":
        # Only what the user changed goes to the intake: re-sending a stored value would relabel its source.
        rows = [{"zone_code": zone.code, "period": str(period), "indicator": key, "value": text}
                for key, text in entered.items() if text != "" and text != _input_text(current.get(key))]
        if not rows:
            messages.info(request, "没有修改任何数值，未作更改。")
            return redirect(f"{reverse('indicator_entry')}?{urlencode({'zone': zone.code, 'period': str(period)})}")
        result = _services().run_import_rows("zone-indicators", rows, user=request.user, zone_code=zone.code,
                                             source="网页填报")
        if result.ok:
            messages.success(request, f"已保存 {zone.name} {period.label()} 的指标：新增 {result.created} 项，"
                                      f"更新 {result.updated} 项。")
            return redirect(f"{reverse('indicator_entry')}?{urlencode({'zone': zone.code, 'period': str(period)})}")
        for error in result.errors:
            key = _row_key(rows, error.row)
            if key:
                field_errors.setdefault(key, []).append(error.message)
            else:
                context["errors"].append(error)

    context["fields"] = [
        {"indicator": ind, "name": f"v_{ind.key}", "current": current.get(ind.key),
         "previous": previous.get(ind.key),
         "input": entered[ind.key] if request.method == "POST" else _input_text(current.get(ind.key)),
         "errors": field_errors.get(ind.key, [])}
        for ind in indicators
    ]
    context["previous_period"] = previous_period
    context["has_errors"] = bool(field_errors or context["errors"])
    return render(request, "web/indicator_entry.html", context, status=400 if context["has_errors"] else 200)


def _row_key(rows: list[dict], row) -> str | None:
    """The indicator a CellError's row points at (rows are numbered from 1, as in a sheet without header)."""
    try:
        return rows[int(row) - 1]["indicator"]
    except (TypeError, ValueError, IndexError):
        return None


def _input_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.10g}"


# ---- import -----------------------------------------------------------------------------------------------

def _save_upload(upload) -> tuple[str, Path]:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha = digest.hexdigest()
    folder = Path(settings.MEDIA_ROOT) / "imports" / sha
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (get_valid_filename(Path(upload.name).name) or f"upload{Path(upload.name).suffix}")
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return sha, path


@login_required
def import_data(request):
    context = {"kinds": KINDS, "kind": request.POST.get("kind") or request.GET.get("kind") or "enterprises"}
    if context["kind"] not in KINDS:
        context["kind"] = "enterprises"
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["form_error"] = "请选择要导入的文件。"
        elif Path(upload.name).suffix.lower() not in {".xlsx", ".csv"}:
            context["form_error"] = "只接受 .xlsx（填好的模板）或 .csv（表头为规范键名）文件。"
        else:
            sha, path = _save_upload(upload)
            allowed = request.session.get(IMPORTS_SESSION_KEY, [])
            request.session[IMPORTS_SESSION_KEY] = ([sha] + [s for s in allowed if s != sha])[:50]
            result = _services().run_import(context["kind"], path, user=request.user)
            context |= {"result": result, "filename": upload.name}
            report = getattr(result, "report_path", None)
            if report and Path(report).exists() and Path(report).parent == path.parent:
                context["report_url"] = reverse("import_report", args=[sha, Path(report).name])
        status = 400 if "form_error" in context or ("result" in context and not context["result"].ok) else 200
        return render(request, "web/import.html", context, status=status)
    return render(request, "web/import.html", context)


@login_required
def import_report(request, sha, name):
    """The error report of an import; only the session that ran the import may fetch it."""
    if sha not in request.session.get(IMPORTS_SESSION_KEY, []) or Path(name).name != name:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / "imports" / sha / name
    if not path.is_file():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=name)  # FileResponse closes the file


@login_required
def download_template(request, kind):
    if kind not in KINDS:
        raise Http404
    path = _temp_path(".xlsx")
    _services().write_template(kind, path)
    return _send_file(path, f"{KINDS[kind]}导入模板.xlsx")


# ---- export -----------------------------------------------------------------------------------------------

@login_required
def export_data(request, kind, fmt):
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404
    scope = request.user.scope
    zone_code = request.GET.get("zone") or None
    zone = get_object_or_404(zone_list(scope), code=zone_code) if zone_code else None
    path = _temp_path(f".{fmt}")
    _services().export(kind, path, scope=scope, zone_code=zone_code)
    stem = f"{zone.name}_" if zone else ""
    return _send_file(path, f"{stem}{KINDS[kind]}_{date.today():%Y%m%d}.{fmt}")
