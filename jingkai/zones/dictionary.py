"""The indicator catalogue for the 数据字典 page (extension point "web.dictionary", jingkai.registry): every
indicator with its definition, unit, source department and whether its 口径 is verified."""

from __future__ import annotations

from jingkai.registry import DictionaryEntry, DictionarySection
from jingkai.zones.models import Indicator

UNITS = {"fraction": "%（按比例录入，如 0.035 即 3.5%）"}


def _note(indicator: Indicator) -> str:
    parts = [indicator.get_frequency_display() + ("，1月起按年累计" if indicator.cumulative else "")]
    parts.append(indicator.get_direction_display())
    low, high = indicator.lower_bound, indicator.upper_bound
    if low is not None and high is not None:
        parts.append(f"有效范围 {low:g} 至 {high:g}")
    elif low is not None:
        parts.append(f"不小于 {low:g}")
    elif high is not None:
        parts.append(f"不大于 {high:g}")
    return "；".join(parts)


def sections() -> list[DictionarySection]:
    indicators = Indicator.objects.select_related("source_department").order_by("id")
    entries = tuple(DictionaryEntry(
        name=i.name, key=i.key, unit=UNITS.get(i.unit, i.unit), definition=i.definition,
        source=i.source_department.name if i.source_department else "", verified=not i.unverified, note=_note(i))
        for i in indicators)
    return [DictionarySection("园区指标", "园区报送和导入的指标（园区指标目录），期间按月、季或年。", entries)]
