"""Pipeline pages: the kanban (本周应跟进, 逾期), a project with its history and follow-up form, new leads with
the duplicate-company warning, landing rates, and the 重点外资项目 list with its Excel export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jingkai import lists
from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required, has
from jingkai.downloads import XLSX, download
from jingkai.investment import dedupe, exports, forms, services
from jingkai.investment.capabilities import MANAGE_PROJECTS, REVIEW_FAIR_COMPETITION, VIEW_PROJECTS
from jingkai.investment.models import Agreement, CoBuild, Event, Project, Team
from jingkai.investment.selectors import (
    LeadQuery,
    board,
    co_build_list,
    coverage_names,
    event_list,
    event_rows,
    key_foreign,
    landing,
    lead_rows,
    project_get,
    project_list,
    team_list,
)
from jingkai.spreadsheets import NUMBER, chinese_date


def _project(request: AuthenticatedHttpRequest, pk: int) -> Project:
    project = project_get(request.user.scope, pk)
    if project is None:
        raise Http404("没有这个招商项目")
    return project


def _form_errors(form: BaseForm) -> str:
    return "；".join(str(e) for errs in form.errors.values() for e in errs)


def _message(error: ValidationError) -> str:
    return "；".join(error.messages)


def _person(user: Any) -> str:
    return (user.get_full_name() or "经办人") if user else ""


LEAD_COLUMNS = (  # the board's export (the filtered leads), through jingkai.lists
    lists.Column("name", "项目名称"),
    lists.Column("company", "投资方企业"),
    lists.Column("zone", "落地园区", "zone.name"),
    lists.Column("stage", "阶段", lambda p: p.get_stage_display()),
    lists.Column("stage_since", "进入本阶段日期", lambda p: chinese_date(p.stage_since)),
    lists.Column("owner_unit", "责任单位", "owner_unit.name"),
    lists.Column("team", "责任小分队（专班）", lambda p: p.team.name if p.team else "管委会"),
    lists.Column("owner", "责任人", lambda p: _person(p.owner) or "未指定"),
    lists.Column("next_action_date", "下次跟进日期",
                 lambda p: chinese_date(p.next_action_date) if p.next_action_date else "未安排"),
    lists.Column("next_action", "下一步工作", lambda p: p.next_action or "未安排"),
    lists.Column("planned_investment", "计划总投资（万元）", lambda p: _money(p.planned_investment), NUMBER),
    lists.Column("contracted_fdi", "合同外资（万美元）", lambda p: _money(p.contracted_fdi), NUMBER),
)


def _money(value: Any) -> float | None:
    return None if value is None else float(value)


@capability_required(VIEW_PROJECTS)
def board_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    search = forms.LeadSearchForm(request.GET)
    query = search.query()
    if lists.wants_export(request.GET):
        table = lists.listing(lead_rows(request.user.scope, query), request.GET, LEAD_COLUMNS)
        return lists.export(table, title=f"招商线索（{_scope_label(request)}）", filename="招商线索查询结果", as_of=today)
    return render(request, "investment/board.html", {
        "board": board(request.user.scope, today, query=query), "today": today, "search": search,
        "filtered": query != LeadQuery(), "listing": lists.listing([], request.GET, LEAD_COLUMNS),
        "can_manage": has(request.user, MANAGE_PROJECTS)})


@capability_required(MANAGE_PROJECTS)
def create_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.ProjectForm(request.user, request.POST or None)
    similar: list[dedupe.Match] = []
    hidden = 0
    if request.method == "POST" and form.is_valid():
        similar, hidden = services.similar_projects(request.user, form.cleaned_data["company"])
        if (similar or hidden) and not form.cleaned_data.get("confirm_duplicate"):
            form.add_error("company", "发现名称相近的在跟进企业，请核对；确属不同企业请勾选“确认不是同一企业”后再保存")
        else:
            try:
                project = services.create_project(request.user, form.new_project())
            except ValidationError as error:
                form.add_error(None, _message(error))
            else:
                messages.success(request, f"已登记招商线索“{project.name}”")
                return redirect("investment:project", pk=project.pk)
    return render(request, "investment/create.html", {"form": form, "similar": similar, "hidden": hidden})


@capability_required(VIEW_PROJECTS)
def project_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    agreement = Agreement.objects.filter(project=project).first()
    can_write = has(request.user, MANAGE_PROJECTS) and services.may_write(request.user, project)
    return render(request, "investment/project.html", {
        "project": project, "agreement": agreement,
        "changes": project.stage_changes.select_related("by").order_by("-on", "-id"),
        "follow_ups": project.follow_ups.select_related("by"),
        "transitions": services.FLOW.allowed(request.user, project),
        "can_write": can_write, "can_review": can_write and has(request.user, REVIEW_FAIR_COMPETITION),
        "links": coverage_names(project.chain_links), "follow_form": forms.FollowUpForm(), "fdi_form": forms.FdiReceiptForm(),
        "receipts": project.fdi_receipts.all(), "agreement_form": forms.AgreementForm(instance=agreement),
        "similar": Project.objects.filter(pk__in=[m.key for m in services.similar_projects(
            request.user, project.company, exclude=project.pk)[0][:5]]).select_related("zone"),
    })


def _post_form(request: AuthenticatedHttpRequest, pk: int, form: BaseForm,
               save: Callable[[Project, dict[str, Any]], object], done: str) -> HttpResponse:
    """The project page's small forms: validate, save through the service, say what happened, back to the page."""
    project = _project(request, pk)
    if form.is_valid():
        try:
            save(project, dict(form.cleaned_data))
            messages.success(request, done)
        except ValidationError as error:
            messages.error(request, _message(error))
    else:
        messages.error(request, _form_errors(form))
    return redirect("investment:project", pk=pk)


@capability_required(MANAGE_PROJECTS)
@require_POST
def follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _post_form(request, pk, forms.FollowUpForm(request.POST),
                      lambda project, values: services.add_follow_up(request.user, project, **values), "已记录跟进情况")


@capability_required(MANAGE_PROJECTS)
@require_POST
def fdi_receipt(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _post_form(request, pk, forms.FdiReceiptForm(request.POST),
                      lambda project, values: services.record_fdi_receipt(request.user, project, **values),
                      "已登记到位外资")


@capability_required(MANAGE_PROJECTS)
@require_POST
def agreement(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def save(project: Project, values: dict[str, Any]) -> object:
        if not has(request.user, REVIEW_FAIR_COMPETITION):  # the review is recorded by those who may review
            for key in services.REVIEW_FIELDS:
                values.pop(key, None)
        return services.save_agreement(request.user, project, **values)
    return _post_form(request, pk, forms.AgreementForm(request.POST), save, "已保存协议条款与公平竞争审查结论")


@capability_required(MANAGE_PROJECTS)
@require_POST
def transition(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    try:
        moved = services.advance(request.user, project, request.POST.get("action", ""),
                                 request.POST.get("comment", ""))
        messages.success(request, f"项目已进入“{moved.get_stage_display()}”阶段")
    except ValidationError as error:
        messages.error(request, _message(error))
    except PermissionDenied as error:
        messages.error(request, str(error) or "您无权推进该项目")
    return redirect("investment:project", pk=pk)


@capability_required(VIEW_PROJECTS)
def landing_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "investment/landing.html", {"landing": landing(request.user.scope)})


@capability_required(VIEW_PROJECTS)
def key_foreign_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    months, y, m = [], today.year, today.month
    for _ in range(12):  # this month and the eleven before it
        months.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return render(request, "investment/key_foreign.html", {
        "projects": key_foreign(request.user.scope), "months": [(f"{y}-{m:02d}", f"{y}年{m}月") for y, m in months]})


def _scope_label(request: AuthenticatedHttpRequest) -> str:
    unit = request.user.org_unit
    return "全省" if request.user.scope.all_zones else (unit.name if unit else "本单位")


def _month(request: AuthenticatedHttpRequest) -> tuple[int, int]:
    """?month=YYYY-MM (this month when absent or not a month: the page offers only valid ones)."""
    today = timezone.localdate()
    text = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in text.split("-"))
        if 2000 <= year <= today.year + 1 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


@capability_required(VIEW_PROJECTS)
def key_foreign_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    year, month = _month(request)
    blob = exports.key_foreign_xlsx(key_foreign(request.user.scope), year, month, _scope_label(request))
    return download(blob, XLSX, f"重点外资项目清单（{year}年{month}月）.xlsx")


def _ledger(request: AuthenticatedHttpRequest, write: Callable[..., bytes], name: str) -> HttpResponse:
    """A whole-scope workbook of the projects (台账, 履约跟踪表), named with today's date."""
    today = timezone.localdate()
    projects = list(project_list(request.user.scope).order_by("zone__code", "stage_since", "id"))
    return download(write(projects, today, _scope_label(request)), XLSX, f"{name}（{today:%Y年%m月%d日}）.xlsx")


@capability_required(VIEW_PROJECTS)
def ledger_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _ledger(request, exports.ledger_xlsx, "招商线索台账")


@capability_required(VIEW_PROJECTS)
def performance_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _ledger(request, exports.performance_xlsx, "签约项目履约跟踪表")


@capability_required(VIEW_PROJECTS)
def events_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    events = list(event_list(request.user.scope))
    return render(request, "investment/events.html", {"rows": event_rows(request.user.scope, events),
                                                      "can_manage": has(request.user, MANAGE_PROJECTS)})


@capability_required(VIEW_PROJECTS)
def event_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = event_list(request.user.scope).filter(pk=pk).first()
    if event is None:
        raise Http404("没有这个招商活动")
    [row] = event_rows(request.user.scope, [event])
    projects = project_list(request.user.scope).filter(event=event).order_by("zone__code", "id")
    return render(request, "investment/event.html", {
        "row": row, "projects": projects,
        "can_edit": has(request.user, MANAGE_PROJECTS) and services.may_write_zone(request.user, event.zone_id)})


@capability_required(VIEW_PROJECTS)
def co_builds_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "investment/co_builds.html", {"rows": co_build_list(request.user.scope),
                                                         "can_manage": has(request.user, MANAGE_PROJECTS)})


# ---------------------------------------------------------------- events, 合作共建 and teams: create and edit

def _record_page(request: AuthenticatedHttpRequest, form_class: type, instance: Any, *, title: str, back: str,
                 audit_model: str, done: str) -> HttpResponse:
    """The one create/edit page of a zone's record: the form, saved through services.save_record (scope, audit)."""
    if instance.pk and not services.may_write_zone(request.user, instance.zone_id):
        raise PermissionDenied("您无权修改该记录")
    form = form_class(request.user, request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_record(request.user, form, audit_model)
        except ValidationError as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, f"{done}“{saved}”")
            return redirect(back)
    return render(request, "investment/record_form.html", {"form": form, "title": title, "back": back},
                  status=400 if form.errors else 200)


def _get(queryset: Any, pk: int, missing: str) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(missing)
    return found


@capability_required(MANAGE_PROJECTS)
def event_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _record_page(request, forms.EventForm, Event(), title="登记招商活动", back=reverse("investment:events"),
                        audit_model="investment.Event", done="已登记招商活动")


@capability_required(MANAGE_PROJECTS)
def event_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _get(event_list(request.user.scope), pk, "没有这个招商活动")
    return _record_page(request, forms.EventForm, event, title=f"修改招商活动：{event.name}",
                        back=reverse("investment:event", args=[pk]), audit_model="investment.Event", done="已保存")


@capability_required(MANAGE_PROJECTS)
def co_build_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _record_page(request, forms.CoBuildForm, CoBuild(), title="登记合作共建协议",
                        back=reverse("investment:co_builds"), audit_model="investment.CoBuild", done="已登记合作共建协议")


@capability_required(MANAGE_PROJECTS)
def co_build_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    co = _get(co_build_list(request.user.scope), pk, "没有这份合作共建协议")
    return _record_page(request, forms.CoBuildForm, co, title=f"修改合作共建协议：{co}",
                        back=reverse("investment:co_builds"), audit_model="investment.CoBuild", done="已保存")


@capability_required(VIEW_PROJECTS)
def teams_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    teams = team_list(request.user.scope).annotate(leads=Count("projects"))
    return render(request, "investment/teams.html", {
        "rows": [(t, coverage_names(t.coverage)) for t in teams],
        "can_manage": has(request.user, MANAGE_PROJECTS)})


@capability_required(MANAGE_PROJECTS)
def team_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _record_page(request, forms.TeamForm, Team(), title="新建招商小分队（专班）",
                        back=reverse("investment:teams"), audit_model="investment.Team", done="已新建")


@capability_required(MANAGE_PROJECTS)
def team_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    team = _get(team_list(request.user.scope), pk, "没有这个招商小分队")
    return _record_page(request, forms.TeamForm, team, title=f"修改招商小分队（专班）：{team.name}",
                        back=reverse("investment:teams"), audit_model="investment.Team", done="已保存")
