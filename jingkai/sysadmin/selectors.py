"""Reads of 系统管理: accounts, units, the role × capability table, the code lists, the operation log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jingkai.accounts import authz
from jingkai.accounts.authz import ROLES
from jingkai.accounts.models import OrgUnit, User
from jingkai.audit.models import AuditEntry
from jingkai.audit.presentation import ACTIONS, Line, line
from jingkai.audit.services import BULK
from jingkai.registry import Capability, capabilities, domains
from jingkai.sysadmin.capabilities import MANAGE_USERS, VIEW_SYSTEM


def users(actor: Any, *, q: str = "", unit: str = "", kind: str = "", active: str = "") -> QuerySet[User]:
    authz.require(actor, MANAGE_USERS)
    rows = User.objects.select_related("org_unit")
    if q:
        rows = rows.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(org_unit__name__icontains=q))
    if unit:
        rows = rows.filter(org_unit__code=unit)
    if kind:
        rows = rows.filter(org_unit__kind=kind)
    if active in ("1", "0"):
        rows = rows.filter(is_active=active == "1")
    return rows.order_by("org_unit__kind", "org_unit__code", "username")


def user(actor: Any, user_id: int) -> User:
    authz.require(actor, MANAGE_USERS)
    return get_object_or_404(User.objects.select_related("org_unit"), pk=user_id)


def units(actor: Any, *, q: str = "", kind: str = "") -> QuerySet[OrgUnit]:
    authz.require(actor, VIEW_SYSTEM)
    rows = OrgUnit.objects.select_related("parent").annotate(accounts=Count("user"))
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("kind", "code")


@dataclass(frozen=True)
class CapabilityRow:
    domain: str
    capability: Capability
    roles: tuple[bool, ...]  # in the order of ROLES


def role_table(actor: Any) -> list[CapabilityRow]:
    """Every capability the domains declare, by the domain that owns it, and which roles hold it."""
    authz.require(actor, VIEW_SYSTEM)
    rows = []
    for _, domain in domains():
        for cap in domain.capabilities:
            rows.append(CapabilityRow(domain.label, cap, tuple(role in cap.roles for role in ROLES)))
    known = {row.capability.code for row in rows}
    rows += [CapabilityRow("其他", c, tuple(r in c.roles for r in ROLES)) for c in capabilities().values()
             if c.code not in known]
    return rows


@dataclass(frozen=True)
class CodeList:
    title: str  # 企业 · 企业规模
    codes: tuple[tuple[str, str], ...]  # (code, name)


def code_lists(actor: Any) -> list[CodeList]:
    """The code lists the models declare (their fields' choices), read-only: what each stored code means."""
    authz.require(actor, VIEW_SYSTEM)
    seen: set[tuple] = set()
    lists = []
    for model in apps.get_models():
        if not model.__module__.startswith("jingkai."):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.Field) or not field.choices:
                continue
            codes = tuple((str(code), str(label)) for code, label in field.flatchoices)
            if codes in seen:
                continue
            seen.add(codes)
            lists.append(CodeList(f"{model._meta.verbose_name} · {field.verbose_name}", codes))
    return sorted(lists, key=lambda c: c.title)


@dataclass(frozen=True)
class LogQuery:
    """The operation log's search form: a user (name or account), dates (inclusive), an object type, an
    object (its key), an action."""

    user: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    model: str = ""
    key: str = ""
    action: str = ""

    @classmethod
    def of(cls, params: Any) -> LogQuery:
        def day(name: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat(str(params.get(name) or "").strip())
            except ValueError:
                return None
        action = params.get("action") or ""
        return cls(user=(params.get("user") or "").strip()[:50], start=day("start"), end=day("end"),
                   model=(params.get("model") or "").strip()[:50], key=(params.get("key") or "").strip()[:100],
                   action=action if action in ACTIONS else "")


MAX_EXPORT = 10_000  # entries an export of the log holds at most (narrow it by date or user for older ones)


def log(actor: Any, query: LogQuery) -> QuerySet[AuditEntry]:
    authz.require(actor, VIEW_SYSTEM)
    # before/after stay in the database: a bulk entry holds up to 10,000 rows' values (`log_lines` reads the page's)
    rows = AuditEntry.objects.select_related("user__org_unit").defer("before", "after")
    if query.user:
        rows = rows.filter(Q(user__username__icontains=query.user) | Q(user__first_name__icontains=query.user))
    tz = timezone.get_current_timezone()
    if query.start:
        rows = rows.filter(at__gte=dt.datetime.combine(query.start, dt.time(), tz))
    if query.end:  # 以前 includes the day
        rows = rows.filter(at__lt=dt.datetime.combine(query.end + dt.timedelta(days=1), dt.time(), tz))
    if query.model:
        rows = rows.filter(model=query.model)
    if query.key:
        rows = rows.filter(object_key__startswith=query.key)
    if query.action:
        rows = rows.filter(action=query.action)
    return rows.order_by("-at", "-id")


def log_models() -> list[str]:
    """The object types the log holds (for the filter's choices)."""
    return list(AuditEntry.objects.order_by("model").values_list("model", flat=True).distinct())


def log_lines(entries: Sequence[AuditEntry]) -> list[Line]:
    """A page of the log as people read it; the values of its single-row entries in one query, a bulk
    entry's (an import's thousands of rows) not at all."""
    single = [e.pk for e in entries if e.object_key != BULK]
    values = {pk: (b, a) for pk, b, a in AuditEntry.objects.filter(pk__in=single).values_list("pk", "before", "after")}
    return [line(e, *values.get(e.pk, (None, None))) for e in entries]
