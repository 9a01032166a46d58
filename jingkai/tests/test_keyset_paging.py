"""Lists are paged by keyset (jingkai.paging.KeysetPaginator): every page, the last one included, holds the rows
OFFSET paging gives under each sort (ties, NULLs first or last, either direction, across a join), and a page
costs the same few queries whatever its number."""

import datetime as dt
import random

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from jingkai.enterprises.models import Enterprise
from jingkai.enterprises.uscc import make_uscc
from jingkai.paging import KeysetPaginator, page_of
from jingkai.programmes.models import ProgrammeResult, ProgrammeRun

ROWS = 137  # pages of 20: the last one partly filled


@pytest.fixture
def results(zones):
    rng = random.Random(7)
    lz, jc = zones["GS-LZ"], zones["GS-JC"]
    enterprises = Enterprise.objects.bulk_create([
        Enterprise(uscc=make_uscc((lz if i % 3 else jc).division_code, f"{i + 1:08d}"), name=f"企业{rng.randint(0, 40):02d}",
                   zone=lz if i % 3 else jc, industry_code="C3841") for i in range(ROWS)])
    run = ProgrammeRun.objects.create(program="mujun-gansu", ruleset="mujun-gansu-2024", rules_sha256="0" * 64,
                                      evaluation_date=dt.date(2025, 6, 1), year=2024, input_sha256="0" * 64)
    ProgrammeResult.objects.bulk_create([ProgrammeResult(
        run=run, enterprise=e, zone=e.zone, score=rng.choice([None, 50.0, 60.5, rng.uniform(0, 100)]),
        eligible=rng.choice([None, True, False]), gap_count=rng.randint(0, 3), klass=rng.choice([None, "A", "B"]))
        for e in enterprises])
    return ProgrammeResult.objects.filter(run=run).select_related("enterprise", "zone")


ORDERS = {
    "score desc, NULLs last": [F("score").desc(nulls_last=True), "enterprise__name"],
    "score asc, NULLs first": [F("score").asc(nulls_first=True)],
    "the database's NULLs": ["-klass", "gap_count"],
    "tier list": [F("eligible").desc(nulls_last=True), "gap_count", F("score").desc(nulls_last=True), "enterprise__name"],
    "join then pk": ["zone__code", "enterprise__name", "pk"],
}


@pytest.mark.parametrize("order", ORDERS.values(), ids=ORDERS.keys())
def test_every_page_holds_the_rows_offset_paging_gives(results, order):
    rows = results.order_by(*order)
    unique = rows.order_by(*order, "pk")  # OFFSET needs a total order too
    offset, keyset = Paginator(unique, 20), KeysetPaginator(rows, 20)
    assert keyset.num_pages == 7
    for n in range(1, 8):
        assert [r.pk for r in keyset.page(n)] == [r.pk for r in offset.page(n)], n
    assert len(keyset.page(7)) == ROWS - 6 * 20


def test_a_far_page_costs_the_queries_of_the_first(results):
    rows = results.order_by(F("score").desc(nulls_last=True), "enterprise__name")

    def queries(page: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            list(page_of(rows, {"page": page, "size": "20"}).object_list)
        return len(captured)
    assert queries("7") <= queries("1") + 1 <= 3  # the count, (the anchor,) the page
