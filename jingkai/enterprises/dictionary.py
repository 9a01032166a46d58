"""The enterprise fields for the 数据字典 page (extension point "web.dictionary", jingkai.registry): the
企业名录 fields and each yearly fact table's, as the models declare them (label, unit). No field has an
official definition on file yet: each says so and is marked 待核实."""

from __future__ import annotations

from django.db import models

from jingkai.enterprises.models import YEAR_TABLES, Enterprise
from jingkai.registry import DictionaryEntry, DictionarySection

SOURCE = "园区管委会（企业数据导入）"
# The models' help_text as the page says it: (unit, note)
UNITS = {"比例（0—1）": ("%", "按比例录入，如 0.125 即 12.5%"),
         "GB/T 4754-2017": ("", "按 GB/T 4754-2017 国民经济行业分类填写代码"), "0—4级": ("级", "取值 0—4"),
         "0—4项": ("项", "取值 0—4")}
NOT_FIELDS = {"id", "updated_at"}


def _kind(field: models.Field) -> str:
    if field.choices:
        return "可选：" + "、".join(str(label) for value, label in field.flatchoices if value != "")
    if isinstance(field, models.BooleanField):
        return "是/否"
    if isinstance(field, models.DateField):
        return "日期"
    if isinstance(field, models.JSONField):
        return "可填多项，以分号分隔"
    return ""


def unit_of(field: models.Field) -> tuple[str, str]:
    """A fact's unit as the dictionary states it (% for a ratio entered 0—1) and
    the hint that goes with it."""
    text = str(field.help_text or "")
    return UNITS.get(text, (text, ""))


def _entry(field: models.Field) -> DictionaryEntry:
    unit, hint = unit_of(field)
    zone = field.name == "zone"
    return DictionaryEntry(name="所在园区" if zone else str(field.verbose_name), key="zone_code" if zone else field.name,
                           unit=unit, definition="", source=SOURCE, verified=False,
                           note="；".join(x for x in (_kind(field), hint) if x))


def sections() -> list[DictionarySection]:
    fields = [f for f in Enterprise._meta.concrete_fields if f.name not in NOT_FIELDS]
    found = [DictionarySection("企业名录", "每家企业一行，以统一社会信用代码识别。", tuple(_entry(f) for f in fields))]
    for table in YEAR_TABLES:
        found.append(DictionarySection(str(table._meta.verbose_name), "每家企业每年一行（统一社会信用代码＋年度）。",
                                       tuple(_entry(f) for f in table.fact_fields())))
    return found
