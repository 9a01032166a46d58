"""The annual plan's flow: 编制 → 提交审批 → 审批（部门负责人，不是提交人）→ 备案（省级）→ 公布（部门）.

What a plan must satisfy is checked when it moves, on the locked row: it names only its own department's
published items (行政检查事项未经公布的，不得实施), and a 专项 plan fits the department's annual quota."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from jingkai.accounts.models import OrgUnit
from jingkai.engines import inspections as engine
from jingkai.inspections import capabilities as caps
from jingkai.inspections.models import InspectionPlan
from jingkai.workflow import Transition, Workflow

State = InspectionPlan.State
COUNTED = (State.APPROVED, State.FILED, State.PUBLISHED)  # 专项 plans that use the year's quota


def own_department(user: Any, plan: InspectionPlan) -> bool:
    return bool(user.scope.department_id == plan.department_id)


def special_quota() -> int:
    return engine.load().special_quota


def quota_used(department_id: int, year: int, excluding: int | None = None) -> int:
    plans = InspectionPlan.objects.filter(department_id=department_id, year=year, kind=InspectionPlan.Kind.SPECIAL,
                                          state__in=COUNTED)
    return (plans if excluding is None else plans.exclude(pk=excluding)).count()


def _items_check(plan: InspectionPlan, comment: str) -> None:
    """Only the department's own items, each published by the day the plan starts."""
    items = list(plan.items.all())
    if not items:
        raise ValidationError("计划中没有检查事项，请先选择本部门已公布的检查事项")
    for item in items:
        if item.department != plan.department.name:
            raise ValidationError(f"“{item.name}”是{item.department}的检查事项，不能列入{plan.department.name}的计划")
        if item.published_on is None or item.published_on > plan.starts_on:
            raise ValidationError(f"“{item.name}”在计划实施前未经公布，不得列入检查计划（行政检查事项未经公布的，不得实施）")


def _quota_check(plan: InspectionPlan, comment: str) -> None:
    _items_check(plan, comment)
    if plan.kind != InspectionPlan.Kind.SPECIAL:
        return
    OrgUnit.objects.select_for_update().get(pk=plan.department_id)  # one department's approvals in turn
    quota, used = special_quota(), quota_used(plan.department_id, plan.year, excluding=plan.pk)
    if used + 1 > quota:
        raise ValidationError(f"{plan.department.name}{plan.year}年已批准专项检查计划 {used} 项，年度数量上限为 {quota} 项"
                              f"（示例值，待确认），不能再批准")


def _submitted(user: Any, plan: InspectionPlan, comment: str) -> dict[str, Any]:
    plan.submitted_by = user
    return {}


def _approved(user: Any, plan: InspectionPlan, comment: str) -> dict[str, Any]:
    plan.approved_by, plan.approved_on, plan.comment = user, timezone.localdate(), comment
    return {"approved_on": plan.approved_on.isoformat()}


def _returned(user: Any, plan: InspectionPlan, comment: str) -> dict[str, Any]:
    plan.comment = comment
    return {}


def _filed(user: Any, plan: InspectionPlan, comment: str) -> dict[str, Any]:
    plan.filed_on = timezone.localdate()
    return {"filed_on": plan.filed_on.isoformat()}


def _published(user: Any, plan: InspectionPlan, comment: str) -> dict[str, Any]:
    plan.published_on = timezone.localdate()
    return {"published_on": plan.published_on.isoformat()}


PLAN_FLOW: Workflow[InspectionPlan] = Workflow(
    model=InspectionPlan, audit_model="inspections.InspectionPlan", key=lambda p: str(p.pk),
    lock_related=("department",),
    transitions=(
        Transition("submit", "提交审批", {State.DRAFT, State.RETURNED}, State.SUBMITTED, caps.EDIT_PLANS,
                   may=own_department, check=_items_check, effect=_submitted),
        Transition("approve", "审批通过", {State.SUBMITTED}, State.APPROVED, caps.APPROVE_PLANS, may=own_department,
                   not_by=lambda p: {p.submitted_by_id}, check=_quota_check, effect=_approved),
        Transition("return", "退回", {State.SUBMITTED}, State.RETURNED, caps.APPROVE_PLANS, may=own_department,
                   not_by=lambda p: {p.submitted_by_id}, comment_required=True,
                   comment_message="退回时须写明退回原因", effect=_returned),
        Transition("file", "备案", {State.APPROVED}, State.FILED, caps.FILE_PLANS, effect=_filed),
        Transition("publish", "向社会公布", {State.FILED}, State.PUBLISHED, caps.EDIT_PLANS, may=own_department,
                   effect=_published),
    ),
)
