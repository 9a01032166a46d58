"""Reads of the finance lists, always through the user's scope: an office sees the projects of its zones and
the pushes its units made; a bank sees the pushes sent to it and nothing else."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from jingkai.accounts import authz
from jingkai.accounts.models import OrgUnit
from jingkai.finance.capabilities import RECEIVE_LISTS
from jingkai.finance.models import Feedback, GreenProject, Push, PushItem
from jingkai.registry import TodoItem


def project_list(scope: Any) -> QuerySet[GreenProject]:
    return scope.filter(GreenProject.objects.select_related("zone"))


def project_get(scope: Any, pk: int) -> GreenProject | None:
    return project_list(scope).filter(pk=pk).first()


def search(rows: QuerySet[GreenProject], *, q: str = "", category: str = "", channel: str = "",
           zone: str = "") -> QuerySet[GreenProject]:
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(borrower__icontains=q) | Q(uscc__icontains=q))
    if category:
        rows = rows.filter(category=category)
    if zone:
        rows = rows.filter(zone__code=zone)
    if channel:  # a JSON list of codes: contains works on SQLite and PostgreSQL alike as text
        rows = rows.filter(channels__icontains=f'"{channel}"')
    return rows


def banks() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind=OrgUnit.Kind.BANK).order_by("code")


def push_list(user: Any) -> QuerySet[Push]:
    """A bank: the pushes it received; an office: the pushes of the units it acts for (the province all)."""
    pushes = Push.objects.select_related("owner", "bank", "pushed_by").annotate(
        projects=Count("items"), answered=Count("items", filter=~Q(items__feedback=Feedback.PENDING))).order_by("-pushed_at", "-id")
    if user.scope.kind == authz.BANK:
        return pushes.filter(bank_id__in=user.scope.unit_ids)
    if user.scope.kind == "none":
        return pushes.none()
    return user.scope.filter_units(pushes, "owner")


def push_get(user: Any, pk: int) -> Push | None:
    return push_list(user).filter(pk=pk).first()


def push_items(push: Push) -> QuerySet[PushItem]:
    return push.items.select_related("feedback_by").order_by("position")


def pushes_of(project: GreenProject) -> QuerySet[PushItem]:
    """Where a project was sent and what each bank answered (shown to those who see the project)."""
    return project.push_items.select_related("push__bank", "push__owner").order_by("-push__pushed_at", "-id")


def todo(user: Any, today: date) -> list[TodoItem]:
    """A bank's 待办: pushed projects it has not answered yet."""
    if not authz.has(user, RECEIVE_LISTS):
        return []
    waiting = PushItem.objects.filter(push__bank_id__in=user.scope.unit_ids, feedback=Feedback.PENDING)
    lists = waiting.values("push").distinct().count()
    return [TodoItem("finance.feedback", "待报送", "推送项目待反馈对接情况", waiting.count(),
                     reverse("finance:pushes"), f"涉及 {lists} 份清单" if lists else "")]
