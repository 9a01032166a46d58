"""The enterprise import kinds: the register (`enterprises`), the combined enterprise-years that
offices fill in (`enterprise-years`: uscc, year and every fact), and one kind per fact table
(`enterprise-finance`, `enterprise-land` …). How validated rows become writes, and what an export
reads; the machinery (reading, typing, checking, writing, templates) is jingkai.intake's. And the column
types of the codes whose rules enterprises own: 统一社会信用代码 (GB 32100) and 行业代码 (GB/T 4754)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from jingkai.accounts.scope import Scope
from jingkai.enterprises import uscc
from jingkai.enterprises.industry import industry_table, normalize_industry_code
from jingkai.enterprises.models import YEAR_TABLES, Enterprise, YearFacts
from jingkai.enterprises.selectors import HONOR_LABELS, YearRows
from jingkai.intake.planning import Plan, PlanContext, export_frame, select_in
from jingkai.intake.specs import Column, ColumnType, Kind, Parsed, column_from_field, columns_of
from jingkai.intake.validation import cat, map_distinct
from jingkai.zones.imports import ZONE_CODE
from jingkai.zones.periods import parse_period


def _codes(cells: pl.Series) -> pl.Series:
    """A code as typed on a Chinese keyboard made plain: full-width letters and digits as ASCII, no spaces."""
    return cells.str.normalize("NFKC").str.replace_all(r"\s", "").str.to_uppercase()


def _parse_uscc(cells: pl.Series, _: Any) -> Parsed:
    value = _codes(cells)
    bad = ~uscc.uscc_valid(value)
    problems = map_distinct(value.set(~bad, None), uscc.uscc_problem)  # messages for the bad ones only
    return value, bad, cat("统一社会信用代码有误：", problems)


def _parse_industry(cells: pl.Series, _: Any) -> Parsed:
    value = map_distinct(_codes(cells), normalize_industry_code)
    return value, value.is_null(), "不是 GB/T 4754-2017 国民经济行业分类中的代码（如 C3841）"


USCC = ColumnType("uscc", "18位统一社会信用代码", _parse_uscc, example=uscc.make_uscc("620100", "MA00000A"))
INDUSTRY_CODE = ColumnType("industry", "行业代码（下拉选择）", _parse_industry,
                           choices=lambda: [(c, n) for c, (n, _) in industry_table().items()])

ENTERPRISE_COLUMNS = (
    column_from_field(Enterprise._meta.get_field("uscc"), type=USCC, required=True),
    column_from_field(Enterprise._meta.get_field("name"), required=True),
    Column("zone_code", "所在园区", type=ZONE_CODE, required=True, field="zone_id"),
    column_from_field(Enterprise._meta.get_field("industry_code"), type=INDUSTRY_CODE, required=True,
                      unit="GB/T 4754-2017"),
    *columns_of(Enterprise, ["established", "size_class", "ownership", "above_scale", "listed",
                             "main_products", "credit_class"]),
)
YEAR_KEY_COLUMNS = (
    Column("uscc", "统一社会信用代码", type=USCC, required=True, field="enterprise_id"),
    column_from_field(YearFacts._meta.get_field("year"), required=True, unit=""),
)


def with_existing_enterprises(typed: pl.DataFrame, zones: dict[str, int]) -> pl.DataFrame:
    """`typed` with the stored enterprise of each row's uscc: `__eid` and `__zone` (its zone code)."""
    usccs = typed["uscc"].drop_nulls().unique().to_list()
    found = pl.DataFrame(select_in(Enterprise, ["uscc", "id", "zone"], "uscc", usccs),
                         schema={"uscc": pl.Utf8, "__eid": pl.Int64, "__zid": pl.Int64}, orient="row")
    codes = pl.DataFrame({"__zid": list(zones.values()), "__zone": list(zones)},
                         schema={"__zid": pl.Int64, "__zone": pl.Utf8})
    found = found.join(codes, on="__zid", how="left").drop("__zid")
    matched = typed.select("uscc").join(found, on="uscc", how="left", maintain_order="left")  # one row per row
    return typed.with_columns(matched["__eid"], matched["__zone"])  # the other columns are not copied


# ---------------------------------------------------------------- enterprises

def _plan_enterprises(ctx: PlanContext) -> list[Plan]:
    typed, zones = ctx.typed, ctx.zones
    ctx.scope_checks(typed["zone_code"], "zone_code")
    if ctx.writable is not None:
        old_zone = with_existing_enterprises(typed, zones)["__zone"]
        denied = old_zone.is_not_null() & ~old_zone.replace_strict(zones, default=None, return_dtype=pl.Int64).is_in(
            list(ctx.writable))
        ctx.check.flag(ctx.raw, denied, "uscc", cat("该企业已登记在园区 ", old_zone, "，无权修改"))
    records = typed.with_columns(zone_id=pl.col("zone_code").replace_strict(zones, default=None, return_dtype=pl.Int64))
    fields = ctx.field_names({"uscc"})
    return [Plan(Enterprise, records.select("uscc", *fields), ("uscc",), tuple(fields), typed["uscc"].to_list())]


def _export_enterprises(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    qs = scope.filter(Enterprise.objects.all())
    if zone_code:
        qs = qs.filter(zone__code=zone_code)
    paths = ["zone__code" if c.key == "zone_code" else c.field or c.key for c in ENTERPRISE_COLUMNS]
    return export_frame(ENTERPRISE_COLUMNS, list(qs.order_by("zone__code", "uscc").values_list(*paths)))


ENTERPRISES = Kind("enterprises", "企业名录", ENTERPRISE_COLUMNS, ("uscc",), _plan_enterprises, _export_enterprises,
                   zone=ZONE_CODE)


# ---------------------------------------------------------------- enterprise-years and the fact tables

def _fact_columns(table: type[YearFacts]) -> list[Column]:
    """The table's facts; 荣誉资质 is a list of codes, read and written by their names."""
    return [column_from_field(f, choices=tuple(HONOR_LABELS.items())) if f.name == "honors" else column_from_field(f)
            for f in table.fact_fields()]


def _year_planner(tables: Sequence[type[YearFacts]], columns: Sequence[Column]) -> Callable[[PlanContext], list[Plan]]:
    """Rows keyed by (uscc, year) of a stored enterprise, written into each of `tables` (the columns of
    each table that the file has; a table none of whose columns is present still gets the row)."""
    def plan(ctx: PlanContext) -> list[Plan]:
        typed = with_existing_enterprises(ctx.typed, ctx.zones).rename({"__eid": "enterprise_id"})
        ctx.check.flag(ctx.raw, typed["uscc"].is_not_null() & typed["enterprise_id"].is_null()
                       & ctx.raw["uscc"].is_not_null(), "uscc", "企业不存在：请先导入企业名录（enterprises）")
        ctx.scope_checks(typed["__zone"], "uscc")
        keys = typed.select(pl.concat_str(pl.col("uscc"), pl.col("year").cast(pl.Utf8), separator="/")).to_series()
        plans = []
        for table in tables:
            names = {f.name for f in table.fact_fields()}
            fields = ctx.field_names({"uscc", "year"}, [c for c in columns if c.key in names])
            plans.append(Plan(table, typed.select("enterprise_id", "year", *fields), ("enterprise_id", "year"),
                              tuple(fields), keys))
        return plans
    return plan


def _year_exporter(tables: Sequence[type[YearFacts]], columns: Sequence[Column]):
    """The combined rows of `tables` that the scope sees, by (uscc, year); the period is the year."""
    def rows(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
        year = None
        if period:
            p = parse_period(period)
            if p is None or p.frequency != "year":
                raise ValueError("企业年度数据的 --period 应为年份，如 2024")
            year = p.year
        found = YearRows(scope, tables, year=year, zone_codes=[zone_code] if zone_code else None)
        return export_frame(columns, [tuple(r[c.key] for c in columns) for r in found])
    return rows


def year_kind(name: str, title: str, tables: Sequence[type[YearFacts]]) -> Kind:
    columns = (*YEAR_KEY_COLUMNS, *[c for t in tables for c in _fact_columns(t)])
    return Kind(name, title, columns, ("uscc", "year"), _year_planner(tables, columns), _year_exporter(tables, columns),
                zone=ZONE_CODE)


def table_kind_name(table: type[YearFacts]) -> str:
    """enterprise-finance for EnterpriseFinance …"""
    return f"enterprise-{table.__name__.removeprefix('Enterprise').lower()}"


ENTERPRISE_YEARS = year_kind("enterprise-years", "企业年度数据", YEAR_TABLES)
TABLE_KINDS = tuple(year_kind(table_kind_name(t), str(t._meta.verbose_name), (t,)) for t in YEAR_TABLES)

KINDS = (ENTERPRISES, ENTERPRISE_YEARS, *TABLE_KINDS)
