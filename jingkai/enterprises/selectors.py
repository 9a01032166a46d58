"""Reading enterprises, always through the user's scope."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from jingkai.accounts.scope import Scope
from jingkai.enterprises.models import YEAR_TABLES, Enterprise, YearFacts
from jingkai.zones.models import Zone


def enterprise_list(scope: Scope, *, q: str | None = None, zone_code: str | None = None,
                    industry_code: str | None = None, size_class: str | None = None,
                    above_scale: bool | None = None) -> QuerySet[Enterprise]:
    """`q` matches name or USCC; `industry_code` matches as a prefix (C38 finds C3841)."""
    enterprises = scope.filter(Enterprise.objects.select_related("zone"))
    if q:
        enterprises = enterprises.filter(Q(name__contains=q) | Q(uscc__startswith=q.upper()))
    if zone_code:
        enterprises = enterprises.filter(zone__code=zone_code)
    if industry_code:
        enterprises = enterprises.filter(industry_code__startswith=industry_code.upper())
    if size_class:
        enterprises = enterprises.filter(size_class=size_class)
    if above_scale is not None:
        enterprises = enterprises.filter(above_scale=above_scale)
    return enterprises.order_by("zone__code", "name")


def enterprise_get(scope: Scope, uscc: str) -> Enterprise:
    """404 when the enterprise does not exist or lies outside the scope: the two are not told apart."""
    return get_object_or_404(enterprise_list(scope), uscc=uscc)


def year_facts(scope: Scope, table: type[YearFacts], *, uscc: str | None = None, year: int | None = None,
               zone_code: str | None = None) -> QuerySet[YearFacts]:
    """One fact table's rows that `scope` sees, by (uscc, year)."""
    rows = scope.filter(table.objects.select_related("enterprise", "enterprise__zone"), "enterprise__zone")
    if uscc:
        rows = rows.filter(enterprise__uscc=uscc)
    if year:
        rows = rows.filter(year=year)
    if zone_code:
        rows = rows.filter(enterprise__zone__code=zone_code)
    return rows.order_by("enterprise__uscc", "year")


ENTERPRISE_ALIAS, ZONE_ALIAS = "e", "z"


class YearRows:
    """Enterprise-years as the data dictionary has them, one row per (enterprise, year), from the fact
    tables `tables`: the union of their keys, each table's facts joined on (None where a table has no
    row for that key). One query per page, one for the count, whatever the number of tables.

    Rows are dicts: `uscc`, `year`, then `enterprise_fields` (Enterprise fields; `zone_code` for the
    zone's code; `enterprise_id`), then `fields` (canonical keys; default: every fact of `tables`)."""

    def __init__(self, scope: Scope, tables: Sequence[type[YearFacts]] = YEAR_TABLES, *,
                 fields: Sequence[str] | None = None, enterprise_fields: Sequence[str] = (),
                 uscc: str | None = None, year: int | None = None, zone_codes: Sequence[str] | None = None,
                 order_by_id: bool = False):
        self.tables = list(tables)
        by_table = [(t, [f for f in t.fact_fields() if fields is None or f.name in fields]) for t in self.tables]
        self.facts = [(t, f) for t, fs in by_table for f in fs]
        self.enterprise_fields = list(enterprise_fields)
        parts = []
        for t in self.tables:
            part = scope.filter(t.objects.all(), "enterprise__zone")
            if uscc:
                part = part.filter(enterprise__uscc=uscc)
            if year:
                part = part.filter(year=year)
            if zone_codes is not None:
                part = part.filter(enterprise__zone__code__in=list(zone_codes))
            parts.append(part.order_by().values("enterprise_id", "year"))
        keys = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
        try:
            self.keys_sql, self.keys_params = keys.query.get_compiler(connection=connection).as_sql()
        except EmptyResultSet:  # a scope that sees no zone
            self.keys_sql, self.keys_params = None, ()
        self.order = "k.enterprise_id, k.year" if order_by_id else f"{ENTERPRISE_ALIAS}.uscc, k.year"

    def count(self) -> int:
        if self.keys_sql is None:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({self.keys_sql}) k", self.keys_params)
            return cursor.fetchone()[0]

    def _sql(self) -> tuple[str, list[models.Field]]:
        q = connection.ops.quote_name
        e, z = ENTERPRISE_ALIAS, ZONE_ALIAS
        alias = {t: f"t{i}" for i, t in enumerate(self.tables)}
        emeta = Enterprise._meta
        cols, fields = [f"{e}.{q('uscc')}", "k.year"], [emeta.get_field("uscc"), YearFacts._meta.get_field("year")]
        for name in self.enterprise_fields:
            if name == "zone_code":
                cols.append(f"{z}.{q('code')}")
                fields.append(Zone._meta.get_field("code"))
            elif name == "enterprise_id":
                cols.append("k.enterprise_id")
                fields.append(emeta.pk)
            else:
                cols.append(f"{e}.{q(emeta.get_field(name).column)}")
                fields.append(emeta.get_field(name))
        for t, f in self.facts:
            cols.append(f"{alias[t]}.{q(f.column)}")
            fields.append(f)
        joins = [f"JOIN {q(emeta.db_table)} {e} ON {e}.{q('id')} = k.enterprise_id"]
        if "zone_code" in self.enterprise_fields:
            joins.append(f"JOIN {q(Zone._meta.db_table)} {z} ON {z}.{q('id')} = {e}.{q('zone_id')}")
        joins += [f"LEFT JOIN {q(t._meta.db_table)} {alias[t]} ON {alias[t]}.{q('enterprise_id')} = k.enterprise_id "
                  f"AND {alias[t]}.{q('year')} = k.year" for t in self.tables]
        sql = f"SELECT {', '.join(cols)} FROM ({self.keys_sql}) k {' '.join(joins)} ORDER BY {self.order}"
        return sql, fields

    def _fetch(self, limit: int | None = None, offset: int = 0) -> list[dict]:
        if self.keys_sql is None:
            return []
        sql, fields = self._sql()
        params = list(self.keys_params)
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        names = ["uscc", "year", *self.enterprise_fields, *[f.name for _, f in self.facts]]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        convert = [_converter(f) for f in fields]
        return [{n: c(v) for n, c, v in zip(names, convert, row, strict=True)} for row in rows]

    def __getitem__(self, page: slice) -> list[dict]:
        start = page.start or 0
        return self._fetch(None if page.stop is None else max(page.stop - start, 0), start)

    def __iter__(self) -> Iterator[dict]:
        return iter(self._fetch())


def _converter(field: models.Field):
    """Plain SQL returns what the driver returns: JSON as text, booleans as 0/1 and dates as text on SQLite.
    A NOT NULL fact of a table without a row for the key reads as the field's default ([] for honors)."""
    if isinstance(field, models.JSONField):
        def convert(v):
            return field.from_db_value(v, None, connection)
    elif isinstance(field, models.BooleanField):
        def convert(v):
            return None if v is None else bool(v)
    elif isinstance(field, models.DateField):
        convert = field.to_python
    else:
        def convert(v):
            return v
    if not field.null and field.has_default():
        return lambda v: field.get_default() if v is None else convert(v)
    return convert


def enterprise_year_list(scope: Scope, *, uscc: str | None = None, year: int | None = None,
                         zone_code: str | None = None) -> YearRows:
    """The combined enterprise-years (every fact table) that `scope` sees, by (uscc, year)."""
    return YearRows(scope, uscc=uscc, year=year, zone_codes=[zone_code] if zone_code else None)
