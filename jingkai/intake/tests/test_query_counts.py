"""The import page and the indicator entry form run a bounded number of queries, whatever the number of zones
and values."""

import pytest

from jingkai.site_fixtures import assert_bounded_queries, grow_site_data


@pytest.mark.parametrize(("url", "bound"), [("/import/", 4), ("/indicators/entry/?zone=GS-LZ&period=2025-09", 8)])
@pytest.mark.parametrize("who", ["prov_user", "lz_zone_user", "dept_user"])
def test_intake_pages_queries_do_not_grow_with_rows(client, site_data, request, who, url, bound,
                                                    django_assert_max_num_queries):
    if who == "dept_user" and "entry" in url:
        url = "/indicators/entry/"  # departments do not enter zone data: the page explains it
    client.force_login(request.getfixturevalue(who))
    assert_bounded_queries(client, url, bound, lambda: grow_site_data(site_data), django_assert_max_num_queries)
