"""Finance pages: the projects of the user's zones (list with search, sort, paging and export; create, edit),
the push of a list to banks, the push log, and a pushed list as its bank reads and answers it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jingkai import lists
from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required, has
from jingkai.downloads import XLSX, download
from jingkai.finance import catalogue, exports, forms, selectors, services
from jingkai.finance.capabilities import MANAGE_PROJECTS, PUSH_LISTS, RECEIVE_LISTS, VIEW_PROJECTS
from jingkai.finance.models import Feedback, GreenProject
from jingkai.paging import page_of
from jingkai.spreadsheets import NUMBER
from jingkai.zones.models import Zone


def _names(codes: list[str], project: GreenProject) -> str:
    return "、".join(catalogue.of(project.catalogue).channel_names(codes))


PROJECT_COLUMNS = (
    lists.Column("name", "项目名称", field="name"),
    lists.Column("zone", "所在园区", "zone.name", field="zone__code"),
    lists.Column("category", "项目类别", lambda p: catalogue.of(p.catalogue).category_name(p.category), field="category"),
    lists.Column("borrower", "融资主体", field="borrower"),
    lists.Column("capex", "总投资（万元）", kind=NUMBER, field="capex"),
    lists.Column("finance_need", "融资需求（万元）", kind=NUMBER, field="finance_need"),
    lists.Column("co2_saved", "预计年减排（吨二氧化碳/年）", kind=NUMBER, field="co2_saved"),
    lists.Column("channels", "拟申请融资渠道", lambda p: _names(p.channels, p), sortable=False),
    lists.Column("status", "项目状态", "get_status_display", field="status"),
)


def _project(request: AuthenticatedHttpRequest, pk: int) -> GreenProject:
    project = selectors.project_get(request.user.scope, pk)
    if project is None:
        raise Http404("没有这个项目")
    return project


def _scope_label(request: AuthenticatedHttpRequest) -> str:
    unit = request.user.org_unit
    return "全省" if request.user.scope.all_zones else (unit.name if unit else "本单位")


def _query(request: AuthenticatedHttpRequest) -> dict[str, str]:
    cat = catalogue.current()
    get = request.GET
    pick = lambda key, allowed: value if (value := get.get(key) or "") in allowed else ""  # noqa: E731
    return {"q": (get.get("q") or "").strip()[:50], "category": pick("category", cat.categories),
            "channel": pick("channel", cat.channels), "zone": (get.get("zone") or "")[:20]}


@capability_required(VIEW_PROJECTS)
def project_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = _query(request)
    rows = selectors.search(selectors.project_list(request.user.scope), **query)
    table = lists.listing(rows, request.GET, PROJECT_COLUMNS, default_sort="zone")
    if lists.wants_export(request.GET):
        return lists.export(table, title=f"绿色和重点项目（{_scope_label(request)}）", filename="绿色和重点项目")
    cat = catalogue.current()
    return render(request, "finance/projects.html", {
        "listing": table, "page": table.page, "query": query, "catalogue": cat,
        "zones": request.user.scope.filter(_zones(), "self"),
        "can_manage": has(request.user, MANAGE_PROJECTS), "can_push": has(request.user, PUSH_LISTS)})


def _zones() -> Any:
    return Zone.objects.filter(green_projects__isnull=False).distinct().order_by("code")


@capability_required(VIEW_PROJECTS)
def project_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """绿色项目清单 of the scope today, laid out as a bank receives it."""
    rows = selectors.search(selectors.project_list(request.user.scope), **_query(request))
    today = timezone.localdate()
    blob = exports.projects_xlsx([services.snapshot(p) for p in rows.order_by("zone__code", "name")], today,
                                 _scope_label(request))
    return download(blob, XLSX, f"绿色项目清单（{today:%Y年%m月%d日}）.xlsx")


def _save(request: AuthenticatedHttpRequest, form: forms.ProjectForm,
          save: Callable[[services.ProjectData], GreenProject], done: str) -> HttpResponse | None:
    if request.method == "POST" and form.is_valid():
        try:
            project = save(form.data_out())
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                form.add_error(key if key in form.fields else None, problems)
        except PermissionDenied as error:
            form.add_error("zone", str(error))
        else:
            messages.success(request, done.format(name=project.name))
            return redirect("finance:project", pk=project.pk)
    return None


@capability_required(MANAGE_PROJECTS)
def create_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.ProjectForm(request.user, request.POST or None)
    done = _save(request, form, lambda data: services.create_project(request.user, data), "已登记项目“{name}”")
    return done or render(request, "finance/form.html", {"form": form, "title": "登记绿色和重点项目",
                                                         "catalogue": catalogue.current()})


@capability_required(MANAGE_PROJECTS)
def edit_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    if not services.may_write(request.user, project):
        raise PermissionDenied("您无权修改该园区的项目")
    form = forms.ProjectForm(request.user, request.POST or None, project=project)
    done = _save(request, form, lambda data: services.update_project(request.user, project, data), "已保存“{name}”")
    return done or render(request, "finance/form.html", {"form": form, "title": f"修改项目：{project.name}",
                                                         "project": project,
                                                         "catalogue": catalogue.of(project.catalogue)})


@capability_required(VIEW_PROJECTS)
def project_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    cat = catalogue.of(project.catalogue)
    return render(request, "finance/project.html", {
        "project": project, "category": cat.categories.get(project.category), "catalogue": cat,
        "channels": [cat.channels[c] for c in project.channels if c in cat.channels],
        "pushes": selectors.pushes_of(project), "can_write": services.may_write(request.user, project)})


def office_or_bank(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The push pages: an office that pushes, or a bank that receives (each reads its own pushes)."""
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (has(request.user, PUSH_LISTS) or has(request.user, RECEIVE_LISTS)):
            raise PermissionDenied("您无权查看项目清单推送")
        return view(request, *args, **kwargs)
    return login_required(wrapper)


@office_or_bank
def push_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    pushes = selectors.push_list(request.user)
    return render(request, "finance/pushes.html", {
        "page": page_of(pushes, request.GET), "is_bank": has(request.user, RECEIVE_LISTS),
        "can_push": has(request.user, PUSH_LISTS)})


@capability_required(PUSH_LISTS)
def push_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    chosen = [x for x in request.GET.getlist("project")[:1000] if x.isdecimal() and x.isascii() and len(x) < 12]
    initial = {"title": f"绿色和重点项目清单（{timezone.localdate():%Y年%m月}）", "projects": chosen}
    form = forms.PushForm(request.user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.push(request.user, form.request_out())
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                form.add_error(key if key in form.fields else None, problems)
        else:
            messages.success(request, f"已向 {len(made)} 家金融机构推送清单“{made[0].title}”")
            return redirect("finance:push", pk=made[0].pk) if len(made) == 1 else redirect("finance:pushes")
    return render(request, "finance/push_new.html", {"form": form, "has_banks": selectors.banks().exists()})


def _push(request: AuthenticatedHttpRequest, pk: int) -> Any:
    push = selectors.push_get(request.user, pk)
    if push is None:
        raise Http404("没有这份清单")
    return push


@office_or_bank
def push_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    push = _push(request, pk)
    is_bank = has(request.user, RECEIVE_LISTS)
    return render(request, "finance/push.html", {
        "push": push, "items": selectors.push_items(push), "is_bank": is_bank,
        "feedback_form": forms.FeedbackForm() if is_bank else None, "pending": Feedback.PENDING})


@office_or_bank
def push_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    push = _push(request, pk)
    blob = exports.push_xlsx(push, list(selectors.push_items(push)))
    return download(blob, XLSX, f"绿色项目清单（{push.title}）.xlsx")


@capability_required(RECEIVE_LISTS)
@require_POST
def feedback(request: AuthenticatedHttpRequest, pk: int, item: int) -> HttpResponse:
    push = _push(request, pk)
    found = push.items.filter(pk=item).first()
    if found is None:
        raise Http404("清单中没有这个项目")
    form = forms.FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.answer(request.user, found, form.cleaned_data["feedback"], form.cleaned_data["feedback_note"])
            messages.success(request, f"已反馈“{found.snapshot.get('name', '')}”的对接情况")
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("finance:push", pk=push.pk)
