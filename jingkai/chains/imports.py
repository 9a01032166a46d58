"""Import kind of the target-company registry (`chain-targets`): outside firms by name, with USCC when known,
headquarters province, industry code, main products and list memberships written `list:year:rank`
(fortune_global_500:2025:123; listed), several separated by `;`. All or nothing, as every import."""

from __future__ import annotations

from typing import cast

import polars as pl
from django.db import models

from jingkai.accounts.scope import Scope
from jingkai.chains.models import TargetCompany
from jingkai.enterprises.imports import INDUSTRY_CODE
from jingkai.intake.planning import Plan, PlanContext, export_frame
from jingkai.intake.specs import Column, Kind, column_from_field


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
KINDS = (TARGETS,)
