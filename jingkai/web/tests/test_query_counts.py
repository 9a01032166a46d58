"""The overview runs a bounded number of queries, whatever the number of zones, values and enterprises."""

import pytest

from jingkai.site_fixtures import assert_bounded_queries, grow_site_data
from jingkai.testing import make_user


@pytest.mark.parametrize("who", ["prov_user", "dept_user", "city"])
def test_overview_queries_do_not_grow_with_rows(client, site_data, request, who, django_assert_max_num_queries):
    user = make_user("lz-city", "city-620100") if who == "city" else request.getfixturevalue(who)
    client.force_login(user)
    # 10 for the overview (one asks monitoring which months are under review: zones.reviewed_periods), at most
    # 12 for the 待办 panel (web.todo): monitoring 3, measures 1 for the reports, 2 for the reviewing permission
    # and up to 5 for the tasks' statuses (as the register computes them)
    assert_bounded_queries(client, "/", 22, lambda: grow_site_data(site_data), django_assert_max_num_queries)
