"""Recording writes. Services call these inside the same transaction as the write itself."""

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils import timezone

from jingkai.audit.models import AuditEntry

CHUNK = 5000


def record(user, action: str, model: str, object_key: str = "", before: Any = None, after: Any = None,
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
    sql = (f"INSERT INTO {q(meta.db_table)} ({', '.join(q(meta.get_field(c).column) for c in cols)}) "
           f"VALUES ({', '.join(['%s'] * len(cols))})")
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    uid = user.pk if getattr(user, "pk", None) else None
    params = [(at, uid, action, model, str(key)[:100], before, after, batch, note[:300])
              for action, key, before, after in rows]
    with connection.cursor() as cursor:
        for i in range(0, len(params), CHUNK):
            cursor.executemany(sql, params[i:i + CHUNK])
    return len(params)
