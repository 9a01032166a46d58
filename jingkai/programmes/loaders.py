"""Enterprise-years from the database as one polars table in canonical keys (for the rule engine).

Read in bulk: one query for the enterprise-years (`YearRows.query`), its rows put straight into polars and
typed there (booleans, dates, JSON, blanks), one query for the tags, grouped by polars; no dict per row.
Measured by benchmarks/bench_rules.py against a raw fetch of the same columns."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl
from django.db import connection, models

from jingkai.accounts.scope import PROVINCE
from jingkai.enterprises.models import YEAR_TABLES, Enterprise, EnterpriseTag, tables_holding
from jingkai.enterprises.selectors import YearRows

ENTERPRISE_KEYS = ["uscc", "name", "industry_code", "size_class", "ownership", "above_scale", "listed",
                   "credit_class", "established", "main_products"]
BLANK_IS_NULL = ("size_class", "ownership", "credit_class", "rd_institution_level", "main_products")
LISTS: dict[str, pl.DataType] = {"honors": pl.List(pl.String), "tags": pl.List(pl.String)}


def load_enterprise_years(year: int | None = None, zone: str | list[str] | None = None,
                          keys: Iterable[str] | None = None) -> pl.DataFrame:
    """One row per (enterprise, year); tags as `tag@from/to` so the engine checks validity on its date.
    `zone`: one zone code or a list of them. `keys`: the canonical keys the caller reads (for a rule set,
    `jingkai.engines.rules.input_keys`); only the fact tables that hold one of them are read, in one
    query, and the table has their facts only. None: every fact of every table.

    The rows are the enterprise-years of the tables read (those of all tables when none holds a key)."""
    wanted = None if keys is None else set(keys)
    tables = YEAR_TABLES if wanted is None else tables_holding(wanted)
    zones = [zone] if isinstance(zone, str) else (list(zone) if zone else None)
    found = YearRows(PROVINCE, tables or YEAR_TABLES, fields=None if wanted is None else sorted(wanted) if tables else [],
                     enterprise_fields=[*ENTERPRISE_KEYS[1:], "zone_code", "enterprise_id"], year=year,
                     zone_codes=zones, order_by_id=True)
    facts = [f.name for _, f in found.facts]
    query = found.query()
    rows: list[tuple] = []
    if query is not None:
        sql, params, names, fields = query
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    if not rows:
        return pl.DataFrame(schema={"uscc": pl.String, "zone_code": pl.String, "year": pl.Int64,
                                    "established": pl.String, **{k: v for k, v in LISTS.items() if k in facts or k == "tags"}})
    df = pl.DataFrame(rows, schema={n: _read_as(f) for n, f in zip(names, fields, strict=True)}, orient="row")
    df = df.with_columns([_typed(n, f) for n, f in zip(names, fields, strict=True)])
    df = df.with_columns([pl.lit(v).alias(k) for k, v in found.hidden.items()])  # tables not read: as without a row
    enterprises = Enterprise.objects.filter(zone__code__in=zones) if zones else Enterprise.objects.all()
    return df.join(_tags(enterprises), on="enterprise_id", how="left", maintain_order="left").with_columns(
        pl.col("tags").fill_null(pl.lit([], dtype=LISTS["tags"]))).select(
        *ENTERPRISE_KEYS, "zone_code", "year", *facts, *[k for k in found.hidden if k not in facts], "tags")


def _read_as(field: models.Field) -> pl.DataType | type[pl.DataType]:
    """The polars type a driver's value of `field` is read as (JSON as text on both drivers: Django registers
    text loaders; booleans and dates as such: Django's SQLite converters)."""
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return pl.Boolean
    if kind == "DateField":
        return pl.Date
    if kind in ("FloatField", "DecimalField"):
        return pl.Float64
    if kind.endswith("IntegerField") or kind == "AutoField" or kind == "BigAutoField":
        return pl.Int64
    return pl.String


def _typed(name: str, field: models.Field) -> pl.Expr:
    """A column as the engine reads it: dates as YYYY-MM-DD, honors as a list of text, blanks of
    optional text as missing, a NOT NULL fact of a table without a row for the key as its default."""
    c = pl.col(name)
    kind = field.get_internal_type()
    if kind == "DateField":
        c = c.cast(pl.String)
    elif name in LISTS:
        c = c.str.json_decode(pl.List(pl.String))
    if name in LISTS:
        c = c.fill_null(pl.lit([], dtype=LISTS[name]))
    elif not field.null and field.has_default() and field.get_default() is not None:
        c = c.fill_null(field.get_default())
    if name in BLANK_IS_NULL:
        c = pl.when(c == "").then(None).otherwise(c)
    return c.alias(name)


def _tags(enterprises) -> pl.DataFrame:
    """The enterprises' tags as lists of `tag` or `tag@from/to` (a subquery rather than a list of ids: no
    limit on query parameters however many enterprises)."""
    held = EnterpriseTag.objects.filter(enterprise__in=enterprises.values("id")).values_list(
        "enterprise_id", "tag", "valid_from", "valid_to")
    tags = pl.DataFrame(list(held), schema={"enterprise_id": pl.Int64, "tag": pl.String, "from": pl.Date,
                                            "to": pl.Date}, orient="row")
    span = pl.concat_str(pl.col("from").cast(pl.String).fill_null(""), pl.lit("/"), pl.col("to").cast(pl.String).fill_null(""))
    return tags.select("enterprise_id", pl.when(span == "/").then(pl.col("tag")).otherwise(
        pl.concat_str(pl.col("tag"), pl.lit("@"), span)).alias("tags")).group_by(
        "enterprise_id", maintain_order=True).agg("tags")


__all__ = ["Enterprise", "load_enterprise_years"]
