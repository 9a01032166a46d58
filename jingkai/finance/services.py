"""Writes of the finance lists: projects (create, edit), pushes to banks (one push per bank, each project's
snapshot as sent), and a bank's answer per project. Every write checks its capability and the scope, locks the
row it changes and is audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jingkai.accounts import authz
from jingkai.accounts.models import OrgUnit
from jingkai.audit.services import record
from jingkai.enterprises.uscc import uscc_problem
from jingkai.finance import catalogue
from jingkai.finance.capabilities import MANAGE_PROJECTS, PUSH_LISTS, RECEIVE_LISTS
from jingkai.finance.models import Feedback, GreenProject, Push, PushItem

PROJECT = "finance.GreenProject"
PUSH = "finance.Push"
ITEM = "finance.PushItem"
FIELDS = ("name", "category", "borrower", "uscc", "capex", "co2_saved", "finance_need", "channels", "status",
          "description", "contact")


@dataclass(frozen=True)
class ProjectData:
    zone_id: int
    name: str
    category: str
    borrower: str
    uscc: str
    capex: Decimal
    finance_need: Decimal
    co2_saved: Decimal | None = None
    channels: tuple[str, ...] = ()
    status: str = "reserve"
    description: str = ""
    contact: str = ""


def _check(data: ProjectData, cat: catalogue.Catalogue) -> None:
    errors: dict[str, str] = {}
    if data.category not in cat.categories:
        errors["category"] = f"项目类别“{data.category}”不在《{cat.title}》中"
    unknown = [c for c in data.channels if c not in cat.channels]
    if unknown:
        errors["channels"] = f"融资渠道“{'、'.join(unknown)}”不在《{cat.title}》中"
    problem = uscc_problem(data.uscc)
    if problem:
        errors["uscc"] = f"统一社会信用代码有误：{problem}"
    if errors:
        raise ValidationError(errors)


def _values(project: GreenProject) -> dict[str, Any]:
    """What the audit keeps of a project: category and channels by name, as the 操作记录 shows them."""
    cat = catalogue.of(project.catalogue)
    values = {k: getattr(project, k) for k in FIELDS} | {
        "category": cat.category_name(project.category), "channels": cat.channel_names(list(project.channels))}
    return {k: f"{v:.2f}" if isinstance(v, Decimal) else v for k, v in values.items()} | {"zone": project.zone.name}


def may_write(user: Any, project: GreenProject) -> bool:
    return bool(authz.has(user, MANAGE_PROJECTS) and user.scope.can_write_zone(project.zone_id))


@transaction.atomic
def create_project(user: Any, data: ProjectData, *, is_demo: bool = False) -> GreenProject:
    authz.require(user, MANAGE_PROJECTS)
    if not user.scope.can_write_zone(data.zone_id):
        raise PermissionDenied("您无权在该园区登记项目")
    cat = catalogue.current()
    _check(data, cat)
    values = asdict(data) | {"channels": list(data.channels)}
    project = GreenProject(**values, catalogue=cat.id, is_demo=is_demo, created_by=user)
    project.full_clean()
    project.save()
    record(user, "create", PROJECT, project.pk, after=_values(project))
    return project


@transaction.atomic
def update_project(user: Any, project: GreenProject, data: ProjectData) -> GreenProject:
    authz.require(user, MANAGE_PROJECTS)
    locked = GreenProject.objects.select_for_update().get(pk=project.pk)
    if not user.scope.can_write_zone(locked.zone_id) or not user.scope.can_write_zone(data.zone_id):
        raise PermissionDenied("您无权修改该园区的项目")
    _check(data, catalogue.of(locked.catalogue))
    before = _values(locked)
    for key, value in (asdict(data) | {"channels": list(data.channels)}).items():
        setattr(locked, key, value)
    locked.full_clean()
    locked.save()
    after = _values(locked)
    record(user, "update", PROJECT, locked.pk, before={k: v for k, v in before.items() if after[k] != v},
           after={k: v for k, v in after.items() if before[k] != v})
    return locked


def snapshot(project: GreenProject) -> dict[str, Any]:
    """What the bank receives of a project, with names rather than codes (read as it was then, always)."""
    cat = catalogue.of(project.catalogue)
    category = cat.categories.get(project.category)
    return {
        "id": project.pk, "name": project.name, "zone": project.zone.name, "zone_code": project.zone.code,
        "category": project.category, "category_name": cat.category_name(project.category),
        "green": bool(category and category.green), "catalogue": cat.id, "catalogue_version": cat.version,
        "category_confirmed": bool(category and category.confirmed),
        "borrower": project.borrower, "uscc": project.uscc,
        "capex": float(project.capex), "co2_saved": None if project.co2_saved is None else float(project.co2_saved),
        "finance_need": float(project.finance_need), "channels": list(project.channels),
        "channel_names": cat.channel_names(list(project.channels)), "status": project.status,
        "status_name": project.get_status_display(), "description": project.description, "contact": project.contact,
    }


@dataclass(frozen=True)
class PushRequest:
    project_ids: Sequence[int]
    bank_ids: Sequence[int]
    title: str
    note: str = ""
    owner_id: int | None = None  # the pushing office; default the user's own unit
    extra: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def push(user: Any, request: PushRequest, *, is_demo: bool = False) -> list[Push]:
    """One push per bank, each with every project's snapshot now. The projects must be in the user's scope
    (a zone pushes its own), the banks org units of kind 金融机构."""
    authz.require(user, PUSH_LISTS)
    owner = user.org_unit if request.owner_id is None else OrgUnit.objects.get(pk=request.owner_id)
    if owner is None or not user.scope.acts_for(owner.pk):
        raise PermissionDenied("您无权以该单位名义推送清单")
    title = request.title.strip()
    if not title:
        raise ValidationError({"title": "请填写清单名称"})
    ids = list(dict.fromkeys(request.project_ids))
    if not ids:
        raise ValidationError({"projects": "请至少选择一个项目"})
    projects = {p.pk: p for p in user.scope.filter(GreenProject.objects.select_related("zone")).filter(pk__in=ids)}
    missing = [i for i in ids if i not in projects]
    if missing:
        raise ValidationError({"projects": f"有 {len(missing)} 个所选项目不存在或不在您的数据范围内"})
    banks = list(OrgUnit.objects.filter(pk__in=request.bank_ids, kind=OrgUnit.Kind.BANK).order_by("code"))
    if not banks or len(banks) != len(set(request.bank_ids)):
        raise ValidationError({"banks": "请选择接收清单的金融机构"})
    now = timezone.now()
    snapshots = [snapshot(projects[i]) for i in ids]
    made = []
    for bank in banks:
        sent = Push.objects.create(owner=owner, bank=bank, title=title[:200], note=request.note.strip(),
                                   pushed_by=user if getattr(user, "pk", None) else None, pushed_at=now,
                                   is_demo=is_demo)
        PushItem.objects.bulk_create([PushItem(push=sent, project_id=s["id"], position=n, snapshot=s)
                                      for n, s in enumerate(snapshots, start=1)])
        record(user, "push", PUSH, sent.pk, after={
            "title": sent.title, "owner": owner.name, "bank": bank.name, "projects": [s["id"] for s in snapshots]})
        made.append(sent)
    return made


def received(user: Any, push_id: int) -> Push | None:
    """The push if it was sent to the user's bank."""
    if user.scope.kind != authz.BANK:
        return None
    return Push.objects.filter(pk=push_id, bank_id__in=user.scope.unit_ids).first()


@transaction.atomic
def answer(user: Any, item: PushItem, feedback: str, note: str = "") -> PushItem:
    """A bank's answer on one pushed project: 已对接, 已授信 or 不符合, with a note (不符合 needs one)."""
    authz.require(user, RECEIVE_LISTS)
    locked = PushItem.objects.select_for_update().select_related("push").get(pk=item.pk)
    if received(user, locked.push_id) is None:
        raise PermissionDenied("该清单不是推送给本机构的")
    if feedback not in Feedback.values or feedback == Feedback.PENDING:
        raise ValidationError({"feedback": "请选择对接情况：已对接、已授信或不符合"})
    note = note.strip()
    if feedback == Feedback.INELIGIBLE and not note:
        raise ValidationError({"feedback_note": "标为“不符合”时请说明原因"})
    before = {"feedback": locked.feedback, "feedback_note": locked.feedback_note}
    locked.feedback, locked.feedback_note = feedback, note[:2000]
    locked.feedback_at, locked.feedback_by = timezone.now(), user
    locked.save(update_fields=["feedback", "feedback_note", "feedback_at", "feedback_by"])
    record(user, "feedback", ITEM, locked.pk, before=before, after={
        "feedback": feedback, "feedback_note": locked.feedback_note, "push": locked.push_id,
        "project": locked.snapshot.get("name")})
    return locked
