"""督办 pages: the dashboard, the catalogue, the task register, a task with its reports and history, the
exports. A view reads through a selector, validates a POST with a form, calls one service, renders."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from jingkai import lists
from jingkai.accounts import authz
from jingkai.accounts.authz import AuthenticatedHttpRequest
from jingkai.confirm import Confirmation, confirmation_page, is_confirmed
from jingkai.downloads import DOCX, XLSX, download
from jingkai.measures import attachments, exports, selectors, services
from jingkai.measures.capabilities import ASSIGN_TASKS, VIEW_MEASURES
from jingkai.measures.forms import ActionForm, ReportForm, TaskForm
from jingkai.spreadsheets import NUMBER
from jingkai.workflow import COMMENT_REQUIRED

view_required = authz.capability_required(VIEW_MEASURES)
TASK_COLUMNS = (  # the register's columns (sort keys, headings, the list's export)
    lists.Column("item", "事项", "task.item_code", natural=True),
    lists.Column("title", "任务", "task.title"),
    lists.Column("owner", "责任单位", lambda r: str(r.task.owner)),
    lists.Column("zone", "园区", lambda r: r.task.zone.name if r.task.zone_id else "", sortable=False),
    lists.Column("deadline", "完成时限", "task.deadline"),
    lists.Column("progress", "进度（%）", "progress", kind=NUMBER),
    lists.Column("status", "状态"),
    lists.Column("reasons", "说明", lambda r: "；".join(r.reasons + r.warnings), sortable=False),
)


def _messages(error: ValidationError | PermissionDenied) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


@view_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "measures/dashboard.html", {"board": selectors.dashboard(request.user, date.today())})


@view_required
def catalogue(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "measures/catalogue.html", {
        "parts": selectors.catalogue_status(request.user, date.today()), "statuses": selectors.STATUSES})


@view_required
def task_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = selectors.RegisterQuery.of(request.GET)
    rows = lists.listing(selectors.register(request.user, date.today(), query=query), request.GET,
                         TASK_COLUMNS, default_sort="item")
    if lists.wants_export(request.GET):
        return lists.export(rows, title="督办任务清单", filename="督办任务清单")
    page = rows.page
    return render(request, "measures/tasks.html", {
        "listing": rows, "page": page, "rows": page.object_list, "statuses": selectors.STATUSES, "query": query,
        "report_filters": selectors.REPORT_FILTERS})


def _task_page(request: AuthenticatedHttpRequest, task_id: int, *, report_form: ReportForm | None = None,
               action_form: tuple[int, ActionForm] | None = None) -> HttpResponse:
    today = date.today()
    page = selectors.task_page(request.user, task_id, today)
    failed_report, failed_form = action_form or (None, None)
    return render(request, "measures/task.html", {
        "page": page, "task": page.task, "row": page.row,
        "can_report": services.may_report(request.user, page.task),
        "report_form": report_form or ReportForm(initial={"period": today.strftime("%Y-%m")}),
        "failed_report": failed_report, "failed_form": failed_form,
    })


@view_required
def task_detail(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    return _task_page(request, task_id)


@view_required
@require_POST
def report_save(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    task = selectors.get_task(request.user, task_id)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_draft(request.user, task=task, period=data["period"], text=data["text"],
                                progress=data["progress"], completes_task=data["completes_task"],
                                attachment=data["attachment"])
        except ValidationError as error:  # a refusal (PermissionDenied) is the 403 page
            form.add_error(None, error)
        else:
            messages.success(request, "进展已保存，请提交审核。")
            return redirect("measures:task", task_id=task.pk)
    messages.error(request, "进展未保存，请按提示修改。")
    return _task_page(request, task.pk, report_form=form)


@view_required
@require_POST
def report_action(request: AuthenticatedHttpRequest, report_id: int, action: str) -> HttpResponse:
    report = selectors.get_report(request.user, report_id)
    form = ActionForm(request.POST)
    if (form.is_valid() and action == services.CONFIRM and not is_confirmed(request)
            and services.CONFIRM in services.REPORT_FLOW.allowed_actions(request.user, report)):  # else the service says why
        task_url = reverse("measures:task", args=[report.task_id])
        return confirmation_page(request, Confirmation(
            title="确认进展报告", button="确认", action=request.path, cancel=task_url,
            message="确认后进展报告定稿，计入督办进展表和督办通报，不能再退回或修改。请核对：",
            facts=selectors.confirm_preview(report), fields=[("comment", form.cleaned_data["comment"])],
            links=[("附件", reverse("measures:attachment", args=[report.pk]))] if report.attachment else []))
    if form.is_valid():
        try:
            services.transition(request.user, report, action, form.cleaned_data["comment"])
        except ValidationError as error:
            if getattr(error, "code", None) != COMMENT_REQUIRED:  # the report moved meanwhile (a second click)
                messages.error(request, _messages(error))
                return redirect("measures:task", task_id=report.task_id)
            form.add_error("comment", error)
        else:
            messages.success(request, f"已{services.action_label(action)}。")
            return redirect("measures:task", task_id=report.task_id)
    messages.error(request, " ".join(str(e) for e in form.errors.get("comment", [])) or "操作未完成，请按提示修改。")
    return _task_page(request, report.task_id, action_form=(report.pk, form))


@view_required
@require_safe
def attachment(request: AuthenticatedHttpRequest, report_id: int) -> FileResponse:
    """A report's attachment, for whoever sees its task (404 outside the user's scope, as the task page), under
    its original name. MEDIA is not served: this view is the only way to the file."""
    report = selectors.get_report(request.user, report_id)
    if not report.attachment:
        raise Http404("这份进展报告没有附件")
    try:
        handle = report.attachment.open("rb")
    except FileNotFoundError as error:
        raise Http404("附件文件已不存在") from error
    name = report.attachment_name or str(report.attachment.name).rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=attachments.content_type(name))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@view_required
def item_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    item = selectors.get_item(code)
    if request.method == "POST":
        authz.require(request.user, ASSIGN_TASKS)  # 403 for anyone else, before reading the form
    can_assign = authz.has(request.user, ASSIGN_TASKS)
    form = TaskForm(request.POST if request.method == "POST" else None, owners=selectors.assignable_units(),
                    indicators=selectors.target_indicators(item), initial={"start": date.today()}) if can_assign else None
    if form is not None and form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.create_tasks(
                    request.user, item_code=code, title=data["title"].strip() or item.text[:60],
                    owners=data["owners"], start=data["start"], deadline=data["deadline"],
                    milestones=data["milestones"], target_indicator=data["target_indicator"],
                    target_value=data["target_value"], target_period=data["target_period"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"已下达 {len(created)} 项任务。")
                return redirect("measures:item", code=code)
        messages.error(request, "任务未下达，请按提示修改。")
    page = selectors.item_page(request.user, code, date.today())
    return render(request, "measures/item.html", {"page": page, "item": page.item, "form": form})


@view_required
def export_progress(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = date.today()
    query = selectors.RegisterQuery.of(request.GET)  # the task list's filters, when exported from there
    return download(exports.progress_xlsx(selectors.register(request.user, today, query=query), today), XLSX,
                    f"措施督办进展表_{today:%Y%m%d}.xlsx")


@view_required
def export_bulletin(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = date.today()
    data = exports.bulletin_docx(selectors.register(request.user, today), today,
                                selectors.bulletin_coverage(request.user))
    return download(data, DOCX, f"措施督办通报_{today:%Y-%m}.docx")
