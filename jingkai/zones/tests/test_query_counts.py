"""The zone list and the zone page run a bounded number of queries, whatever the number of zones, indicator
values and enterprises."""

import pytest

from jingkai.registry import provided
from jingkai.site_fixtures import assert_bounded_queries, grow_site_data
from jingkai.zones.selectors import INDICATOR_OFFERS


# The zone page: 9 queries of its own and, since the 招商 pipeline panel (investment) and the KPI cards (monitoring), 11.
@pytest.mark.parametrize(("who", "url", "bound"), [
    ("prov_user", "/zones/", 7), ("prov_user", "/zones/?all=1&level=provincial", 7), ("prov_user", "/zones/GS-LZ/", 11),
    ("lz_zone_user", "/zones/GS-LZ/", 11),  # a zone committee has no list: /zones/ takes it to its page
])
def test_zone_pages_queries_do_not_grow_with_rows(client, site_data, request, who, url, bound,
                                                  django_assert_max_num_queries):
    client.force_login(request.getfixturevalue(who))
    assert_bounded_queries(client, url, bound, lambda: grow_site_data(site_data), django_assert_max_num_queries)


@pytest.mark.parametrize("who", ["prov_user", "lz_zone_user", "dept_user"])
def test_indicator_entry_queries_do_not_grow_with_rows(client, site_data, request, who,
                                                       django_assert_max_num_queries):
    url = "/indicators/entry/?zone=GS-LZ&period=2025-09"
    if who == "dept_user":
        url = "/indicators/entry/"  # departments do not enter zone data: the page explains it
    client.force_login(request.getfixturevalue(who))
    # one query more per domain offering figures (zones.indicator_offers: one aggregate each)
    bound = 8 + len(provided(INDICATOR_OFFERS))
    assert_bounded_queries(client, url, bound, lambda: grow_site_data(site_data), django_assert_max_num_queries)
