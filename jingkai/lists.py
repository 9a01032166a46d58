"""The pages' lists, one way everywhere: sortable columns (`?sort=KEY&dir=desc`, only the keys a list declares),
paging (`jingkai.paging.page_of`: `?page=N&size=M`) and the export of the current list (`?export=xlsx`: every
row the filters and the sort give, not only the page, written by `jingkai.spreadsheets`).

A view declares its columns once; the same `Column` sorts the page, heads its table
(`{% sort_heading listing "key" %}` in web's `jingkai_web` tags) and writes the export's column. The search
form's buttons (查询, 重置, the export) are the partial `web/_list_actions.html`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpResponse

from jingkai.downloads import XLSX, download
from jingkai.paging import page_of
from jingkai.spreadsheets import TEXT, Book, Col, chinese_date

EXPORT = "export"  # ?export=xlsx on a list's URL: the current list as an Excel file


def natural_key(value: Any) -> tuple:
    """Sorts item numbers as people count: 1.1, 1.2, 1.10 (not 1.1, 1.10, 1.2); text compares by its runs of
    digits as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(value)) if part != "")


@dataclass(frozen=True)
class Column:
    """A column of a list: its sort key (the `?sort=` value), its heading (with the unit), how a row gives its
    value (a function, or a dotted attribute path "task.owner.name"), and how it sorts: `natural` for item
    numbers; `field` the database field(s) a queryset orders by ("zone__code,name"; a queryset sorts in the
    database only)."""

    key: str
    label: str
    value: Callable[[Any], Any] | str = ""
    kind: str = TEXT  # how the export writes it (spreadsheets.TEXT, NUMBER, INTEGER, PERCENT)
    natural: bool = False
    field: str = ""
    sortable: bool = True

    def of(self, row: Any) -> Any:
        """The row's value: a function's result, or the dotted path followed through attributes, mapping keys
        and sequence positions ("cells.0.status", "scores.economy"); a missing step is None."""
        if callable(self.value):
            return self.value(row)
        value = row
        for name in (self.value or self.key).split("."):
            if isinstance(value, Mapping):
                value = value.get(name)
            elif isinstance(value, Sequence) and not isinstance(value, str) and name.isdigit():
                value = value[int(name)] if int(name) < len(value) else None
            else:
                value = getattr(value, name, None)
            if value is None:
                return None
        return value() if callable(value) else value


@dataclass
class Listing:
    """A list as the page shows it: the sorted rows, the current page of them, the sort."""

    rows: Any  # every row after filters and sort (a list or a queryset)
    page: Any  # the current page (django Paginator page, with `sizes`)
    columns: Sequence[Column]
    sort: str
    descending: bool
    by_key: dict[str, Column] = field(init=False)

    def __post_init__(self) -> None:
        self.by_key = {c.key: c for c in self.columns}


def _ordered(rows: Any, column: Column, descending: bool) -> Any:
    if isinstance(rows, QuerySet):
        if not column.field:
            return rows
        # empty values last either way, as in the sorted lists
        order = [F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
                 for name in column.field.split(",")]
        return rows.order_by(*order, "pk")
    values = [(column.of(row), row) for row in rows]
    present = [pair for pair in values if pair[1] is not None and pair[0] not in (None, "")]
    missing = [row for value, row in values if value in (None, "")]
    key = (lambda pair: natural_key(pair[0])) if column.natural else (lambda pair: pair[0])
    return [row for _, row in sorted(present, key=key, reverse=descending)] + missing


def listing(rows: Any, params: Any, columns: Sequence[Column], *, default_sort: str = "",
            default_size: int = 50) -> Listing:
    """The list the query string asks for. An unknown sort key is the default order (`default_sort`, "-at" for
    newest first; the rows as given when there is none); `dir=asc|desc` sets the direction. Rows are a list (sorted here) or a queryset (sorted by the
    database)."""
    sortable = {c.key: c for c in columns if c.sortable}
    default_key = default_sort.removeprefix("-")
    sort = params.get("sort") or ""
    if sort not in sortable:
        sort = default_key if default_key in sortable else ""
    direction = params.get("dir")
    descending = direction == "desc" if direction in ("asc", "desc") else (
        sort == default_key and default_sort.startswith("-"))
    if sort:
        rows = _ordered(rows, sortable[sort], descending)
    return Listing(rows, page_of(rows, params, default_size), columns, sort, descending)


def wants_export(params: Any) -> bool:
    return params.get(EXPORT) == "xlsx"


def export(current: Listing, *, title: str, filename: str, subtitle: str = "", as_of: dt.date | None = None,
           rows: Iterable[Any] | None = None, columns: Sequence[Column] | None = None) -> HttpResponse:
    """The current list (every page, filtered and sorted as shown) as an Excel download. `rows` and `columns`,
    when given, replace the listing's (a list whose rows are read apart from its queryset, the operation log)."""
    cols = list(columns or current.columns)
    as_of = as_of or dt.date.today()
    book = Book(title=title, as_of=as_of)
    values = [[c.of(row) for c in cols] for row in (current.rows if rows is None else rows)]
    book.table("列表", [Col(c.label, c.kind) for c in cols], values, title=title,
               subtitle=subtitle or f"共 {len(values)} 条，导出于{chinese_date(as_of)}", empty="没有符合条件的记录")
    return download(book.close(), XLSX, f"{filename}.xlsx")
