"""Paging shared by every list endpoint of the API: `limit`/`offset` in, `{"count": N, "items": [...]}` out.
Domain routers use it without importing the API package."""

from collections.abc import Callable, Iterable
from typing import Any, Protocol

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


def page_number(raw: Any, per_page: int) -> int:
    """The page a `?page=` value asks for, within MAX_OFFSET (the bound the API's `offset` has): not a number
    is the first page, a larger one the page at the bound (the paginator then takes the last page there is)."""
    text = str(raw or "").strip()
    if not text.isdecimal() or not text.isascii():
        return 1
    # digits beyond the bound's are past it anyway (and int() of thousands of digits is refused by Python)
    number = int(text) if len(text) <= len(str(MAX_OFFSET)) else MAX_OFFSET
    return max(1, min(number, MAX_OFFSET // per_page + 1))


def page_of(rows: Any, params: Any, default_size: int = 50) -> Any:
    """The page of `rows` (a list or a queryset) that the query string asks for: `size` one of PAGE_SIZES
    (else `default_size`), `page` a number (out of range or not a number: the nearest page, never an error).
    The template includes web/_paging.html with it."""
    from django.core.paginator import Paginator

    size = params.get("size")
    per_page = int(size) if size in {str(n) for n in PAGE_SIZES} else default_size
    page = Paginator(rows, per_page).get_page(page_number(params.get("page"), per_page))
    page.sizes = PAGE_SIZES  # type: ignore[attr-defined]
    return page
