"""The 涉企检查 import kinds (all or nothing, through jingkai.intake): 行政检查事项清单 (`inspection-items`),
执法检查人员名录 (`inspectors`), 企业信用风险分类 per month (`credit-ratings`) and 入企记录 (`inspection-visits`).

A visit record naming an item that was not published on the visit day (or no such item of that department)
is refused: the platform never books a visit against an unpublished item. A person without a valid 执法证 may
be on the roster (执法辅助人员); the draw never picks them."""

from __future__ import annotations

from typing import cast

import polars as pl
from django.db import models

from jingkai.accounts.scope import Scope
from jingkai.engines import inspections as engine
from jingkai.enterprises.imports import USCC, with_existing_enterprises
from jingkai.inspections.models import CreditRating, InspectionItem, Inspector, Visit
from jingkai.intake.planning import Plan, PlanContext, export_frame
from jingkai.intake.specs import Column, Kind, column_from_field
from jingkai.zones.imports import ZONE_CODE


def _field(model: type[models.Model], name: str, **overrides) -> Column:
    return column_from_field(cast(models.Field, model._meta.get_field(name)), **overrides)


def _keys(typed: pl.DataFrame, *columns: str) -> list[str]:
    return typed.select(pl.concat_str([pl.col(c).cast(pl.Utf8) for c in columns], separator="/")).to_series().to_list()


def _enterprises(ctx: PlanContext) -> pl.DataFrame:
    """`ctx.typed` with each row's stored enterprise (`enterprise_id`, `zone_id`), the rows of unknown
    enterprises flagged and the zones checked against the user's scope."""
    typed = with_existing_enterprises(ctx.typed, ctx.zones).rename({"__eid": "enterprise_id"})
    ctx.check.flag(ctx.raw, typed["uscc"].is_not_null() & typed["enterprise_id"].is_null(), "uscc",
                   "企业不存在：请先导入企业名录（enterprises）")
    ctx.scope_checks(typed["__zone"], "uscc")
    return typed.with_columns(zone_id=typed["__zone"].replace_strict(ctx.zones, default=None, return_dtype=pl.Int64))


# ---------------------------------------------------------------- 行政检查事项清单

ITEM_COLUMNS = (
    _field(InspectionItem, "department", required=True), _field(InspectionItem, "item_code", required=True),
    _field(InspectionItem, "name", required=True), _field(InspectionItem, "legal_basis"),
    _field(InspectionItem, "standard"), _field(InspectionItem, "mode"),
    _field(InspectionItem, "applies_to", label="适用行业", unit="GB/T 4754 代码前缀，分号分隔，空为全部"),
    _field(InspectionItem, "published_on"),
)


def _plan_items(ctx: PlanContext) -> list[Plan]:
    fields = ctx.field_names({"department", "item_code"})
    return [Plan(InspectionItem, ctx.typed.select("department", "item_code", *fields), ("department", "item_code"),
                 tuple(fields), _keys(ctx.typed, "department", "item_code"))]


def _export_items(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    return export_frame(ITEM_COLUMNS, list(InspectionItem.objects.values_list(*[c.field or c.key for c in ITEM_COLUMNS])))


ITEMS = Kind("inspection-items", "行政检查事项清单", ITEM_COLUMNS, ("department", "item_code"), _plan_items, _export_items)

# ---------------------------------------------------------------- 执法检查人员名录

INSPECTOR_COLUMNS = (
    _field(Inspector, "department", required=True), _field(Inspector, "person_id", required=True),
    _field(Inspector, "name", required=True), _field(Inspector, "cert_no"), _field(Inspector, "cert_valid_to"),
    _field(Inspector, "conflicts", label="回避企业", unit="统一社会信用代码，分号分隔"),
)


def _plan_inspectors(ctx: PlanContext) -> list[Plan]:
    typed = ctx.typed
    if {"cert_no", "cert_valid_to"} <= set(typed.columns):  # a 执法证 without its validity cannot be checked
        ctx.check.flag(ctx.raw, typed["cert_no"].is_not_null() & typed["cert_valid_to"].is_null(), "cert_valid_to",
                       "填写了执法证号，须同时填写执法证有效期")
    fields = ctx.field_names({"person_id"})
    return [Plan(Inspector, typed.select("person_id", *fields), ("person_id",), tuple(fields),
                 typed["person_id"].to_list())]


def _export_inspectors(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    return export_frame(INSPECTOR_COLUMNS, list(Inspector.objects.values_list(*[c.field or c.key for c in INSPECTOR_COLUMNS])))


INSPECTORS = Kind("inspectors", "执法检查人员名录", INSPECTOR_COLUMNS, ("person_id",), _plan_inspectors,
                  _export_inspectors)

# ---------------------------------------------------------------- 企业信用风险分类（按月）

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
CREDIT_COLUMNS = (
    Column("uscc", "统一社会信用代码", type=USCC, required=True),
    _field(CreditRating, "month", required=True, unit="YYYY-MM"), _field(CreditRating, "credit_class", required=True),
    _field(CreditRating, "sector_risk"), _field(CreditRating, "source"),
)


def _plan_credit(ctx: PlanContext) -> list[Plan]:
    typed = _enterprises(ctx)
    month = typed["month"]
    ctx.check.flag(ctx.raw, month.is_not_null() & ~month.str.contains(MONTH), "month",
                   "分类月份应写作 2026-10（四位年份-两位月份）", value=month)
    fields = ctx.field_names({"uscc", "month"})
    return [Plan(CreditRating, typed.select("enterprise_id", "month", *fields), ("enterprise_id", "month"),
                 tuple(fields), _keys(typed, "uscc", "month"))]


def _export_credit(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    rows = scope.filter(CreditRating.objects.all(), "enterprise__zone")
    if zone_code:
        rows = rows.filter(enterprise__zone__code=zone_code)
    if period:
        rows = rows.filter(month=period)
    return export_frame(CREDIT_COLUMNS, list(rows.order_by("enterprise__uscc", "month").values_list(
        "enterprise__uscc", "month", "credit_class", "sector_risk", "source")))


CREDIT = Kind("credit-ratings", "企业信用风险分类（按月）", CREDIT_COLUMNS, ("uscc", "month"), _plan_credit, _export_credit,
              zone=ZONE_CODE)

# ---------------------------------------------------------------- 入企记录

VISIT_COLUMNS = (
    _field(Visit, "visit_no", required=True), Column("uscc", "统一社会信用代码", type=USCC, required=True),
    Column("departments", "检查部门", unit="多个用分号分隔", type="list", required=True, field="departments"),
    Column("items", "检查事项编码", unit="多个用分号分隔", type="list", field="items"),
    _field(Visit, "visited_on", required=True), _field(Visit, "kind"),
    _field(Visit, "exemption", label="不计频次情形", unit="情形代码，空为计入频次"),
    _field(Visit, "result"), _field(Visit, "result_text"), _field(Visit, "published_on"),
)


def _published_items() -> dict[tuple[str, str], object]:
    return {(d, c): p for d, c, p in InspectionItem.objects.values_list("department", "item_code", "published_on")}


def _plan_visits(ctx: PlanContext) -> list[Plan]:
    typed = _enterprises(ctx)
    rules = engine.load()
    published = _published_items()
    refused: list[str | None] = []
    for depts, codes, day, kind in zip(typed["departments"].to_list(), (typed["items"].to_list()
                                       if "items" in typed.columns else [None] * typed.height),
                                       typed["visited_on"].to_list(), (typed["kind"].to_list()
                                       if "kind" in typed.columns else [None] * typed.height), strict=True):
        reason = None
        if kind != Visit.Kind.NON_ENFORCEMENT and depts and day:
            for code in codes or []:
                dates = [published.get((d, code)) for d in depts if (d, code) in published]
                if not dates:
                    reason = f"检查事项 {code} 不在所列部门的行政检查事项清单中"
                elif all(p is None or p > day for p in dates):
                    reason = f"检查事项 {code} 在检查之日尚未公布，不得实施检查"
                if reason:
                    break
        refused.append(reason)
    reasons = pl.Series(refused, dtype=pl.Utf8)
    ctx.check.flag(ctx.raw, reasons.is_not_null(), "items", reasons)
    if "exemption" in typed.columns:
        codes = typed["exemption"]
        ctx.check.flag(ctx.raw, codes.is_not_null() & ~codes.is_in(list(rules.exemptions)), "exemption",
                       f"不计频次情形应为规则中的代码之一：{'、'.join(rules.exemptions)}", value=codes)
    fields = ctx.field_names({"visit_no", "uscc"})
    return [Plan(Visit, typed.select("visit_no", "enterprise_id", "zone_id", *fields), ("visit_no",),
                 ("enterprise_id", "zone_id", *fields), typed["visit_no"].to_list())]


def _export_visits(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    rows = scope.filter(Visit.objects.all())
    if zone_code:
        rows = rows.filter(zone__code=zone_code)
    if period:
        rows = rows.filter(visited_on__year=int(period[:4])) if period[:4].isdigit() else rows.none()
    return export_frame(VISIT_COLUMNS, list(rows.order_by("visited_on", "visit_no").values_list(
        "visit_no", "enterprise__uscc", "departments", "items", "visited_on", "kind", "exemption", "result",
        "result_text", "published_on")))


VISITS = Kind("inspection-visits", "入企检查记录", VISIT_COLUMNS, ("visit_no",), _plan_visits, _export_visits,
              zone=ZONE_CODE)
KINDS = (ITEMS, INSPECTORS, CREDIT, VISITS)
