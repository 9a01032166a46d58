"""Writes in the investment pipeline: creating a project (with the duplicate-company warning), stage transitions
through the one workflow helper (the 公平竞争审查 gate before 签约), the agreement, follow-ups, and the daily
check that raises a 督办 for a signed project without a stage update for 90 days. Every write is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import ModelForm
from django.forms.models import model_to_dict
from django.utils import timezone

from jingkai import registry
from jingkai.accounts import authz
from jingkai.audit.services import record
from jingkai.investment import dedupe
from jingkai.investment.capabilities import MANAGE_PROJECTS, REVIEW_FAIR_COMPETITION
from jingkai.investment.models import (
    SIGNED_STAGES,
    STAGES,
    Agreement,
    FdiReceipt,
    FollowUp,
    Project,
    Stage,
    StageChange,
    StaleAlert,
)
from jingkai.workflow import Transition, Workflow

STALE_DAYS = 90
STALE_ITEM = "4.5"  # 措施（四）第5项：紧盯产业链薄弱环节，大力引进关键环节及配套企业（签约项目落地）
RAISE_SUPERVISION = "measures.raise_supervision"  # extension point: creates a 督办 task, returns its id
FAIR_COMPETITION_REFUSAL = (
    "该项目协议含针对特定经营者的税收、财政、用地或收费优惠，须先登记通过的公平竞争审查结论（审查日期、审查机构），"
    "方可签约（《公平竞争审查条例》国务院令第783号，2024年8月1日起施行）")
AUDIT_MODEL = "investment.Project"


def may_write(user: Any, project: Project) -> bool:
    return bool(user.scope.can_write_zone(project.zone_id))


def _fair_competition_gate(project: Project, comment: str) -> None:
    agreement = Agreement.objects.filter(project=project).first()
    if agreement is not None and agreement.has_preference and not agreement.review_passed:
        raise ValidationError(FAIR_COMPETITION_REFUSAL, code="fair_competition")


def _enter_stage(user: Any, project: Project, comment: str) -> dict[str, Any]:
    project.stage_since = timezone.localdate()
    return {"stage_since": str(project.stage_since)}


def _history(user: Any, project: Project, before: str, after: str, comment: str) -> None:
    StageChange.objects.create(project=project, from_stage=before, to_stage=after, on=project.stage_since,
                               by=user if getattr(user, "pk", None) else None, comment=comment[:300])


def _transitions() -> tuple[Transition[Project], ...]:
    steps = []
    for before, after in zip(STAGES, STAGES[1:], strict=False):
        steps.append(Transition(
            f"to_{after.value}", f"推进至{after.label}", {before.value}, after.value, MANAGE_PROJECTS, may=may_write,
            check=_fair_competition_gate if after == Stage.SIGNED else None, effect=_enter_stage))
    return tuple(steps)


FLOW: Workflow[Project] = Workflow(model=Project, audit_model=AUDIT_MODEL, key=lambda p: str(p.pk),
                                   transitions=_transitions(), state_field="stage", on_applied=_history)


def advance(user: Any, project: Project, action: str, comment: str = "") -> Project:
    return FLOW.apply(user, project, action, comment)


def similar_projects(user: Any, company: str, exclude: int | None = None) -> tuple[list[dedupe.Match], int]:
    """Projects in the user's scope whose company looks like `company`, and how many more outside it (named
    not: another zone's lead is not disclosed, only that it exists)."""
    projects = Project.objects.all() if exclude is None else Project.objects.exclude(pk=exclude)
    rows = list(projects.values_list("pk", "company", "zone_id"))
    found = dedupe.matches(company, ((pk, name) for pk, name, _ in rows))
    zone_of = {pk: z for pk, _, z in rows}
    seen = [m for m in found if user.scope.sees_zone(zone_of[m.key])]
    return seen, len(found) - len(seen)


def may_write_zone(user: Any, zone_id: int | None) -> bool:
    """A zone's record by those who may write the zone; a province-wide one (no zone) by the province."""
    return bool(user.scope.all_zones if zone_id is None else user.scope.can_write_zone(zone_id))


def _snapshot(obj: Any) -> dict[str, str]:
    values = model_to_dict(obj)
    return {k: (",".join(str(getattr(x, "pk", x)) for x in v) if isinstance(v, list | tuple) else str(v))
            for k, v in values.items() if k != "id"}


@transaction.atomic
def save_record(user: Any, form: ModelForm, audit_model: str) -> Any:
    """Create or edit an event, a 合作共建 agreement or a team from its validated form: the user must write the
    record's zone, before and after (a record is not moved out of reach), audited with both states."""
    authz.require(user, MANAGE_PROJECTS)
    instance = form.instance
    before = None
    if instance.pk:
        old = type(instance).objects.select_for_update().get(pk=instance.pk)
        if not may_write_zone(user, old.zone_id):
            raise PermissionDenied("您无权修改该记录")
        before = _snapshot(old)
    if not may_write_zone(user, instance.zone_id):
        raise PermissionDenied("您无权登记该园区的记录" if instance.zone_id else "全省性活动由省级用户登记")
    obj = form.save()
    record(user, "update" if before else "create", audit_model, obj.pk, before=before, after=_snapshot(obj))
    return obj


@dataclass(frozen=True)
class NewProject:
    name: str
    company: str
    origin: str
    zone_id: int
    owner_unit_id: int
    uscc: str = ""
    investor_country: str = ""
    owner_id: int | None = None
    event_id: int | None = None
    team_id: int | None = None
    next_action: str = ""
    next_action_date: date | None = None
    planned_investment: Any = None
    contracted_fdi: Any = None
    new_industry: bool = False
    chain_links: tuple[str, ...] = ()
    factor_needs: str = ""
    problems: str = ""


@transaction.atomic
def create_project(user: Any, data: NewProject, *, on: date | None = None, is_demo: bool = False) -> Project:
    authz.require(user, MANAGE_PROJECTS)
    if not user.scope.can_write_zone(data.zone_id):
        raise PermissionDenied("您无权在该园区登记招商项目")
    on = on or timezone.localdate()
    fields = {k: v for k, v in data.__dict__.items() if k != "chain_links"}
    project = Project(**fields, chain_links=list(data.chain_links), stage=Stage.LEAD, stage_since=on,
                      is_demo=is_demo, created_by=user)
    project.full_clean()
    project.save()
    StageChange.objects.create(project=project, from_stage="", to_stage=Stage.LEAD, on=on, by=user)
    record(user, "create", AUDIT_MODEL, project.pk, after={
        "name": project.name, "company": project.company, "zone": project.zone_id, "origin": project.origin,
        "planned_investment": str(project.planned_investment), "contracted_fdi": str(project.contracted_fdi)})
    return project


def _locked(user: Any, project: Project) -> Project:
    authz.require(user, MANAGE_PROJECTS)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if not may_write(user, locked):
        raise PermissionDenied("您无权修改该园区的招商项目")
    return locked


@transaction.atomic
def add_follow_up(user: Any, project: Project, *, text: str, on: date | None = None,
                  next_action: str = "", next_action_date: date | None = None) -> FollowUp:
    locked = _locked(user, project)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "请填写跟进情况"})
    entry = FollowUp.objects.create(project=locked, on=on or timezone.localdate(), text=text, by=user)
    before = {"next_action": locked.next_action, "next_action_date": str(locked.next_action_date or "")}
    locked.next_action, locked.next_action_date = next_action.strip(), next_action_date
    locked.save(update_fields=["next_action", "next_action_date", "updated_at"])
    record(user, "follow_up", AUDIT_MODEL, locked.pk, before=before, after={
        "on": str(entry.on), "text": text[:200], "next_action": locked.next_action,
        "next_action_date": str(next_action_date or "")})
    return entry


@transaction.atomic
def record_fdi_receipt(user: Any, project: Project, *, month: date, amount: Any, note: str = "") -> FdiReceipt:
    """到位外资 of a month; the project's 实际使用外资 becomes the total of its receipts."""
    locked = _locked(user, project)
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ValidationError({"month": "到位月份不能晚于本月"})
    receipt = FdiReceipt(project=locked, month=month, amount=amount, note=note.strip()[:200], by=user)
    receipt.full_clean()
    receipt.save()
    before = str(locked.actual_fdi)
    locked.actual_fdi = sum((r.amount for r in locked.fdi_receipts.all()), start=receipt.amount * 0)
    locked.save(update_fields=["actual_fdi", "updated_at"])
    record(user, "fdi_receipt", AUDIT_MODEL, locked.pk, before={"actual_fdi": before}, after={
        "month": f"{month:%Y-%m}", "amount": str(receipt.amount), "actual_fdi": str(locked.actual_fdi)})
    return receipt


AGREEMENT_FIELDS = ("terms", "has_preference", "preference_terms")
REVIEW_FIELDS = ("review_result", "review_date", "reviewer")


@transaction.atomic
def save_agreement(user: Any, project: Project, **values: Any) -> Agreement:
    """The agreement's terms; the 公平竞争审查 result needs its own right (REVIEW_FAIR_COMPETITION)."""
    locked = _locked(user, project)
    agreement, _ = Agreement.objects.get_or_create(project=locked)
    if any(k in values for k in REVIEW_FIELDS):
        authz.require(user, REVIEW_FAIR_COMPETITION)
    before = {k: str(getattr(agreement, k)) for k in (*AGREEMENT_FIELDS, *REVIEW_FIELDS)}
    for key, value in values.items():
        if key not in AGREEMENT_FIELDS + REVIEW_FIELDS:
            raise ValueError(key)
        setattr(agreement, key, value)
    if agreement.review_result and (agreement.review_date is None or not agreement.reviewer):
        raise ValidationError({"review_date": "登记审查结论须同时填写审查日期和审查机构（人员）"})
    if agreement.review_date and agreement.review_date > timezone.localdate():
        raise ValidationError({"review_date": "审查日期不能晚于今天"})
    agreement.full_clean()
    agreement.save()
    record(user, "agreement", AUDIT_MODEL, locked.pk, before=before,
           after={k: str(getattr(agreement, k)) for k in (*AGREEMENT_FIELDS, *REVIEW_FIELDS)})
    return agreement


def stale_projects(today: date) -> list[Project]:
    """Signed projects (签约 up to 投产: 达产 is the end) whose stage has not moved for STALE_DAYS days or more."""
    cutoff = today - timedelta(days=STALE_DAYS)
    open_signed = [s for s in SIGNED_STAGES if s != Stage.FULL]
    return list(Project.objects.filter(stage__in=open_signed, stage_since__lte=cutoff).select_related("zone"))


@transaction.atomic
def check_stale(today: date | None = None) -> list[StaleAlert]:
    """Raise one 督办 per stalled signed project and stage entry (idempotent: run it daily)."""
    today = today or timezone.localdate()
    raisers = registry.provided(RAISE_SUPERVISION)
    raised = []
    for project in stale_projects(today):
        alert, created = StaleAlert.objects.get_or_create(
            project=project, stage=project.stage, stage_since=project.stage_since, defaults={"raised_on": today})
        if not created:
            continue
        days = (today - project.stage_since).days
        title = (f"签约项目落地督办：{project.name}（{project.company}）停留在“{project.get_stage_display()}”阶段"
                 f"已 {days} 天，请推动落地并更新进展")
        for raise_supervision in raisers:
            alert.task_id = raise_supervision(item_code=STALE_ITEM, title=title, owner_id=project.owner_unit_id,
                                              zone_id=project.zone_id, start=today, deadline=today + timedelta(days=30))
        alert.save(update_fields=["task_id"])
        record(None, "stale", AUDIT_MODEL, project.pk, after={
            "stage": project.stage, "stage_since": str(project.stage_since), "days": days, "task": alert.task_id})
        raised.append(alert)
    return raised
