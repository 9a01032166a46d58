"""系统管理 pages: accounts (list, create, edit unit and rights, stop/start, reset password), the role ×
capability table, the units, the code lists and the operation log. Capabilities are checked again in the
selectors and services; a refusal is the Chinese 403 page."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jingkai import lists
from jingkai.accounts.authz import ROLES, AuthenticatedHttpRequest, capability_required
from jingkai.accounts.models import OrgUnit
from jingkai.audit.presentation import ACTIONS, model_label
from jingkai.spreadsheets import INTEGER
from jingkai.sysadmin import selectors, services
from jingkai.sysadmin.capabilities import MANAGE_USERS, VIEW_SYSTEM
from jingkai.sysadmin.forms import AssignForm, CreateForm, PasswordForm

USER_COLUMNS = (
    lists.Column("username", "用户名", field="username"),
    lists.Column("name", "姓名或称谓", "first_name", field="first_name"),
    lists.Column("unit", "所属机构", lambda u: u.org_unit.name if u.org_unit else "未分配", field="org_unit__name"),
    lists.Column("role", "角色", lambda u: "系统管理员" if u.is_superuser else (
        u.org_unit.get_kind_display() if u.org_unit else "未分配机构"), field="org_unit__kind"),
    lists.Column("active", "状态", lambda u: "正常" if u.is_active else "已停用", field="is_active"),
    lists.Column("last_login", "最近登录", lambda u: u.last_login.strftime("%Y-%m-%d %H:%M") if u.last_login else "",
                 field="last_login"),
)
UNIT_COLUMNS = (
    lists.Column("code", "机构代码", field="code"),
    lists.Column("name", "机构名称", field="name"),
    lists.Column("kind", "类型", "get_kind_display", field="kind"),
    lists.Column("parent", "上级机构", lambda u: u.parent.name if u.parent else "", field="parent__name"),
    lists.Column("accounts", "账号数（个）", kind=INTEGER, field="accounts"),
)
LOG_COLUMNS = (
    lists.Column("at", "时间", lambda e: e.at.strftime("%Y-%m-%d %H:%M:%S"), field="at"),
    lists.Column("user", "操作人", "who", sortable=False),
    lists.Column("action", "操作", sortable=False),
    lists.Column("object_type", "对象类型", sortable=False),
    lists.Column("object_key", "对象", sortable=False),
    lists.Column("changes", "变更内容", lambda line: "；".join(
        f"{c.label}：{c.before} → {c.after}" for c in line.changes), sortable=False),
    lists.Column("note", "说明", sortable=False),
)


def _choice(value: str | None, allowed: Iterable[str]) -> str:
    """A filter's value when it is one of `allowed`, else "" (no filter): unknown values are dropped."""
    return value if value is not None and value in allowed else ""


def _errors(error: ValidationError) -> str:
    return "；".join(error.messages)


@capability_required(MANAGE_USERS)
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    get = request.GET
    query = {"q": (get.get("q") or "").strip()[:50], "unit": get.get("unit") or "",
             "kind": _choice(get.get("kind"), OrgUnit.Kind.values), "active": _choice(get.get("active"), ("1", "0"))}
    table = lists.listing(selectors.users(request.user, **query), get, USER_COLUMNS, default_sort="unit")
    if lists.wants_export(get):
        return lists.export(table, title="用户清单", filename="用户清单")
    return render(request, "sysadmin/users.html", {
        "listing": table, "page": table.page, "query": query, "kinds": OrgUnit.Kind.choices,
        "units": OrgUnit.objects.order_by("kind", "code")})


@capability_required(MANAGE_USERS)
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(request.user, username=data["username"], first_name=data["first_name"],
                                        org_unit=data["org_unit"], password=data["password1"], rights=data["rights"])
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, f"已新建账号 {user.username}。")
            return redirect("sysadmin:user", user_id=user.pk)
    return render(request, "sysadmin/user_create.html", {"form": form}, status=400 if form.errors else 200)


@capability_required(MANAGE_USERS)
def user_detail(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    user = selectors.user(request.user, user_id)
    initial = {"first_name": user.first_name, "org_unit": user.org_unit, "rights": services.rights_of(user)}
    form = AssignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assign(request.user, user, first_name=data["first_name"], org_unit=data["org_unit"],
                            rights=data["rights"])
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, "已保存。")
            return redirect("sysadmin:user", user_id=user.pk)
    return render(request, "sysadmin/user.html", {
        "account": user, "form": form, "password_form": PasswordForm(),
        "role": "系统管理员" if user.is_superuser else ROLES.get(user.org_unit.kind, "") if user.org_unit else "未分配机构",
    }, status=400 if form.errors else 200)


@capability_required(MANAGE_USERS)
@require_POST
def user_active(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    user = selectors.user(request.user, user_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(request.user, user, active)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "账号已启用。" if active else "账号已停用，该用户不能再登录。")
    return redirect("sysadmin:user", user_id=user.pk)


@capability_required(MANAGE_USERS)
@require_POST
def user_password(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    user = selectors.user(request.user, user_id)
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            services.reset_password(request.user, user, form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error("password1", _errors(error))
        else:
            messages.success(request, "密码已重置，请将新密码告知本人。")
            return redirect("sysadmin:user", user_id=user.pk)
    return render(request, "sysadmin/user.html", {
        "account": user, "form": AssignForm(initial={"first_name": user.first_name, "org_unit": user.org_unit,
                                                     "rights": services.rights_of(user)}),
        "password_form": form, "role": ROLES.get(user.org_unit.kind, "") if user.org_unit else "未分配机构",
    }, status=400)


@capability_required(VIEW_SYSTEM)
def roles(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "sysadmin/roles.html", {"rows": selectors.role_table(request.user),
                                                   "roles": list(ROLES.values())})


@capability_required(VIEW_SYSTEM)
def units(request: AuthenticatedHttpRequest) -> HttpResponse:
    get = request.GET
    query = {"q": (get.get("q") or "").strip()[:50], "kind": _choice(get.get("kind"), OrgUnit.Kind.values)}
    table = lists.listing(selectors.units(request.user, **query), get, UNIT_COLUMNS, default_sort="code")
    if lists.wants_export(get):
        return lists.export(table, title="组织机构", filename="组织机构")
    return render(request, "sysadmin/units.html", {"listing": table, "page": table.page, "query": query,
                                                   "kinds": OrgUnit.Kind.choices})


@capability_required(VIEW_SYSTEM)
def codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "sysadmin/codes.html", {"code_lists": selectors.code_lists(request.user)})


@capability_required(VIEW_SYSTEM)
def log(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = selectors.LogQuery.of(request.GET)
    table = lists.listing(selectors.log(request.user, query), request.GET, LOG_COLUMNS[:1], default_sort="-at")
    if lists.wants_export(request.GET):  # the newest MAX_EXPORT entries of the current selection
        return lists.export(table, title="操作日志", filename="操作日志", columns=LOG_COLUMNS,
                            rows=selectors.log_lines(list(table.rows[:selectors.MAX_EXPORT])))
    return render(request, "sysadmin/log.html", {
        "listing": table, "page": table.page, "lines": selectors.log_lines(table.page.object_list), "query": query,
        "actions": sorted(ACTIONS.items(), key=lambda a: a[1]),
        "models": [(m, model_label(m)) for m in selectors.log_models()]})
