"""The draw of one zone and period, from the database through the pure engine, stored and audited."""

import datetime as dt
import json

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from jingkai.accounts.authz import PROVINCE, has, require
from jingkai.audit.services import record
from jingkai.engines import inspections as engine
from jingkai.enterprises.models import Enterprise
from jingkai.inspections.capabilities import EDIT_PLANS, RECORD_RESULTS, RUN_DRAWS
from jingkai.inspections.models import CreditRating, Draw, InspectionItem, InspectionPlan, Inspector, Visit
from jingkai.inspections.workflows import PLAN_FLOW
from jingkai.zones.models import Zone


def frames(zone: Zone, today: dt.date, items: QuerySet[InspectionItem] | None = None,
           period: engine.Period | None = None) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The engine's inputs: the zone's enterprises (credit class: the latest monthly 信用风险分类 up to the
    period's first month, else the register's), the items (published = announced by `today`; all of them
    unless `items` is given), the roster, and this year's 入企记录 (one row per department: the caps count them;
    非执法入企 is no 行政检查)."""
    month = f"{period.start:%Y-%m}" if period else f"{today:%Y-%m}"
    latest = dict(CreditRating.objects.filter(enterprise__zone=zone, month__lte=month).order_by(
        "enterprise_id", "month").values_list("enterprise_id", "credit_class"))  # the last month wins
    ent = pl.DataFrame([{"uscc": e.uscc, "name": e.name, "zone_code": zone.code, "industry_code": e.industry_code,
                         "credit_class": latest.get(e.pk, e.credit_class), "exempt": "false",
                         "key_supervision": "false"}
                        for e in Enterprise.objects.filter(zone=zone).order_by("uscc")],
                       schema=dict.fromkeys(engine.ENTERPRISE_COLUMNS, pl.String))
    item_rows = pl.DataFrame([{"department": i.department, "item_code": i.item_code, "item_name": i.name,
                           "applies_to": i.applies_to,
                           "published": "true" if i.published_on and i.published_on <= today else "false"}
                          for i in (InspectionItem.objects.all() if items is None else items)],
                         schema=dict.fromkeys(engine.ITEM_COLUMNS, pl.String))
    roster = pl.DataFrame([{"department": p.department, "person_id": p.person_id, "cert_no": p.cert_no,
                            "cert_valid_to": p.cert_valid_to.isoformat() if p.cert_valid_to else "",
                            "conflicts": p.conflicts} for p in Inspector.objects.all()],
                          schema=dict.fromkeys([*engine.INSPECTOR_COLUMNS, "conflicts"], pl.String))
    year = (period.start if period else today).year
    visits = pl.DataFrame([{"uscc": uscc, "department": d, "date": day.isoformat(), "exemption": exemption}
                           for uscc, depts, day, exemption in Visit.objects.filter(
                               zone=zone, visited_on__year=year).exclude(kind=Visit.Kind.NON_ENFORCEMENT).values_list(
                               "enterprise__uscc", "departments", "visited_on", "exemption") for d in depts],
                          schema=dict.fromkeys([*engine.VISIT_COLUMNS, "exemption"], pl.String))
    return ent, item_rows, roster, visits


@transaction.atomic
def run_draw(user, zone: Zone, period: str, seed: int, today: dt.date,
             items: QuerySet[InspectionItem] | None = None) -> Draw:
    span = engine.parse_period(period)
    ent, item_rows, roster, visits = frames(zone, today, items, span)
    result = engine.plan(ent, item_rows, engine.load(), span, seed, visits=visits, inspectors=roster)
    result = json.loads(json.dumps(result))  # exactly what the command would print
    draw = Draw.objects.create(zone=zone, period=period, seed=seed, pool_hash=result["pool_hash"],
                               algorithm=result["algorithm"], rules_id=result["rules"]["id"], result=result,
                               created_by=user if getattr(user, "pk", None) else None)
    summary = result["summary"]
    record(user, "create", "inspections.draw", draw.pk, after={
        "zone": zone.code, "period": period, "seed": seed, "pool_hash": draw.pool_hash,
        "visits": summary["visits_joint"], "separate": summary["visits_separate"]},
        note=f"{zone.name}{period}双随机抽取（种子 {seed}）")
    return draw


def visible_plans(user) -> QuerySet[InspectionPlan]:
    """The province sees every plan, a department its own in any state; everyone the published ones."""
    plans = InspectionPlan.objects.select_related("department")
    if user.scope.kind == PROVINCE:
        return plans
    published = Q(state=InspectionPlan.State.PUBLISHED)
    if user.scope.department_id is not None:
        return plans.filter(published | Q(department_id=user.scope.department_id))
    return plans.filter(published)


@transaction.atomic
def create_plan(user, *, year: int, kind: str, title: str, starts_on: dt.date, ends_on: dt.date, reason: str,
                items: list[InspectionItem]) -> InspectionPlan:
    """A draft plan of the user's department (the checks that bind run when it is submitted)."""
    require(user, EDIT_PLANS)
    plan = InspectionPlan.objects.create(department_id=user.scope.department_id, year=year, kind=kind, title=title,
                                         starts_on=starts_on, ends_on=ends_on, reason=reason, created_by=user)
    plan.items.set(items)
    record(user, "create", "inspections.InspectionPlan", plan.pk, after={
        "year": year, "kind": kind, "title": title, "items": sorted(i.item_code for i in items)},
        note=f"编制检查计划“{title}”")
    return plan


def advance_plan(user, plan: InspectionPlan, action: str, comment: str = "") -> InspectionPlan:
    return PLAN_FLOW.apply(user, plan, action, comment)


def covering(period: engine.Period) -> Q:
    """Published routine plans whose 实施期间 covers the whole draw period: the plans a draw executes."""
    return Q(state=InspectionPlan.State.PUBLISHED, kind=InspectionPlan.Kind.ROUTINE, starts_on__lte=period.start,
             ends_on__gte=period.end)


def start_draw(user, zone: Zone, period: engine.Period, seed: int, items: list[InspectionItem],
               today: dt.date) -> Draw:
    """The province's draw from the page: only items of published routine plans covering the period."""
    require(user, RUN_DRAWS)
    planned = set(InspectionItem.objects.filter(
        pk__in=[i.pk for i in items], plans__in=InspectionPlan.objects.filter(covering(period))
    ).values_list("pk", flat=True))
    outside = [i for i in items if i.pk not in planned]
    if outside:
        raise ValidationError(f"“{outside[0].name}”不在覆盖 {period.code} 的已公布年度检查计划中，不能抽取")
    return run_draw(user, zone, period.code, seed, today, InspectionItem.objects.filter(pk__in=planned))


def may_record(user, visit: Visit) -> bool:
    """谁检查、谁录入: a department named on the visit, or the committee of the visit's zone."""
    if not has(user, RECORD_RESULTS):
        return False
    if user.scope.kind == "department":
        return bool(user.org_unit and user.org_unit.name in visit.departments)
    return bool(user.scope.can_write_zone(visit.zone_id))


@transaction.atomic
def record_result(user, visit: Visit, *, result: str, result_text: str, published_on: dt.date | None) -> Visit:
    if not may_record(user, visit):
        raise PermissionDenied("只有实施检查的部门或园区管委会可以录入检查结果")
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    before = {"result": locked.result, "result_text": locked.result_text,
              "published_on": locked.published_on.isoformat() if locked.published_on else None}
    locked.result, locked.result_text, locked.published_on = result, result_text, published_on
    locked.save(update_fields=["result", "result_text", "published_on"])
    record(user, "update", "inspections.Visit", locked.visit_no, before=before, after={
        "result": result, "result_text": result_text, "published_on": published_on.isoformat() if published_on else None})
    return locked
