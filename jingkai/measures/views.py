"""督办 pages: the dashboard, the task register, a task with its reports and history, the outputs."""

from collections import Counter
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jingkai.engines.supervision import DONE, LAGGING, NOT_STARTED, ON_TRACK, OVERDUE
from jingkai.measures import outputs
from jingkai.measures.catalogue import load_catalogue
from jingkai.measures.models import ProgressReport
from jingkai.measures.selectors import task_list, task_rows
from jingkai.measures.services import allowed_actions, save_draft, transition

STATUSES = [NOT_STARTED, ON_TRACK, LAGGING, OVERDUE, DONE]
ACTION_LABELS = {"submit": "提交审核", "approve": "审核通过", "confirm": "确认", "return": "退回修改"}


@login_required
def dashboard(request):
    rows = task_rows(task_list(request.user), date.today())
    catalogue = load_catalogue()
    by = {"part": Counter(), "measure": Counter(), "owner": Counter(), "zone": Counter()}
    part_of = {m.no: p for p in catalogue.parts for m in p.measures}
    for row in rows:
        measure_no = int(row.task.item_code.split(".")[0])
        by["part"][(part_of[measure_no].title, row.status)] += 1
        by["measure"][(measure_no, row.status)] += 1
        by["owner"][(row.task.owner.name, row.status)] += 1
        by["zone"][(row.task.zone.name if row.task.zone else "全省", row.status)] += 1

    def table(counter, keys):
        return [{"key": key, "counts": [counter[(key, s)] for s in STATUSES],
                 "total": sum(counter[(key, s)] for s in STATUSES)} for key in keys]

    measures = [m for m in catalogue.measures]
    context = {
        "statuses": STATUSES,
        "totals": [(s, sum(r.status == s for r in rows)) for s in STATUSES],
        "by_part": table(by["part"], [p.title for p in catalogue.parts]),
        "by_measure": [dict(row, label=f"{m.label}{m.title}") for row, m in
                       zip(table(by["measure"], [m.no for m in measures]), measures, strict=True)],
        "by_owner": table(by["owner"], sorted({k for k, _ in by["owner"]})),
        "by_zone": table(by["zone"], sorted({k for k, _ in by["zone"]})),
        "warnings": [r for r in rows if r.warnings and r.status not in {DONE, OVERDUE}],
        "overdue": [r for r in rows if r.status == OVERDUE],
    }
    return render(request, "measures/dashboard.html", context)


@login_required
def task_register(request):
    rows = task_rows(task_list(request.user), date.today())
    status = request.GET.get("status")
    if status:
        rows = [r for r in rows if r.status == status]
    return render(request, "measures/tasks.html", {"rows": rows, "statuses": STATUSES, "status": status})


@login_required
def task_detail(request, task_id: int):
    task = get_object_or_404(task_list(request.user), pk=task_id)
    row = task_rows([task], date.today())[0]
    item = next(i for i in load_catalogue().items if i.code == task.item_code)
    reports = task.reports.prefetch_related("events__user").select_related("author")
    actions = {r.pk: [(a, ACTION_LABELS[a]) for a in allowed_actions(request.user, r)] for r in reports}
    return render(request, "measures/task.html", {
        "task": task, "row": row, "item": item, "reports": reports, "actions": actions,
        "can_report": request.user.org_unit_id == task.owner_id,
        "this_month": date.today().strftime("%Y-%m"),
    })


@login_required
@require_POST
def report_save(request, task_id: int):
    task = get_object_or_404(task_list(request.user), pk=task_id)
    try:
        progress = float(request.POST.get("progress", ""))
        save_draft(request.user, task, request.POST["period"], request.POST.get("text", "").strip(), progress,
                   completes_task=request.POST.get("completes_task") == "on",
                   attachment=request.FILES.get("attachment"))
        messages.success(request, "进展已保存，请提交审核。")
    except ValueError:
        messages.error(request, f"完成进度“{request.POST.get('progress')}”不是数字")
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("measures_task", task_id=task.pk)


@login_required
@require_POST
def report_action(request, report_id: int, action: str):
    report = get_object_or_404(ProgressReport.objects.filter(task__in=task_list(request.user)), pk=report_id)
    try:
        transition(request.user, report, action, request.POST.get("comment", ""))
        messages.success(request, f"已{ACTION_LABELS.get(action, action)}。")
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("measures_task", task_id=report.task_id)


@login_required
def export_progress(request):
    rows = task_rows(task_list(request.user), date.today())
    response = HttpResponse(outputs.progress_xlsx(rows),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''progress.xlsx"
    return response


@login_required
def export_bulletin(request):
    today = date.today()
    rows = task_rows(task_list(request.user), today)
    response = HttpResponse(outputs.bulletin_docx(rows, today),
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''duban-{today:%Y-%m}.docx"
    return response
