"""Recording writes. Services call these inside the same transaction as the write itself.

Two forms of AuditEntry, both answering "who changed row X, when, from what to what" (`changes_for`):
- one entry per write (`record`, `record_many`, `record_rows`): object_key names the row, before/after
  hold its values;
- bulk entries (`record_bulk`, used by imports): object_key is BULK and before/after map each row's
  object_key to its values, up to BULK_ROWS rows per entry.
Why imports use bulk entries (measured with benchmarks/bench_import.py, 100,000 new enterprise-year rows
× 30 columns on SQLite, 2 shared cores, alternating runs): with one entry per row the whole import took
7.0–8.5 s CPU (12–16 s wall), with bulk entries 4.5–6.7 s CPU; leaving the audit out entirely saved
3.5 s CPU and 7–9 s wall, so per-row entries were the largest single cost: 100,000 more rows in a
table with five indexes. The values recorded are the same; only the per-row entries and their index
entries go.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import Case, F, JSONField, Q, When
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from jingkai.audit.models import AuditEntry
from jingkai.bulk import column_of

CHUNK = 5000
BULK = "*"  # object_key of an entry that holds many rows' changes: before/after = {object_key: values}
BULK_ROWS = 10_000  # rows per bulk entry (keeps each JSON value a few MB, far below PostgreSQL's jsonb limit)


def record(user, action: str, model: str, object_key: str | int = "", before: Any = None, after: Any = None,
           batch: str = "", note: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        user=user if getattr(user, "pk", None) else None, action=action, model=model,
        object_key=str(object_key), before=before, after=after, batch=batch, note=note[:300],
    )


def record_many(user, action: str, model: str, changes: Iterable[tuple[str, Any, Any]], batch: str = "",
                note: str = "") -> int:
    """Bulk audit: `changes` yields (object_key, before, after) as Python values."""
    def text(v):
        return None if v is None else json.dumps(v, ensure_ascii=False)
    return record_rows(user, model, ((action, key, text(b), text(a)) for key, b, a in changes), batch, note)


def record_rows(user, model: str, rows: Iterable[tuple[str, str, str | None, str | None]], batch: str = "",
                note: str = "") -> int:
    """Bulk audit as plain executemany: `rows` yields (action, object_key, before, after) with before/after
    already JSON text (None = SQL NULL). One AuditEntry per row; the ORM's bulk_create of 100,000 JSON rows
    alone took longer than a whole import."""
    meta = AuditEntry._meta
    q = connection.ops.quote_name
    cols = ["at", "user", "action", "model", "object_key", "before", "after", "batch", "note"]
    sql = (f"INSERT INTO {q(meta.db_table)} ({', '.join(q(column_of(AuditEntry, c)) for c in cols)}) "
           f"VALUES ({', '.join(['%s'] * len(cols))})")
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    uid = user.pk if getattr(user, "pk", None) else None
    params = [(at, uid, action, model, str(key)[:100], before, after, batch, note[:300])
              for action, key, before, after in rows]
    with connection.cursor() as cursor:
        for i in range(0, len(params), CHUNK):
            cursor.executemany(sql, params[i:i + CHUNK])
    return len(params)


def record_bulk(user, model: str, changes: pl.DataFrame, batch: str = "", note: str = "") -> int:
    """Audit many row changes in few entries. `changes` has columns action, object_key, before, after
    (JSON text of each row's values, null = none). Rows are packed per action into entries whose
    object_key is BULK and whose before/after map each row's object_key to its JSON, BULK_ROWS rows per
    entry. `changes_for` reads a row's history back from either form."""
    if changes.is_empty():
        return 0
    key = pl.struct(pl.col("object_key").alias("k")).struct.json_encode().str.slice(5).str.strip_suffix("}")

    def packed(col: str) -> pl.Expr:
        member = pl.concat_str([key, pl.lit(":"), pl.col(col).fill_null("null")])
        return pl.when(pl.col(col).is_not_null().any()).then(
            pl.concat_str([pl.lit("{"), member.str.join(","), pl.lit("}")]))

    entries = (changes.with_row_index("__n").with_columns(__part=pl.col("__n") // BULK_ROWS)
               .group_by("action", "__part", maintain_order=True)
               .agg(packed("before").alias("before"), packed("after").alias("after")))
    return record_rows(user, model, entries.select(
        "action", pl.lit(BULK).alias("object_key"), "before", "after").rows(),
        batch, note)


@dataclass(frozen=True)
class Change:
    """One audited change of one row."""

    at: datetime
    user: Any
    action: str
    before: Any
    after: Any
    batch: str
    note: str


def changes_for(model, object_key) -> list[Change]:
    """Every audited change of one row, oldest first, from per-write and bulk entries alike. `model` is a
    model class (entries under its label or bare class name, as the admin records them) or a name.
    Object keys are ASCII codes (uscc, uscc/year, zone/period/indicator): on SQLite, the JSON paths Django
    writes match no key with a double quote or a non-ASCII character, so such a key is found in
    per-write entries only there."""
    key = str(object_key)
    names = [model] if isinstance(model, str) else [model._meta.label, model.__name__]
    in_bulk = Q(object_key=BULK) & (Q(after__has_key=key) | Q(before__has_key=key))
    def row(field: str) -> Case:  # only this row's part of a bulk entry leaves the database
        return Case(When(object_key=BULK, then=KeyTransform(key, field)), default=F(field), output_field=JSONField())

    entries = (AuditEntry.objects.filter(Q(model__in=names) & (Q(object_key=key) | in_bulk))
               .annotate(row_before=row("before"), row_after=row("after"))
               .defer("before", "after").select_related("user").order_by("at", "id"))
    return [Change(e.at, e.user, e.action, e.row_before, e.row_after, e.batch, e.note) for e in entries]
