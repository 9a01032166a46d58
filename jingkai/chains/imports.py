"""Import kind of the target-company registry (`chain-targets`): outside firms by name, with USCC when known,
headquarters province, industry code, main products and list memberships written `list:year:rank`
(fortune_global_500:2025:123; listed), several separated by `;`. All or nothing, as every import."""

from __future__ import annotations

from typing import cast

import polars as pl
from django.db import models

from jingkai.accounts.scope import Scope
from jingkai.chains.models import ChainLeader, LeaderPurchase, TargetCompany
from jingkai.chains.services import DEFAULT_CATALOGUE
from jingkai.enterprises.imports import INDUSTRY_CODE, USCC
from jingkai.intake.planning import Plan, PlanContext, export_frame
from jingkai.intake.specs import Column, Kind, column_from_field
from jingkai.zones.imports import ZONE_CODE


def FIELD(name: str) -> models.Field:
    return cast(models.Field, TargetCompany._meta.get_field(name))

COLUMNS = (
    column_from_field(FIELD("name"), required=True),
    column_from_field(FIELD("uscc")),
    column_from_field(FIELD("hq_region")),
    column_from_field(FIELD("industry_code"), type=INDUSTRY_CODE, unit="GB/T 4754-2017"),
    column_from_field(FIELD("main_products")),
    Column("lists", "榜单", unit="榜单:年份:名次", type="list", field="lists"),
    column_from_field(FIELD("source")),
)


def _plan(ctx: PlanContext) -> list[Plan]:
    fields = ctx.field_names({"name"})
    return [Plan(TargetCompany, ctx.typed.select("name", *fields), ("name",), tuple(fields),
                 ctx.typed["name"].to_list())]


def _export(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    rows = list(TargetCompany.objects.order_by("name").values_list(*[c.field or c.key for c in COLUMNS]))
    return export_frame(COLUMNS, rows)


TARGETS = Kind("chain-targets", "招商目标企业", COLUMNS, ("name",), _plan, _export)

# ---------------------------------------------------------------- 链主采购 (本地配套率)


def PURCHASE(name: str) -> models.Field:
    return cast(models.Field, LeaderPurchase._meta.get_field(name))


PURCHASE_COLUMNS = (
    Column("leader_uscc", "链主企业统一社会信用代码", type=USCC, required=True),
    Column("chain", "产业链代码", required=True, max_length=40),
    column_from_field(PURCHASE("year"), required=True, min=2000.0, max=2100.0),
    column_from_field(PURCHASE("supplier"), required=True),
    column_from_field(PURCHASE("supplier_uscc"), type=USCC),
    column_from_field(PURCHASE("amount"), required=True, type="float", unit="万元"),
    column_from_field(PURCHASE("local")),
)
NOT_A_LEADER = "该企业不是该产业链的链主企业：请先在链主企业名录中登记（产业链代码见产业链图谱）"


def _plan_purchases(ctx: PlanContext) -> list[Plan]:
    typed = ctx.typed
    leaders = pl.DataFrame(
        list(ChainLeader.objects.filter(catalogue=DEFAULT_CATALOGUE).values_list(
            "enterprise__uscc", "chain", "pk", "enterprise__zone__code")),
        schema={"leader_uscc": pl.Utf8, "chain": pl.Utf8, "leader_id": pl.Int64, "__zone": pl.Utf8}, orient="row")
    typed = typed.join(leaders, on=["leader_uscc", "chain"], how="left", maintain_order="left")
    ctx.check.flag(ctx.raw, typed["leader_id"].is_null() & typed["leader_uscc"].is_not_null()
                   & typed["chain"].is_not_null(), "leader_uscc", NOT_A_LEADER)
    ctx.scope_checks(typed["__zone"], "leader_uscc")
    fields = ctx.field_names({"leader_uscc", "chain", "year", "supplier"})
    keys = [f"{u}/{c}/{y}/{s}" for u, c, y, s in typed.select("leader_uscc", "chain", "year", "supplier").rows()]
    return [Plan(LeaderPurchase, typed.select("leader_id", "year", "supplier", *fields),
                 ("leader_id", "year", "supplier"), tuple(fields), keys)]


def _export_purchases(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    rows = scope.filter(LeaderPurchase.objects.filter(leader__catalogue=DEFAULT_CATALOGUE), "leader__enterprise__zone")
    if zone_code:
        rows = rows.filter(leader__enterprise__zone__code=zone_code)
    paths = ["leader__enterprise__uscc", "leader__chain", *(c.field or c.key for c in PURCHASE_COLUMNS[2:])]
    return export_frame(PURCHASE_COLUMNS, list(rows.order_by("leader__enterprise__uscc", "-year", "supplier")
                                               .values_list(*paths)))


PURCHASES = Kind("chain-leader-purchases", "链主采购", PURCHASE_COLUMNS, ("leader_uscc", "chain", "year", "supplier"),
                 _plan_purchases, _export_purchases, zone=ZONE_CODE)
KINDS = (TARGETS, PURCHASES)
