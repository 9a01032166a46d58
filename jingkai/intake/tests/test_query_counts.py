"""The import page runs a bounded number of queries, whatever the number of zones and values."""

import pytest

from jingkai.site_fixtures import assert_bounded_queries, grow_site_data


@pytest.mark.parametrize("who", ["prov_user", "lz_zone_user", "dept_user"])
def test_import_page_queries_do_not_grow_with_rows(client, site_data, request, who, django_assert_max_num_queries):
    client.force_login(request.getfixturevalue(who))
    assert_bounded_queries(client, "/import/", 4, lambda: grow_site_data(site_data), django_assert_max_num_queries)
