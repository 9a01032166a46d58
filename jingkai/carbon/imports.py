"""Import kinds of 绿色低碳: the green-certificate ledger (`green-certificates`) and each zone's yearly green
facts (`zone-green-facts`: the five 1+5 guiding indicators and 法定边界). All or nothing, as every import: a
certificate range that overlaps another (in the file or stored), a range retired a second time, or an 电量 that
is not 证书数 × 1,000 kWh is refused with its row, column and value, and nothing is written."""

from __future__ import annotations

import re
from typing import cast

import polars as pl
from django.db import models

from jingkai.accounts.scope import Scope
from jingkai.carbon.models import GreenCertificate, ZoneGreenFacts
from jingkai.enterprises.imports import USCC, with_existing_enterprises
from jingkai.intake.planning import Plan, PlanContext, export_frame
from jingkai.intake.specs import Column, Kind, column_from_field
from jingkai.intake.validation import ROW
from jingkai.zones.imports import ZONE_CODE

CERT_RULE = "1 个绿证对应 1000 千瓦时（发改能源〔2023〕1044号）"
SERIAL = re.compile(r"^(.*?)(\d+)$")


def _cert_field(name: str) -> models.Field:
    return cast(models.Field, GreenCertificate._meta.get_field(name))


CERT_COLUMNS = (
    column_from_field(_cert_field("platform"), required=True),
    column_from_field(_cert_field("first_id"), required=True),
    column_from_field(_cert_field("last_id")),
    column_from_field(_cert_field("mwh"), required=True, min=0.0),
    column_from_field(_cert_field("project"), required=True),
    Column("production_period", "生产期间", unit="年月，如 2025-03", type="period", required=True,
           field="production_period"),
    Column("uscc", "持有企业", type=USCC, required=True, field="holder_id"),
    column_from_field(_cert_field("retired_year")),
    column_from_field(_cert_field("note")),
)


def serial_range(first: str, last: str | None) -> tuple[str, int, int, int] | str:
    """(prefix, digits, first number, last number) of a range of certificate ids, or what is wrong with it."""
    a, b = SERIAL.match(first), SERIAL.match(last or first)
    if a is None:
        return "证书编号应以数字结尾（如 GEC202503000001）"
    if b is None or b.group(1) != a.group(1) or len(b.group(2)) != len(a.group(2)):
        return f"终止编号应与起始编号“{first}”前缀相同、数字位数相同"
    lo, hi = int(a.group(2)), int(b.group(2))
    if hi < lo:
        return f"终止编号小于起始编号“{first}”"
    return a.group(1), len(a.group(2)), lo, hi


def _span(first: str, last: str | None) -> str:
    return f"{first}—{last}" if last and last != first else first


def _plan_certificates(ctx: PlanContext) -> list[Plan]:
    typed = with_existing_enterprises(ctx.typed, ctx.zones).rename({"__eid": "holder_id"})
    ctx.check.flag(ctx.raw, typed["uscc"].is_not_null() & typed["holder_id"].is_null(), "uscc",
                   "企业不存在：请先导入企业名录（enterprises）")
    ctx.scope_checks(typed["__zone"], "uscc")
    cols = {c.key: c.display for c in CERT_COLUMNS}
    rows = ctx.raw[ROW].to_list()
    stored = {(p, f): (lid, year) for p, f, lid, year in
              GreenCertificate.objects.values_list("platform", "first_id", "last_id", "retired_year")}
    counts: list[int | None] = []
    # (platform, prefix, digits), first number, last number, file row (None: stored), what it is called
    spans: list[tuple[tuple[str, str, int], int, int, int | None, str]] = []
    present = typed.with_columns(pl.lit(None, pl.Utf8).alias(c) for c in ("last_id",) if c not in typed.columns)
    present = present.with_columns(pl.lit(None, pl.Int64).alias(c) for c in ("retired_year",) if c not in typed.columns)
    for i, r in enumerate(present.select("platform", "first_id", "last_id", "mwh", "retired_year").iter_rows()):
        platform, first, last, mwh, year = r
        if platform is None or first is None:
            counts.append(None)
            continue
        parsed = serial_range(first, last)
        if isinstance(parsed, str):
            ctx.check.add(rows[i], cols["last_id" if SERIAL.match(first) else "first_id"], last or first, parsed)
            counts.append(None)
            continue
        prefix, digits, lo, hi = parsed
        counts.append(hi - lo + 1)
        if mwh is not None and abs(mwh - (hi - lo + 1)) > 1e-9:
            ctx.check.add(rows[i], cols["mwh"], f"{mwh:g}",
                          f"与证书数量 {hi - lo + 1} 张不符：{CERT_RULE}，电量应为 {hi - lo + 1} 兆瓦时")
        spans.append(((platform, prefix, digits), lo, hi, i, f"第 {rows[i]} 行"))
        old = stored.get((platform, first))
        if old is not None and old[1] is not None and old[1] != year:
            ctx.check.add(rows[i], cols["retired_year"], "" if year is None else str(year),
                          f"证书 {_span(first, old[0])} 已注销用于 {old[1]} 年，不能撤销或重复注销")
    in_file = {(p, f) for p, f in typed.select("platform", "first_id").iter_rows()}
    for (platform, first), (last, _) in stored.items():
        if (platform, first) in in_file:
            continue  # the file's row replaces it
        parsed = serial_range(first, last)
        if not isinstance(parsed, str):
            spans.append(((platform, parsed[0], parsed[1]), parsed[2], parsed[3], None,
                          f"已登记的证书 {_span(first, last)}"))
    spans.sort(key=lambda s: (s[0], s[1]))
    reach = None  # the span reaching furthest so far within the same platform and numbering
    for cur in spans:
        if reach is not None and reach[0] == cur[0] and cur[1] <= reach[2]:
            at, other = (cur, reach) if cur[3] is not None else (reach, cur)
            if at[3] is not None:
                ctx.check.add(rows[at[3]], cols["first_id"], typed["first_id"][at[3]],
                              f"证书编号区间与{other[4]}重叠：同一证书只能登记一次")
        if reach is None or reach[0] != cur[0] or cur[2] > reach[2]:
            reach = cur
    fields = ctx.field_names({"platform", "first_id", "uscc"}) + ["holder_id", "certificates"]
    records = typed.with_columns(pl.Series("certificates", counts, dtype=pl.Int64),
                                 *(pl.col(c).fill_null("") for c in ("last_id", "note") if c in typed.columns))
    keys = [f"{p}/{f}" for p, f in typed.select("platform", "first_id").iter_rows()]
    return [Plan(GreenCertificate, records.select("platform", "first_id", *fields), ("platform", "first_id"),
                 tuple(dict.fromkeys(fields)), keys)]


def _export_certificates(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    qs = scope.filter(GreenCertificate.objects.all(), "holder__zone")
    if zone_code:
        qs = qs.filter(holder__zone__code=zone_code)
    paths = ["holder__uscc" if c.key == "uscc" else c.field or c.key for c in CERT_COLUMNS]
    return export_frame(CERT_COLUMNS, list(qs.order_by("platform", "first_id").values_list(*paths)))


CERTIFICATES = Kind("green-certificates", "绿证登记", CERT_COLUMNS, ("platform", "first_id"), _plan_certificates,
                    _export_certificates, zone=ZONE_CODE)


def _fact_field(name: str) -> models.Field:
    return cast(models.Field, ZoneGreenFacts._meta.get_field(name))


FACT_COLUMNS = (
    Column("zone_code", "园区", type=ZONE_CODE, required=True, field="zone_id"),
    column_from_field(_fact_field("year"), required=True),
    *(column_from_field(_fact_field(n)) for n in (*ZoneGreenFacts.GUIDES, "legal_boundary")),
    column_from_field(_fact_field("source"), required=True),
    column_from_field(_fact_field("note")),
)


def _plan_facts(ctx: PlanContext) -> list[Plan]:
    typed = ctx.typed
    ctx.scope_checks(typed["zone_code"], "zone_code")
    records = typed.with_columns(zone_id=pl.col("zone_code").replace_strict(ctx.zones, default=None,
                                                                            return_dtype=pl.Int64))
    fields = ctx.field_names({"zone_code", "year"})
    if "note" in typed.columns:
        records = records.with_columns(pl.col("note").fill_null(""))
    keys = [f"{z}/{y}" for z, y in typed.select("zone_code", "year").iter_rows()]
    return [Plan(ZoneGreenFacts, records.select("zone_id", "year", *fields), ("zone_id", "year"), tuple(fields), keys)]


def _export_facts(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    qs = scope.filter(ZoneGreenFacts.objects.all())
    if zone_code:
        qs = qs.filter(zone__code=zone_code)
    if period and period.isdigit():
        qs = qs.filter(year=int(period))
    paths = ["zone__code" if c.key == "zone_code" else c.field or c.key for c in FACT_COLUMNS]
    return export_frame(FACT_COLUMNS, list(qs.order_by("zone__code", "year").values_list(*paths)))


FACTS = Kind("zone-green-facts", "园区绿色低碳指标", FACT_COLUMNS, ("zone_code", "year"), _plan_facts, _export_facts,
             zone=ZONE_CODE)
KINDS = (CERTIFICATES, FACTS)
