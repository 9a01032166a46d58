"""What an import kind is: its columns, derived from the models (field name = canonical key,
verbose_name = Chinese label, help_text = unit, validators = bounds, choices = codes), and the functions
of the app that owns it (how validated rows become writes, what an export reads). The kinds themselves
live in their apps (`jingkai.<app>.imports`, declared as `Domain(import_kinds=...)`) and are found through
`jingkai.intake.kinds.all_kinds`.

Intake is the machinery below the domains: it imports none of them. A column whose values need a domain's
knowledge (统一社会信用代码, 行业代码, 园区代码, 指标代码) has a `ColumnType` defined by the app that owns
that knowledge, carrying its parser and, for codes, what it reads once per import and the template's
dropdown."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from jingkai.bulk import concrete_field

if TYPE_CHECKING:
    import polars as pl

    from jingkai.accounts.scope import Scope
    from jingkai.intake.planning import Plan, PlanContext

FRACTION_UNITS = {"比例（0—1）", "fraction"}

# What a parser returns: the typed values, the mask of bad cells (None: no cell can be bad) and the
# message of a bad cell (one text, or one per row).
Parsed = tuple["pl.Series", "pl.Series | None", "str | pl.Series"]


@dataclass(frozen=True)
class ColumnType:
    """A column type owned by a domain app. `parse(cells, known)` is vectorised over the trimmed cells
    (text, empty = null) and gets what `load()` read once per import (code → id …; None without `load`);
    the plan finds it too, in `PlanContext.known[name]`. `choices()`: the (code, label) pairs of the
    template's dropdown. `description` tells the template's reader what to write."""

    name: str  # "uscc", "zone" …: the key of `PlanContext.known`
    description: str  # 18位统一社会信用代码
    parse: Callable[[pl.Series, Any], Parsed]
    load: Callable[[], Any] | None = None
    choices: Callable[[], list[tuple[str, str]]] | None = None
    example: str = ""  # a valid value for the template's 示例 row

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str = ""
    type: str | ColumnType = "str"  # str float int bool date choice list period, or a domain's ColumnType
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

    def codes(self) -> list[tuple[str, str]]:
        """(code, label) of the column's codes: a domain type's choices or a model field's; none otherwise."""
        if isinstance(self.type, ColumnType):
            return self.type.choices() if self.type.choices else []
        return list(self.choices)


def shown_names(codes: list[tuple[str, str]]) -> dict[str, str]:
    """code → what a person picks from a drop-down and reads in an export: the name (兰州经济技术开发区, 小型), or
    "code name" for all of a list whose names repeat (行业: C3841 锂离子电池制造)."""
    repeated = any(n > 1 for n in Counter(label for _, label in codes).values())
    return {code: f"{code} {label}" if repeated else label for code, label in codes}


def code_of_name(codes: list[tuple[str, str]]) -> dict[str, str]:
    """What the import accepts for a code besides the code itself: the shown name, "code name" and a name
    that no other code has."""
    counts = Counter(label for _, label in codes)
    return ({label: code for code, label in codes if counts[label] == 1}
            | {f"{code} {label}": code for code, label in codes} | {v: k for k, v in shown_names(codes).items()})


@dataclass(frozen=True)
class Wide:
    """A wide, 报表-style layout of a long kind: one column per item (the 统计局 月报 form: 园区, 期间, then one
    column per indicator) instead of one row per item. `items()`: (key, label, unit) of the columns, read
    from the catalogue when the template is made and when a file is read; `item` and `value` are the long
    kind's columns a wide cell becomes."""

    title: str  # 月报表
    item: str
    value: str
    items: Callable[[], list[tuple[str, str, str]]]
    keep: tuple[str, ...] = ()  # the long kind's other columns that apply to a whole row (来源, 备注)
    # item key → its unit ("" for a fraction) for every item the long format may name, so that its value
    # column reads 123万元 as the wide layout does (None: the long format's values take no unit)
    units: Callable[[], dict[str, str]] | None = None


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
    # The codes of the zones the rows belong to: `--zone`, the user's writable zones and an export's zone are
    # checked against `zone.load()` (zone code → id, as the scope counts zones by id). None: not by zone.
    zone: ColumnType | None = None
    wide: Wide | None = None

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    @property
    def column_types(self) -> dict[str, ColumnType]:
        """The domain column types the kind uses (its columns' and its zone's), by name."""
        types = [c.type for c in self.columns if isinstance(c.type, ColumnType)]
        return {t.name: t for t in (*types, *([self.zone] if self.zone else []))}


def column_from_field(field: models.Field, **overrides: Any) -> Column:
    low: float | None = None
    high: float | None = None
    for v in field.validators:
        if isinstance(v, MinValueValidator):
            low = v.limit_value
        elif isinstance(v, MaxValueValidator):
            high = v.limit_value
    if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField) and low is None:
        low = 0
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
    column = Column(key=field.name, label=str(field.verbose_name), unit=str(unit), type=kind,
                    choices=tuple((str(k), str(v)) for k, v in field.choices or ()),
                    max_length=getattr(field, "max_length", None) if kind == "str" else None,
                    field=field.name, min=low, max=high)
    return replace(column, **overrides)


def columns_of(model: type[models.Model], names: list[str]) -> list[Column]:
    return [column_from_field(concrete_field(model, n)) for n in names]


def wide_kind(kind: Kind) -> Kind:
    """The kind as its wide template lays it out: the long kind's key columns (园区, 期间), one number column per
    item (key = the item's code, heading = its name and unit), then its other columns (来源, 备注)."""
    assert kind.wide is not None
    w = kind.wide
    fixed = [c for c in kind.columns if c.key not in (w.item, w.value, "unit")]
    ids = tuple(c for c in fixed if c.key in kind.keys)
    rest = tuple(c for c in fixed if c.key in w.keep)  # a per-item column (上年同期调整值) has no place in it
    items = tuple(Column(key, label, unit, type="float", min=0.0 if unit in FRACTION_UNITS else None,
                         max=1.0 if unit in FRACTION_UNITS else None) for key, label, unit in w.items())
    return replace(kind, name=f"{kind.name}-wide", title=f"{kind.title}{w.title}", columns=ids + items + rest, wide=None)
