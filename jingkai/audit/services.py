"""Recording writes. Services call these inside the same transaction as the write itself."""

from collections.abc import Iterable
from typing import Any

from jingkai.audit.models import AuditEntry


def record(user, action: str, model: str, object_key: str = "", before: Any = None, after: Any = None,
           batch: str = "", note: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        user=user if getattr(user, "pk", None) else None, action=action, model=model,
        object_key=str(object_key), before=before, after=after, batch=batch, note=note[:300],
    )


def record_many(user, action: str, model: str, changes: Iterable[tuple[str, Any, Any]], batch: str = "",
                note: str = "") -> int:
    """Bulk audit: `changes` yields (object_key, before, after)."""
    user = user if getattr(user, "pk", None) else None
    entries = [
        AuditEntry(user=user, action=action, model=model, object_key=str(key), before=before, after=after,
                   batch=batch, note=note[:300])
        for key, before, after in changes
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)
