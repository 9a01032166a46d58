"""What each import kind's columns are. Derived from the models: field name = canonical key,
verbose_name = Chinese label, help_text = unit, validators = bounds, choices = codes."""

from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from jingkai.enterprises.models import Enterprise, EnterpriseYear
from jingkai.zones.models import IndicatorValue

FRACTION_UNITS = {"比例（0—1）", "fraction"}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str = ""
    type: str = "str"  # str float int bool date choice list period uscc industry zone indicator
    required: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int | None = None
    field: str | None = None  # model field written; None = validated only (or resolved to a key)

    @property
    def header(self) -> str:
        return f"{self.label}（{self.unit}）" if self.unit else self.label

    @property
    def display(self) -> str:
        """How an error names the column: the Chinese label with the key in parentheses."""
        return f"{self.label}（{self.key}）"

    @property
    def fraction(self) -> bool:
        return self.unit in FRACTION_UNITS


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    keys: tuple[str, ...]  # canonical keys that identify a row

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}


def column_from_field(field: models.Field, **overrides) -> Column:
    bounds = {"min": None, "max": None}
    for v in field.validators:
        if isinstance(v, MinValueValidator):
            bounds["min"] = v.limit_value
        elif isinstance(v, MaxValueValidator):
            bounds["max"] = v.limit_value
    if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField) and bounds["min"] is None:
        bounds["min"] = 0
    if field.choices:
        kind = "choice"
    elif isinstance(field, models.BooleanField):
        kind = "bool"
    elif isinstance(field, models.IntegerField):
        kind = "int"
    elif isinstance(field, models.FloatField):
        kind = "float"
    elif isinstance(field, models.DateField):
        kind = "date"
    elif isinstance(field, models.JSONField):
        kind = "list"
    else:
        kind = "str"
    unit = field.help_text if kind in ("float", "int") else ""
    spec = {"key": field.name, "label": str(field.verbose_name), "unit": str(unit), "type": kind,
            "choices": tuple((str(k), str(v)) for k, v in field.choices or ()),
            "max_length": getattr(field, "max_length", None) if kind == "str" else None,
            "field": field.name, **bounds}
    return Column(**(spec | overrides))


def _fields(model, names):
    return [model._meta.get_field(n) for n in names]


ENTERPRISES = Kind(
    "enterprises", "企业名录", Enterprise,
    (
        column_from_field(Enterprise._meta.get_field("uscc"), type="uscc", required=True),
        column_from_field(Enterprise._meta.get_field("name"), required=True),
        Column("zone_code", "所在园区", type="zone", required=True, field="zone_id"),
        column_from_field(Enterprise._meta.get_field("industry_code"), type="industry", required=True,
                          unit="GB/T 4754-2017"),
        *[column_from_field(f) for f in _fields(Enterprise, [
            "established", "size_class", "ownership", "above_scale", "listed", "chain", "chain_link",
            "credit_class"])],
    ),
    ("uscc",),
)

_YEAR_FIELDS = [f for f in EnterpriseYear._meta.concrete_fields if f.name not in {"id", "enterprise", "year"}]
ENTERPRISE_YEARS = Kind(
    "enterprise-years", "企业年度数据", EnterpriseYear,
    (
        Column("uscc", "统一社会信用代码", type="uscc", required=True, field="enterprise_id"),
        column_from_field(EnterpriseYear._meta.get_field("year"), required=True, unit=""),
        *[column_from_field(f) for f in _YEAR_FIELDS],
    ),
    ("uscc", "year"),
)

ZONE_INDICATORS = Kind(
    "zone-indicators", "园区指标值", IndicatorValue,
    (
        Column("zone_code", "园区代码", type="zone", required=True, field="zone_id"),
        Column("period", "期间", type="period", required=True, field="period"),
        Column("indicator", "指标代码", type="indicator", required=True, field="indicator_id"),
        Column("value", "数值", type="float", required=True, field="value"),
        Column("unit", "单位", type="str", max_length=30),
        column_from_field(IndicatorValue._meta.get_field("source")),
        column_from_field(IndicatorValue._meta.get_field("note")),
    ),
    ("zone_code", "period", "indicator"),
)

KINDS = {k.name: k for k in (ENTERPRISES, ENTERPRISE_YEARS, ZONE_INDICATORS)}


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"未知的数据类型“{name}”，应为 {' / '.join(KINDS)}") from None
