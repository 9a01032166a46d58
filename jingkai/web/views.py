"""The core pages: the province overview (home) and the error pages. Domain pages live in their apps."""

import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from jingkai.accounts import authz
from jingkai.accounts.authz import AuthenticatedHttpRequest
from jingkai.enterprises.selectors import table_access
from jingkai.registry import DICTIONARY, HEALTH, HOME_SECTIONS, HealthCheck, capabilities, menu, provided
from jingkai.web.todo import todo_panel
from jingkai.zones.capabilities import BROWSE_ZONES, VIEW_ZONES
from jingkai.zones.selectors import overview, zone_list


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The overview for those who browse zones; a zone committee goes to its own zone; a user who sees no zone
    but holds a menu entry (a bank: the lists pushed to it) goes to its first one."""
    if not authz.has(request.user, VIEW_ZONES):
        first = next((e for e in menu() if e.capability is not None and authz.has(request.user, e.capability)), None)
        if first is None:
            raise PermissionDenied(f"您无权{VIEW_ZONES.label}")
        return redirect(first.url_name)
    if not authz.has(request.user, BROWSE_ZONES):
        return redirect("zones:mine")
    found = (provider(request.user) for provider in provided(HOME_SECTIONS))
    return render(request, "web/home.html", {"overview": overview(request.user.scope),
                                             "todo": todo_panel(request.user),
                                             "sections": [section for section in found if section is not None]})


@login_required
def todo(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的待办: every role's page of what waits for it (a zone committee's home is its zone page)."""
    return render(request, "web/todo.html", {"todo": todo_panel(request.user)})


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的账户: the user's unit and role, which zones and enterprise data tables it sees, what it may do."""
    scope = request.user.scope
    zones = None if scope.all_zones else list(zone_list(scope).values_list("name", flat=True))
    held = authz.held(request.user)
    rights = [cap.label for code, cap in sorted(capabilities().items()) if code in held]
    return render(request, "web/account.html", {"zones": zones, "tables": table_access(scope), "rights": rights})


@login_required
def dictionary(request: AuthenticatedHttpRequest) -> HttpResponse:
    """数据字典: every indicator and enterprise field, from the domains that hold them (web.dictionary)."""
    sections = [section for provider in provided(DICTIONARY) for section in provider()]
    return render(request, "web/dictionary.html", {"sections": sections})


# ---- error pages: rendered with the request, so a signed-in user keeps the menu and the header ----
# Django's own handlers render 400, 500 and the CSRF failure without the request (no user, no menu).

logger = logging.getLogger(__name__)


def _error_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    try:
        return render(request, template, status=status)
    except Exception:  # the page must not fail on what failed the request (e.g. the database): no menu then
        logger.exception("出错页面无法带菜单显示，改为简单页面")
        try:
            return HttpResponse(loader.get_template(template).render(), status=status)
        except Exception:
            return HttpResponseServerError("<h1>系统出错（500）</h1><p>请稍后重试。</p>")


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "400.html", 400)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, "500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: the form's security check failed (the reason, in English, is not shown)."""
    return _error_page(request, "403_csrf.html", 403)


_migrated = False  # once every migration is applied it stays so until the next deployment restarts this process


def _pending_migrations(connection: Any) -> list[Any]:
    """Migrations not applied yet. Building the migration graph costs tens of milliseconds, too much for a
    balancer polling every few seconds: once none are pending, /healthz stops asking."""
    global _migrated
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    _migrated = not pending
    return pending


def _database_checks() -> list[HealthCheck]:
    from django.db import DEFAULT_DB_ALIAS, connections

    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = [] if _migrated else _pending_migrations(connection)
    except Exception as exc:  # any failure is the answer: the database is not usable
        return [HealthCheck("database", False, f"数据库无法连接：{type(exc).__name__}")]
    return [HealthCheck("database", True, "数据库可连接"),
            HealthCheck("migrations", not pending,
                        f"有 {len(pending)} 个数据库迁移未执行" if pending else "数据库结构为最新")]


def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring: 200 when the database answers, its migrations are applied and a
    job worker's heartbeat is fresh; 503 with the failing checks otherwise. No login; it shows no data."""
    checks = _database_checks()
    if all(c.ok for c in checks):
        checks += [c for provider in provided(HEALTH) for c in provider()]
    ok = all(c.ok for c in checks)
    return JsonResponse({"status": "ok" if ok else "fail",
                         "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}},
                        status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})
