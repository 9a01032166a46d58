"""What the reporting cycle locks (`zones.locked_periods`, see jingkai.zones.locks): once the province has
approved a zone's report for a period, the indicators of that report's calendar no longer change by entry or
import for that zone and period. The one way through is an approved 更正申请: while it writes its value through
the intake (`correcting`), that one value is open."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from jingkai.monitoring.models import Submission

Locked = tuple[int, str, int]  # (zone id, period, indicator id)
_correcting: ContextVar[frozenset[Locked]] = ContextVar("correcting", default=frozenset())


@contextmanager
def correcting(values: Collection[Locked]) -> Iterator[None]:
    """Open `values` for the write of an approved correction (this thread, this block only)."""
    token = _correcting.set(frozenset(values))
    try:
        yield
    finally:
        _correcting.reset(token)


def locked_values(zone_ids: Collection[int], periods: Collection[str]) -> list[Locked]:
    """(zone id, period, indicator id) of every value an approved submission covers."""
    rows = Submission.objects.filter(
        state=Submission.State.APPROVED, zone_id__in=list(zone_ids), period__in=list(periods),
        calendar__indicators__isnull=False,
    ).values_list("zone_id", "period", "calendar__indicators").distinct()
    open_now = _correcting.get()
    return [row for row in rows if row not in open_now]
