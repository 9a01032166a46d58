"""What an app's planning function gets and returns, and the helpers they share.

A kind's `plan(ctx)` receives the validated cells (`ctx.typed`, canonical keys) and returns one Plan per
table it writes; it may add its own checks to `ctx.check` (unknown enterprise, scope, cumulative values …).
Nothing is written unless no check failed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection, models

from jingkai.bulk import column_of
from jingkai.intake.specs import Column, Kind
from jingkai.intake.validation import Checker, cat

CHUNK = 5000


@dataclass
class PlanContext:
    kind: Kind
    raw: pl.DataFrame  # the cells as text (trimmed, empty = null), with the row number
    typed: pl.DataFrame  # the cells typed, canonical keys
    check: Checker
    zones: dict[str, int]  # zone code → id (`kind.zone.load()`; empty for a kind not by zone)
    known: dict[str, Any]  # what each of the kind's column types loaded, by type name (indicator key → …)
    writable: set[int] | None  # zone ids the user may write (None: no user, no limit)
    zone_code: str | None  # --zone: the import is limited to this zone
    source: str  # where the rows come from (文件导入, 网页填报 …)

    def field_names(self, exclude: set[str], columns: list[Column] | None = None) -> list[str]:
        """The model fields of the kind's columns (or of `columns`) present in the file."""
        return [c.field for c in (self.kind.columns if columns is None else columns)
                if c.field and c.key in self.typed.columns and c.key not in exclude]

    def scope_checks(self, codes: pl.Series, key: str) -> None:
        """`codes`: the zone code each row writes to (flagged in column `key`). It must be --zone's (if
        given) and one the user may write."""
        if self.zone_code:
            self.check.flag(self.raw, codes.is_not_null() & (codes != self.zone_code), key,
                            cat(f"本次导入限定园区 {self.zone_code}，该行属于园区 ", codes), value=codes)
        if self.writable is not None:
            ids = codes.replace_strict(self.zones, default=None, return_dtype=pl.Int64)
            denied = ids.is_not_null() & ~ids.is_in(list(self.writable))
            self.check.flag(self.raw, denied, key, cat("无权导入园区 ", codes, " 的数据"), value=codes)


@dataclass
class Plan:
    """The validated writes into one table: `records` in db field names, one row per file row (in file
    order, the same rows in every Plan of one import)."""

    model: type[models.Model]
    records: pl.DataFrame
    key_fields: tuple[str, ...]
    write_fields: tuple[str, ...]
    object_keys: list[str] | pl.Series  # the audit key of each row (a Series: no Python string per row)


def select_in(model: type[models.Model], columns: list[str], key: str, values: list) -> list[tuple]:
    """`SELECT columns FROM model's table WHERE key IN values`, one plain statement per chunk (the ORM's
    filter(key__in=…) costs more than the query itself at this size), rows as the driver returns them."""
    q = connection.ops.quote_name
    meta = model._meta
    cols = ", ".join(q(column_of(model, c)) for c in columns)
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for i in range(0, len(values), CHUNK):
            chunk = values[i:i + CHUNK]
            cursor.execute(f"SELECT {cols} FROM {q(meta.db_table)} WHERE {q(column_of(model, key))} IN "
                           f"({', '.join(['%s'] * len(chunk))})", chunk)
            rows += cursor.fetchall()
    return rows


def polars_type(col: Column) -> pl.DataType:
    """A domain's column types hold codes and text."""
    types: dict[str, pl.DataType] = {"float": pl.Float64(), "int": pl.Int64(), "bool": pl.Boolean(),
                                     "date": pl.Date(), "list": pl.List(pl.Utf8)}
    return types.get(col.type, pl.Utf8()) if isinstance(col.type, str) else pl.Utf8()


def export_frame(columns: Sequence[Column], rows: list[tuple]) -> pl.DataFrame:
    """Rows (values in the order of `columns`) as a frame typed by the columns, named by their keys."""
    return pl.DataFrame(rows, schema={c.key: polars_type(c) for c in columns}, orient="row")
