"""What an import kind is: its columns, derived from the models (field name = canonical key,
verbose_name = Chinese label, help_text = unit, validators = bounds, choices = codes), and the functions
of the app that owns it (how validated rows become writes, what an export reads). The kinds themselves
live in their apps (`jingkai.<app>.imports`) and are found through `jingkai.intake.kinds.all_kinds`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

if TYPE_CHECKING:
    import polars as pl

    from jingkai.accounts.scope import Scope
    from jingkai.intake.planning import Plan, PlanContext

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
    """An import kind. `plan` turns the validated rows into the writes (one Plan per table written),
    adding its own checks; `rows` reads what a scope sees for export: (scope, zone code or None,
    period text or None) → one column per canonical key."""

    name: str
    title: str
    columns: tuple[Column, ...]
    keys: tuple[str, ...]  # canonical keys that identify a row
    plan: Callable[[PlanContext], list[Plan]]
    rows: Callable[[Scope, str | None, str | None], pl.DataFrame]

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


def columns_of(model: type[models.Model], names: list[str]) -> list[Column]:
    return [column_from_field(model._meta.get_field(n)) for n in names]


def get_kind(name: str) -> Kind:
    from jingkai.intake.kinds import all_kinds

    kinds = all_kinds()
    try:
        return kinds[name]
    except KeyError:
        raise ValueError(f"未知的数据类型“{name}”，应为 {' / '.join(kinds)}") from None
