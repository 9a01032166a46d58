"""What the reporting cycle locks (`zones.locked_periods`, see jingkai.zones.locks): once the province has
approved a zone's report for a period, the indicators of that report's calendar no longer change by entry or
import for that zone and period."""

from __future__ import annotations

from collections.abc import Collection

from jingkai.monitoring.models import Submission


def locked_values(zone_ids: Collection[int], periods: Collection[str]) -> list[tuple[int, str, int]]:
    """(zone id, period, indicator id) of every value an approved submission covers."""
    return list(Submission.objects.filter(
        state=Submission.State.APPROVED, zone_id__in=list(zone_ids), period__in=list(periods),
        calendar__indicators__isnull=False,
    ).values_list("zone_id", "period", "calendar__indicators").distinct())
