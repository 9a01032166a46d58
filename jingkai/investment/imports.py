"""Import kind of the pipeline (`investment-leads`): 招商线索 from an Excel 台账, keyed by 园区 and 项目名称.

A new row enters as a 线索 today with the zone's management committee as 责任单位; a row whose project exists
updates its facts only. The stage is never imported: every stage change goes through the workflow (the
公平竞争审查 gate before 签约, the history, the audit). All or nothing, as every import."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

import polars as pl
from django.db import models
from django.utils import timezone

from jingkai.accounts.scope import Scope
from jingkai.enterprises.imports import USCC
from jingkai.intake.planning import Plan, PlanContext, export_frame
from jingkai.intake.specs import Column, Kind, column_from_field
from jingkai.intake.validation import ROW
from jingkai.investment import dedupe
from jingkai.investment.models import CoBuild, Event, Project
from jingkai.investment.selectors import event_list
from jingkai.zones.imports import ZONE_CODE
from jingkai.zones.models import Zone


def FIELD(name: str) -> models.Field:
    return cast(models.Field, Project._meta.get_field(name))


def _money(name: str) -> Column:
    field = FIELD(name)
    return column_from_field(field, type="float", unit=str(field.help_text), min=0.0)


COLUMNS = (
    Column("zone_code", "落地园区", type=ZONE_CODE, required=True, field="zone_id"),
    column_from_field(FIELD("name"), required=True),
    column_from_field(FIELD("company"), required=True),
    column_from_field(FIELD("uscc"), type=USCC),
    column_from_field(FIELD("investor_country")),
    column_from_field(FIELD("origin"), required=True),
    _money("planned_investment"),
    _money("contracted_fdi"),
    _money("actual_fdi"),
    column_from_field(FIELD("new_industry")),
    column_from_field(FIELD("next_action")),
    column_from_field(FIELD("next_action_date")),
    Column("chain_links", "补链环节", unit="产业链代码/环节代码，多个用;分隔", type="list", field="chain_links"),
    column_from_field(FIELD("factor_needs")),
    column_from_field(FIELD("problems")),
    Column("confirm_distinct", "确认不重复", unit="是/否", type="bool"),
)
CONFIRM_HINT = "；确属不同企业的，请在该行“确认不重复”列填“是”后重新导入"
NO_COMMITTEE = "该园区尚未设立管委会机构，无法确定责任单位，请先在机构管理中设立"


def _plan(ctx: PlanContext) -> list[Plan]:
    typed = ctx.typed
    ctx.scope_checks(typed["zone_code"], "zone_code")
    committees = dict(Zone.objects.filter(committee__isnull=False).values_list("id", "committee_id"))
    zone_id = typed["zone_code"].replace_strict(ctx.zones, default=None, return_dtype=pl.Int64)
    unit_id = zone_id.replace_strict(committees, default=None, return_dtype=pl.Int64)
    ctx.check.flag(ctx.raw, zone_id.is_not_null() & unit_id.is_null(), "zone_code",
                   NO_COMMITTEE, value=typed["zone_code"])
    _similar_companies(ctx, zone_id)
    fields = ctx.field_names({"zone_code", "name"})
    records = typed.with_columns(zone_id=zone_id).select("zone_id", "name", *fields).with_columns(
        owner_unit_id=unit_id, stage=pl.lit("lead"), stage_since=pl.lit(timezone.localdate(), dtype=pl.Date))
    keys = [f"{z}/{n}" for z, n in zip(typed["zone_code"].to_list(), typed["name"].to_list(), strict=True)]
    # owner unit, stage and its date are written for a new project only (not among the write fields)
    return [Plan(Project, records, ("zone_id", "name"), tuple(fields), keys)]


def _similar_companies(ctx: PlanContext, zone_ids: pl.Series) -> None:
    """The duplicate-company warning of the lead form, per row: a company like that of an existing lead (全称 or
    简称; not the project the row updates) or of an earlier row of the file is refused, naming the match, unless
    the row says 确认不重复 = 是. A match in a zone the importer may not write is counted, not named."""
    typed = ctx.typed
    confirmed = typed["confirm_distinct"].fill_null(False).to_list() if "confirm_distinct" in typed.columns else (
        [False] * typed.height)
    existing = list(Project.objects.values_list("pk", "company", "zone_id", "name", "zone__name"))
    by_pk = {pk: (zone, name, zone_name) for pk, _, zone, name, zone_name in existing}
    earlier: list[tuple[int, str]] = []  # (row number, company) of the rows above
    column = ctx.kind.column("company").display
    rows = zip(ctx.raw[ROW].to_list(), typed["company"].to_list(), zone_ids.to_list(), typed["name"].to_list(),
               confirmed, strict=True)
    for row, company, zone, name, ok in rows:
        if not company:
            continue
        if not ok:
            found = [m for m in dedupe.matches(company, ((pk, c) for pk, c, *_ in existing))
                     if by_pk[m.key][:2] != (zone, name)]
            named = [m for m in found if ctx.writable is None or by_pk[m.key][0] in ctx.writable]
            in_file = dedupe.matches(company, earlier)
            parts = [f"与{by_pk[m.key][2]}在跟进项目“{by_pk[m.key][1]}”的投资方“{m.name}”名称相近（相似度{m.score:g}）"
                     for m in named[:3]]
            if len(found) > len(named):
                parts.append(f"另有其他园区的 {len(found) - len(named)} 个在跟进项目投资方名称相近")
            parts += [f"与本文件第 {m.key} 行的投资方“{m.name}”名称相近（相似度{m.score:g}）" for m in in_file[:3]]
            if parts:
                ctx.check.add(int(row), column, company, "；".join(parts) + CONFIRM_HINT)
        earlier.append((int(row), company))


def _export(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    projects = scope.filter(Project.objects.all())
    if zone_code:
        projects = projects.filter(zone__code=zone_code)
    columns = [c for c in COLUMNS if c.key == "zone_code" or c.field]  # 确认不重复 is a question, not a fact
    paths = ["zone__code" if c.key == "zone_code" else c.field or c.key for c in columns]
    rows = [tuple(float(v) if isinstance(v, Decimal) else v for v in row)
            for row in projects.order_by("zone__code", "name").values_list(*paths)]
    return export_frame(columns, rows)


LEADS = Kind("investment-leads", "招商线索", COLUMNS, ("zone_code", "name"), _plan, _export, zone=ZONE_CODE)

# ---------------------------------------------------------------- 招商活动 and 合作共建 agreements


def _field(model: type[models.Model], name: str, **overrides: object) -> Column:
    return column_from_field(cast(models.Field, model._meta.get_field(name)), **overrides)


PROVINCE_WIDE = "全省性活动（不填组织园区）只能由省级用户导入"
EVENT_COLUMNS = (
    _field(Event, "name", required=True),
    _field(Event, "kind", required=True),
    _field(Event, "held_on", required=True),
    _field(Event, "place"),
    Column("zone_code", "组织园区", unit="全省性活动不填", type=ZONE_CODE, field="zone_id"),
    _field(Event, "participants", unit="多个用;分隔"),
)


def _zone_ids(ctx: PlanContext) -> pl.Series:
    ctx.scope_checks(ctx.typed["zone_code"], "zone_code")
    return ctx.typed["zone_code"].replace_strict(ctx.zones, default=None, return_dtype=pl.Int64)


def _plan_events(ctx: PlanContext) -> list[Plan]:
    typed = ctx.typed
    zone_id = _zone_ids(ctx) if "zone_code" in typed.columns else pl.Series("zone_id", [None] * typed.height,
                                                                             dtype=pl.Int64)
    if ctx.writable is not None and not ctx.writable >= set(ctx.zones.values()):  # not a province-wide writer
        ctx.check.flag(ctx.raw, zone_id.is_null(), "zone_code", PROVINCE_WIDE)
    # one participant a line, as the form keeps them
    participants = (typed["participants"].str.replace_all(r"[;；、]\s*", "\n") if "participants" in typed.columns
                    else None)
    fields = ctx.field_names({"name", "held_on", "zone_code"})
    records = typed.with_columns(zone_id=zone_id, **({"participants": participants} if participants is not None
                                                     else {})).select("name", "held_on", "zone_id", *fields)
    keys = [f"{n}/{d}" for n, d in zip(typed["name"].to_list(), typed["held_on"].to_list(), strict=True)]
    return [Plan(Event, records, ("name", "held_on"), ("zone_id", *fields), keys)]


def _export_events(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    events = event_list(scope)
    if zone_code:
        events = events.filter(zone__code=zone_code)
    rows = [(n, k, d, p, z, ";".join(x.strip() for x in part.splitlines() if x.strip()))
            for n, k, d, p, z, part in events.order_by("held_on", "name").values_list(
                "name", "kind", "held_on", "place", "zone__code", "participants")]
    return export_frame(EVENT_COLUMNS, rows)


CO_BUILD_COLUMNS = (
    Column("zone_code", "本地园区", type=ZONE_CODE, required=True, field="zone_id"),
    _field(CoBuild, "partner", required=True),
    _field(CoBuild, "partner_region", required=True),
    _field(CoBuild, "signed_on", required=True),
    _field(CoBuild, "term"),
    _field(CoBuild, "sharing", required=True),
    _field(CoBuild, "note"),
)


def _plan_co_builds(ctx: PlanContext) -> list[Plan]:
    typed = ctx.typed
    fields = ctx.field_names({"zone_code", "partner"})
    records = typed.with_columns(zone_id=_zone_ids(ctx)).select("zone_id", "partner", *fields)
    keys = [f"{z}/{p}" for z, p in zip(typed["zone_code"].to_list(), typed["partner"].to_list(), strict=True)]
    return [Plan(CoBuild, records, ("zone_id", "partner"), tuple(fields), keys)]


def _export_co_builds(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    rows = scope.filter(CoBuild.objects.all())
    if zone_code:
        rows = rows.filter(zone__code=zone_code)
    paths = ["zone__code" if c.key == "zone_code" else c.field or c.key for c in CO_BUILD_COLUMNS]
    return export_frame(CO_BUILD_COLUMNS, list(rows.order_by("zone__code", "partner").values_list(*paths)))


EVENTS = Kind("investment-events", "招商活动", EVENT_COLUMNS, ("name", "held_on"), _plan_events, _export_events,
              zone=ZONE_CODE)
CO_BUILDS = Kind("investment-co-builds", "合作共建协议", CO_BUILD_COLUMNS, ("zone_code", "partner"), _plan_co_builds,
                 _export_co_builds, zone=ZONE_CODE)
KINDS = (LEADS, EVENTS, CO_BUILDS)
