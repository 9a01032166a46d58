"""Approved data stays approved: which zone indicator values are locked, asked of the domains that approve
them through the extension point `zones.locked_periods` (monitoring provides it: a month the province has
approved locks the indicators of its report). Zones never imports the approving domain.

A provider is a callable `(zone ids, periods) -> iterable of (zone id, period, indicator id)`: the values
that may no longer change by entry or import (a correction goes through a 更正申请)."""

from __future__ import annotations

from collections.abc import Collection

from jingkai.registry import provided

LOCKED_PERIODS = "zones.locked_periods"

Locked = tuple[int, str, int]  # (zone id, period, indicator id)


def locked_values(zone_ids: Collection[int], periods: Collection[str]) -> set[Locked]:
    if not zone_ids or not periods:
        return set()
    found: set[Locked] = set()
    for provider in provided(LOCKED_PERIODS):
        found.update((int(z), str(p), int(i)) for z, p, i in provider(zone_ids, periods))
    return found


def locked_message(zone_name: str, period_label: str, indicator_name: str) -> str:
    return (f"{zone_name} {period_label}的“{indicator_name}”已审核，数据已锁定；"
            "如需更正请提交更正申请（写明原因，经审核后更正）")
