"""督办 pages: the dashboard, the task register, a task with its reports and history, the outputs."""

from collections import Counter
from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jingkai.accounts.models import OrgUnit
from jingkai.engines.supervision import DONE, LAGGING, NOT_STARTED, ON_TRACK, OVERDUE
from jingkai.measures import outputs
from jingkai.measures.catalogue import load_catalogue
from jingkai.measures.models import ProgressReport, ReportEvent
from jingkai.measures.selectors import task_list, task_rows
from jingkai.measures.services import allowed_actions, create_tasks, parse_milestones, save_draft, transition
from jingkai.zones.models import Indicator

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

    measures = catalogue.measures
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
    return redirect("measures:task", task_id=task.pk)


@login_required
@require_POST
def report_action(request, report_id: int, action: str):
    report = get_object_or_404(ProgressReport.objects.filter(task__in=task_list(request.user)), pk=report_id)
    try:
        transition(request.user, report, action, request.POST.get("comment", ""))
        messages.success(request, f"已{ACTION_LABELS.get(action, action)}。")
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("measures:task", task_id=report.task_id)


@login_required
def export_progress(request):
    rows = task_rows(task_list(request.user), date.today())
    response = HttpResponse(outputs.progress_xlsx(rows),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'措施督办进展表_{date.today():%Y%m%d}.xlsx')}"
    return response


@login_required
def export_bulletin(request):
    today = date.today()
    rows = task_rows(task_list(request.user), today)
    response = HttpResponse(outputs.bulletin_docx(rows, today),
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'措施督办通报_{today:%Y-%m}.docx')}"
    return response


@login_required
def catalogue(request):
    """The policy as parts → measures → items, each item with its tasks' statuses."""
    rows = task_rows(task_list(request.user), date.today())
    by_item: dict[str, Counter] = {}
    for row in rows:
        by_item.setdefault(row.task.item_code, Counter())[row.status] += 1
    parts = [{"part": part, "measures": [
        {"measure": m, "items": [(i, [by_item.get(i.code, Counter())[s] for s in STATUSES]) for i in m.items]}
        for m in part.measures]} for part in load_catalogue().parts]
    return render(request, "measures/catalogue.html", {"parts": parts, "statuses": STATUSES})


@login_required
def item_detail(request, code: str):
    item = next((i for i in load_catalogue().items if i.code == code), None)
    if item is None:
        raise Http404(f"没有措施事项 {code}")
    tasks = task_list(request.user).filter(item_code=code)
    events = (ReportEvent.objects.filter(report__task__in=tasks).select_related("report__task__owner", "user")
              .order_by("-at", "-id")[:50])
    province = request.user.scope.kind == "province"
    if request.method == "POST":
        if not province:
            raise PermissionDenied("只有省商务厅可以分解下达任务")
        post = request.POST
        try:
            indicator = Indicator.objects.filter(key=post.get("target_indicator")).first()
            value = float(post["target_value"]) if post.get("target_value") else None
            created = create_tasks(
                request.user, code, post.get("title", "").strip() or item.text[:60],
                OrgUnit.objects.filter(code__in=post.getlist("owners")),
                date.fromisoformat(post["start"]), date.fromisoformat(post["deadline"]),
                parse_milestones(post.get("milestones", "")), indicator, value, post.get("target_period", ""))
            messages.success(request, f"已下达 {len(created)} 项任务。")
            return redirect("measures:item", code=code)
        except (ValueError, KeyError):
            messages.error(request, "开始日期、完成时限须写作 YYYY-MM-DD，目标值须为数字。")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(request, "measures/item.html", {
        "item": item, "rows": task_rows(tasks, date.today()), "events": events, "province": province,
        "owners": OrgUnit.objects.filter(kind__in=["province", "department", "zone"]).order_by("kind", "code"),
        "indicators": Indicator.objects.filter(key__in=item.indicators) or Indicator.objects.all(),
        "today": date.today()})
