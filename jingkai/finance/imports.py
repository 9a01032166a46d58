"""Import kind `green-projects`: 绿色和重点项目 from an Excel 台账, keyed by 所在园区 and 项目名称 (a row whose
project exists updates it). Categories and channels are read by their names or codes in the current catalogue;
the 融资主体's USCC is checked by the enterprises' check (GB 32100). All or nothing, as every import."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import polars as pl
from django.db import models

from jingkai.accounts.scope import Scope
from jingkai.enterprises.imports import USCC
from jingkai.finance import catalogue
from jingkai.finance.models import GreenProject
from jingkai.intake.planning import Plan, PlanContext, export_frame
from jingkai.intake.specs import Column, ColumnType, Kind, Parsed, column_from_field
from jingkai.intake.validation import cat as concat
from jingkai.zones.imports import ZONE_CODE


def FIELD(name: str) -> models.Field:
    return cast(models.Field, GreenProject._meta.get_field(name))


def _parse_category(cells: pl.Series, _: Any) -> Parsed:
    codes = list(catalogue.current().categories)
    value = cells.replace_strict({c: c for c in codes}, default=None, return_dtype=pl.Utf8)
    names = "、".join(c.name for c in catalogue.current().categories.values())
    return value, value.is_null(), f"不是目录中的项目类别，应为：{names}"


CATEGORY = ColumnType("green-category", "项目类别（下拉选择）", _parse_category,
                      choices=lambda: [(c.code, c.name) for c in catalogue.current().categories.values()],
                      example="分布式光伏")


def _amount(name: str, required: bool = False) -> Column:
    field = FIELD(name)
    return column_from_field(field, type="float", unit=str(field.help_text), min=0.0, required=required)


def _channel_choices() -> tuple[tuple[str, str], ...]:
    return tuple((c.code, c.name) for c in catalogue.current().channels.values())


COLUMNS = (
    Column("zone_code", "所在园区", type=ZONE_CODE, required=True, field="zone_id"),
    column_from_field(FIELD("name"), required=True),
    Column("category", "项目类别", type=CATEGORY, required=True, field="category"),
    column_from_field(FIELD("borrower"), required=True),
    column_from_field(FIELD("uscc"), type=USCC, required=True),
    _amount("capex", required=True),
    _amount("finance_need", required=True),
    _amount("co2_saved"),
    Column("channels", "拟申请融资渠道", unit="多个用;分隔", type="list", field="channels", choices=_channel_choices()),
    column_from_field(FIELD("status"), required=True),
    column_from_field(FIELD("description")),
    column_from_field(FIELD("contact")),
)


def _plan(ctx: PlanContext) -> list[Plan]:
    typed = ctx.typed
    ctx.scope_checks(typed["zone_code"], "zone_code")
    if "channels" in typed.columns:
        known = list(catalogue.current().channels)
        unknown = typed["channels"].list.eval(pl.element().filter(~pl.element().is_in(known))).list.join("、")
        names = "、".join(c.name for c in catalogue.current().channels.values())
        ctx.check.flag(ctx.raw, unknown.fill_null("") != "", "channels",
                       concat("融资渠道“", unknown, f"”不在目录中，应为：{names}"), value=unknown)
    zone_id = typed["zone_code"].replace_strict(ctx.zones, default=None, return_dtype=pl.Int64)
    fields = ctx.field_names({"zone_code", "name"})
    records = typed.with_columns(zone_id=zone_id).select("zone_id", "name", *fields).with_columns(
        catalogue=pl.lit(catalogue.current().id))
    keys = [f"{z}/{n}" for z, n in zip(typed["zone_code"].to_list(), typed["name"].to_list(), strict=True)]
    return [Plan(GreenProject, records, ("zone_id", "name"), (*fields, "catalogue"), keys)]


def _export(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    projects = scope.filter(GreenProject.objects.all())
    if zone_code:
        projects = projects.filter(zone__code=zone_code)
    paths = ["zone__code" if c.key == "zone_code" else c.field or c.key for c in COLUMNS]
    rows = [tuple(float(v) if isinstance(v, Decimal) else v for v in row)
            for row in projects.order_by("zone__code", "name").values_list(*paths)]
    return export_frame(COLUMNS, rows)


GREEN_PROJECTS = Kind("green-projects", "绿色和重点项目", COLUMNS, ("zone_code", "name"), _plan, _export,
                      zone=ZONE_CODE)
KINDS = (GREEN_PROJECTS,)
