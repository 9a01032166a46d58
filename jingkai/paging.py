"""Paging shared by every list endpoint of the API: `limit`/`offset` in, `{"count": N, "items": [...]}` out.
Domain routers use it without importing the API package."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, OrderBy, Q, QuerySet
from ninja import Field, Schema

MAX_LIMIT = 1000
MAX_OFFSET = 10**9  # rows skipped at most, by the API's `offset` and the pages' `page` alike: beyond any table
# here, and within every database's integer (a larger API offset is a 422, a larger page the last page)


class Paging(Schema):
    limit: int = Field(100, ge=0, description=f"每页条数，最多 {MAX_LIMIT}（更大的值按 {MAX_LIMIT} 计）")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"跳过的条数，最多 {MAX_OFFSET}")


class Rows(Protocol):
    """What `paginate` pages through: a queryset, or rows that count and slice themselves (enterprise-years)."""

    def count(self) -> int: ...

    def __getitem__(self, page: slice, /) -> Iterable[Any]: ...


def paginate(queryset: Rows, paging: Paging, item: Callable[[Any], Any] = lambda row: row) -> dict:
    limit = min(paging.limit, MAX_LIMIT)
    rows = queryset[paging.offset : paging.offset + limit]
    return {"count": queryset.count(), "items": [item(row) for row in rows]}


# ---- paging of the pages' lists (the task register, the evaluation ranking): ?page=N&size=M ----

PAGE_SIZES = (20, 50, 100, 200)


def record_id(raw: Any) -> int | None:
    """A record id posted by a form (`account=12`): None for anything that is not one (text, a sign, a number
    beyond every table), so that the view answers 404, never a 500 from the database."""
    text = str(raw or "").strip()
    return int(text) if text.isdecimal() and text.isascii() and len(text) <= len(str(MAX_OFFSET)) else None


def page_number(raw: Any, per_page: int) -> int:
    """The page a `?page=` value asks for, within MAX_OFFSET (the bound the API's `offset` has): not a number
    is the first page, a larger one the page at the bound (the paginator then takes the last page there is)."""
    text = str(raw or "").strip()
    if not text.isdecimal() or not text.isascii():
        return 1
    # digits beyond the bound's are past it anyway (and int() of thousands of digits is refused by Python)
    number = int(text) if len(text) <= len(str(MAX_OFFSET)) else MAX_OFFSET
    return max(1, min(number, MAX_OFFSET // per_page + 1))


def page_of(rows: Any, params: Any, default_size: int = 50) -> Page:
    """The page of `rows` (a list or a queryset) that the query string asks for: `size` one of PAGE_SIZES
    (else `default_size`), `page` a number (out of range or not a number: the nearest page, never an error).
    A queryset is paged by keyset (`KeysetPaginator`). The template includes web/_paging.html with it."""
    size = params.get("size")
    per_page = int(size) if size in {str(n) for n in PAGE_SIZES} else default_size
    paginator = KeysetPaginator(rows, per_page) if isinstance(rows, QuerySet) else Paginator(rows, per_page)
    page = paginator.get_page(page_number(params.get("page"), per_page))
    page.sizes = PAGE_SIZES  # type: ignore[attr-defined]
    return page


Key = tuple[str, bool, bool]  # (field path, descending, NULLs last)


def _sort_keys(queryset: QuerySet) -> list[Key] | None:
    """The queryset's order as keys (NULLs placed as the database places them by default), made unique (the
    primary key last); None where a term is not a plain field (an expression, a random order): such a list is
    paged by OFFSET."""
    if queryset.query.combinator or queryset.query.is_sliced or queryset.query.distinct_fields:
        return None
    largest = connection.features.nulls_order_largest  # PostgreSQL: NULL sorts as the largest value; SQLite: smallest
    keys: list[Key] = []
    for term in list(queryset.query.order_by) or list(queryset.model._meta.ordering):
        if isinstance(term, str) and term != "?" and "." not in term:
            name, desc = term.removeprefix("-"), term.startswith("-")
            nulls_last = desc != largest
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            name, desc = str(term.expression.name), bool(term.descending)  # type: ignore[attr-defined]
            nulls_last = bool(term.nulls_last) or (not term.nulls_first and desc != largest)
        else:
            return None
        keys.append((name, desc, nulls_last))
    if not any(name in ("pk", queryset.model._meta.pk.name) for name, _, _ in keys):
        keys.append(("pk", False, True))
    return keys


def _terms(keys: list[Key]) -> list[Any]:
    """The order_by terms of `keys`, NULLs placed explicitly."""
    terms = []
    for name, desc, nulls_last in keys:
        place = {"nulls_last": True} if nulls_last else {"nulls_first": True}
        terms.append(F(name).desc(**place) if desc else F(name).asc(**place))
    return terms


def _reversed(keys: list[Key]) -> list[Key]:
    return [(name, not desc, not nulls_last) for name, desc, nulls_last in keys]


def _after(keys: list[Key], anchor: Sequence[Any]) -> Q:
    """The rows that sort after `anchor` (a row's values of `keys`): the lexicographic comparison, each key
    with its direction and its NULLs' place."""
    def beyond(name: str, desc: bool, nulls_last: bool, value: Any) -> Q:
        if value is None:  # after a NULL: nothing when NULLs come last, every non-NULL when they come first
            return Q(pk__in=[]) if nulls_last else Q(**{f"{name}__isnull": False})
        q = Q(**{f"{name}__{'lt' if desc else 'gt'}": value})
        return q | Q(**{f"{name}__isnull": True}) if nulls_last else q

    condition, same = Q(pk__in=[]), Q()
    for (name, desc, nulls_last), value in zip(keys, anchor, strict=True):
        condition |= same & beyond(name, desc, nulls_last, value)
        same &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    return condition


class KeysetPaginator(Paginator):
    """django's Paginator for a queryset, its pages read by keyset: page N is the first `per_page` rows after
    the last row of page N−1 (the anchor: its sort keys and primary key), so the database reads one page of
    wide rows whatever N. Page numbers and the page jump are kept: the anchor of any page is found by a narrow
    query (the sort keys and primary key only, no wide column read or sorted), counted from the nearer end of
    the list (pages past the middle are read in reverse order, the last page without an anchor), so the
    offset scanned is at most half the list of narrow rows. An order that is not plain fields is paged by
    OFFSET, as django's Paginator does."""

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        rows: Any = self.object_list
        keys = _sort_keys(rows)
        if keys is None:
            return super().page(number)
        before = (number - 1) * self.per_page  # rows before the page
        after = self.count - before - self.per_page  # rows after it
        backwards = after < before
        if backwards:
            keys = _reversed(keys)
        ordered = rows.order_by(*_terms(keys))
        skip, size = (max(after, 0), min(self.per_page, self.count - before)) if backwards else (before, self.per_page)
        if skip:
            anchor = ordered.values_list(*[name for name, _, _ in keys])[skip - 1]
            ordered = ordered.filter(_after(keys, anchor))
        found = list(ordered[:size])
        return Page(found[::-1] if backwards else found, number, self)
