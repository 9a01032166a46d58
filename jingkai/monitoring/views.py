"""Monitoring pages: the dashboard, the reporting status and review, and the bulletins. Each view reads
through one selector, validates a POST with a form and calls one service; refusals become messages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jingkai import lists
from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required
from jingkai.confirm import Confirmation, confirmation_page, is_confirmed
from jingkai.downloads import DOCX, download
from jingkai.jobs.pages import start
from jingkai.monitoring import drilldown, selectors, services
from jingkai.monitoring.capabilities import REVIEW, SUBMIT, VIEW_MONITORING
from jingkai.monitoring.corrections import request_correction, review_correction
from jingkai.monitoring.forms import (
    BatchConfirmForm,
    BatchSelectForm,
    BulletinActionForm,
    BulletinDraftForm,
    CorrectionForm,
    CorrectionReviewForm,
    ReviewForm,
    SubmitForm,
    WithdrawForm,
)
from jingkai.monitoring.models import Bulletin
from jingkai.monitoring.workflows import BULLETIN_FLOW, PUBLISH


def _say(request: AuthenticatedHttpRequest, error: Exception) -> None:
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))


def _form_errors(form) -> str:
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


@capability_required(VIEW_MONITORING)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    calendar = selectors.monthly_calendar()
    board = selectors.dashboard(request.user, calendar, freq=request.GET.get("freq"), period=request.GET.get("period"))
    kpi = drilldown.user_panel(request.user, calendar, board.period if board.freq == "month" else None)
    return render(request, "monitoring/dashboard.html", {"dashboard": board, "kpi": kpi})


@capability_required(VIEW_MONITORING)
def indicator(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """Drill-down: one indicator across the zones (ranking, sorted bars, the 市州 tiles)."""
    page = drilldown.indicator_page(request.user, selectors.monthly_calendar(), key, request.GET.get("period"))
    return render(request, "monitoring/indicator.html", {"page": page})


@capability_required(VIEW_MONITORING)
def zone_indicator(request: AuthenticatedHttpRequest, key: str, zone_code: str) -> HttpResponse:
    """Drill-down: one zone's months of one indicator, with 同比, 环比 and its rank among the zones."""
    page = drilldown.zone_indicator_page(request.user, selectors.monthly_calendar(), key, zone_code,
                                         request.GET.get("period"))
    return render(request, "monitoring/zone_indicator.html", {"page": page})


@capability_required(VIEW_MONITORING)
def submissions(request: AuthenticatedHttpRequest) -> HttpResponse:
    matrix = selectors.status_matrix(request.user, selectors.monthly_calendar(), date.today())
    q = (request.GET.get("q") or "").strip()[:50]  # 查询: a zone's name
    status = request.GET.get("status") or ""  # the latest period's state
    rows = [r for r in matrix.rows if q in r.zone.name and (not status or (r.cells and r.cells[0].status == status))]
    columns = [lists.Column("zone", "园区", "zone.name"), *(
        lists.Column(f"period-{i}", period, f"cells.{i}.status") for i, period in enumerate(matrix.periods))]
    table = lists.listing(rows, request.GET, columns)
    if lists.wants_export(request.GET):
        return lists.export(table, title=f"{matrix.calendar.name}报送情况", filename="报送情况")
    statuses = sorted({r.cells[0].status for r in matrix.rows if r.cells})
    return render(request, "monitoring/submissions.html", {
        "matrix": matrix, "listing": table, "page": table.page, "q": q, "status": status, "statuses": statuses,
        "period_keys": [(p, f"period-{i}") for i, p in enumerate(matrix.periods)]})


@capability_required(VIEW_MONITORING)
@require_POST
def submit(request: AuthenticatedHttpRequest, zone_code: str, period: str) -> HttpResponse:
    zone = selectors.zone_for(request.user, zone_code)
    form = SubmitForm({"period": period})
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("monitoring:submissions")
    try:
        submission = services.submit(request.user, selectors.monthly_calendar(), zone, form.cleaned_data["period"])
    except ValidationError as error:  # a refusal (PermissionDenied) is the 403 page
        _say(request, error)
        return redirect("monitoring:submissions")
    problems = len(submission.violations)
    messages.success(request, f"已报送 {zone.name} {period}" + (f"，发现 {problems} 项数据质量问题" if problems else ""))
    return redirect("monitoring:submission", submission_id=submission.pk)


@capability_required(VIEW_MONITORING)
def submission_detail(request: AuthenticatedHttpRequest, submission_id: int) -> HttpResponse:
    page = selectors.submission_page(request.user, submission_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review(request.user, page.submission, form.approve, form.cleaned_data["comment"])
                messages.success(request, "审核意见已保存。")
                return redirect("monitoring:submission", submission_id=submission_id)
            except ValidationError as error:  # a refusal (PermissionDenied) is the 403 page
                form.add_error(None, error)
    return render(request, "monitoring/submission.html", {
        "page": page, "form": form, "corrections": selectors.correction_panel(request.user, page.submission)})


@capability_required(SUBMIT)
@require_POST
def withdraw(request: AuthenticatedHttpRequest, submission_id: int) -> HttpResponse:
    """撤回 a report awaiting review (its zone or city; a refusal by right is the 403 page, by state a message)."""
    page = selectors.submission_page(request.user, submission_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.withdraw(request.user, page.submission, form.cleaned_data["reason"])
            messages.success(request, f"已撤回 {selectors.submission_label(page.submission)} 的报送，"
                                      "可修改数据后重新报送。")
        except ValidationError as error:
            _say(request, error)
    return redirect("monitoring:submission", submission_id=submission_id)


@capability_required(REVIEW)
@require_POST
def batch_review(request: AuthenticatedHttpRequest) -> HttpResponse:
    """批量审核: the ticked reports are listed for confirmation (nothing written); the confirmation approves each
    through the workflow and reports each one's outcome."""
    if is_confirmed(request):
        confirm = BatchConfirmForm(request.POST)
        if not confirm.is_valid():
            messages.error(request, _form_errors(confirm))
            return redirect("monitoring:submissions")
        outcomes = services.approve_batch(request.user, confirm.cleaned_data["confirmed"])
        done = [o.label for o in outcomes if o.approved]
        if done:
            messages.success(request, f"已审核通过 {len(done)} 份：" + "、".join(done))
        for o in outcomes:
            if not o.approved:
                messages.error(request, f"{o.label} 未审核通过：{o.message}")
        return redirect("monitoring:submissions")
    select = BatchSelectForm(request.POST)
    if not select.is_valid():
        messages.error(request, _form_errors(select))
        return redirect("monitoring:submissions")
    selection = selectors.batch_selection(request.user, select.cleaned_data["submission"])
    confirmation = Confirmation(
        title="批量审核确认", message="", action=request.path, cancel=reverse("monitoring:submissions"),
        button=f"确认审核通过（{len(selection.ready)} 份）", fields=[("confirmed", i.token) for i in selection.ready])
    return render(request, "monitoring/batch_review.html", {"selection": selection, "confirmation": confirmation})


@capability_required(VIEW_MONITORING)
@require_POST
def correction_request(request: AuthenticatedHttpRequest, submission_id: int) -> HttpResponse:
    """A 更正申请 on an approved report (a refusal by right is the 403 page; by content, a message)."""
    page = selectors.submission_page(request.user, submission_id)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            done = request_correction(request.user, page.submission, form.cleaned_data["indicator"],
                                      form.cleaned_data["value"], form.cleaned_data["reason"])
            messages.success(request, f"已提交“{done.indicator.name}”的更正申请，待省商务厅审核。")
        except ValidationError as error:
            _say(request, error)
    return redirect("monitoring:submission", submission_id=submission_id)


@capability_required(VIEW_MONITORING)
@require_POST
def correction_review(request: AuthenticatedHttpRequest, correction_id: int) -> HttpResponse:
    correction = selectors.correction_for(request.user, correction_id)
    form = CorrectionReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            done = review_correction(request.user, correction, form.approve, form.cleaned_data["comment"])
            messages.success(request, f"“{done.indicator.name}”的更正申请：{done.get_state_display()}。")
        except ValidationError as error:
            _say(request, error)
    return redirect("monitoring:submission", submission_id=correction.submission_id)


@capability_required(VIEW_MONITORING)
def bulletins(request: AuthenticatedHttpRequest) -> HttpResponse:
    listing = selectors.bulletin_list(request.user, date.today())
    form = BulletinDraftForm(request.POST or None, periods=listing.periods)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return redirect("monitoring:bulletins")
        data = form.cleaned_data  # drafting reads every zone's figures and writes a Word document: a job
        return start(request, "monitoring.bulletin", {"period": data["period"], "issue_date": str(data["issue_date"] or ""),
                                                      "number": data["number"] or ""},
                     f"起草{selectors.period_label(data['period'])}经济运行通报", "通报起草需汇总全部园区的数据")
    q = (request.GET.get("q") or "").strip()[:20]  # 查询: a period (2026, 2026-10) or a state (草稿, 已发布)
    rows = [r for r in listing.rows if not q or r.bulletin.period.startswith(q) or q in r.bulletin.get_state_display()]
    table = lists.listing(rows, request.GET, BULLETIN_COLUMNS, default_sort="-period")
    if lists.wants_export(request.GET):
        return lists.export(table, title="经济运行通报清单", filename="经济运行通报清单")
    return render(request, "monitoring/bulletins.html", {"listing": listing, "table": table, "page": table.page,
                                                         "q": q, "form": form,
                                                         "table_keys": [c.key for c in BULLETIN_COLUMNS]})


def _when(moment: Any) -> str:
    return f"{moment:%Y年%-m月%-d日 %H:%M}" if moment else "—"


BULLETIN_COLUMNS = (  # the bulletin list: sort keys, headings, the list export's columns
    lists.Column("period", "通报期间", lambda r: selectors.period_label(r.bulletin.period), natural=True),
    lists.Column("number", "发文字号", lambda r: r.bulletin.number or "未填写"),
    lists.Column("state", "状态", lambda r: r.bulletin.get_state_display()),
    lists.Column("created_at", "生成时间", lambda r: _when(r.bulletin.created_at)),
    lists.Column("published_at", "发布时间", lambda r: _when(r.bulletin.published_at)),
)


@capability_required(VIEW_MONITORING)
@require_POST
def bulletin_advance(request: AuthenticatedHttpRequest, bulletin_id: int) -> HttpResponse:
    bulletin = selectors.bulletin_for(request.user, bulletin_id)
    form = BulletinActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("monitoring:bulletins")
    if (form.cleaned_data["action"] == PUBLISH and not is_confirmed(request)
            and PUBLISH in BULLETIN_FLOW.allowed_actions(request.user, bulletin)):  # else the service says why
        return confirmation_page(request, Confirmation(
            title="确认发布通报", button="确认发布", action=request.path, cancel=reverse("monitoring:bulletins"),
            message="发布后，通报对各园区和省直部门可见、可下载，内容不能再修改或撤回。请核对以下内容和通报稿：",
            facts=selectors.publish_preview(bulletin), fields=[("action", PUBLISH)],
            links=[("下载通报稿（Word）", reverse("monitoring:bulletin_download", args=[bulletin.pk]))]))
    try:
        done = services.advance_bulletin(request.user, bulletin, form.cleaned_data["action"])
        messages.success(request, f"{done.period} 通报：{done.get_state_display()}。")
    except ValidationError as error:
        _say(request, error)
    return redirect("monitoring:bulletins")


@capability_required(VIEW_MONITORING)
def bulletin_download(request: AuthenticatedHttpRequest, bulletin_id: int) -> HttpResponse:
    bulletin = selectors.bulletin_for(request.user, bulletin_id, with_document=True)
    suffix = "" if bulletin.state == Bulletin.State.PUBLISHED else "_" + bulletin.get_state_display()
    return download(bytes(bulletin.document), DOCX, f"经济运行通报_{bulletin.period}{suffix}.docx")
