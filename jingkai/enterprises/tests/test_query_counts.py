"""The enterprise list (full page and HTMX results) and the enterprise page run a bounded number of queries,
whatever the number of enterprises, tags and years."""

import pytest

from jingkai.enterprises.models import Enterprise
from jingkai.site_fixtures import assert_bounded_queries, grow_site_data


# The enterprise page reads each of the six fact tables once (YEAR_TABLES): 6 more, whatever the rows; the
# inspections panel (入企检查日历) one more and its 操作记录 (the audit entries) one more.
@pytest.mark.parametrize(("page", "bound"), [("list", 7), ("filtered", 7), ("enterprise", 14), ("htmx", 6)])
@pytest.mark.parametrize("who", ["prov_user", "lz_zone_user"])
def test_enterprise_pages_queries_do_not_grow_with_rows(client, site_data, request, who, page, bound,
                                                        django_assert_max_num_queries):
    client.force_login(request.getfixturevalue(who))
    uscc = Enterprise.objects.get(name="兰州测试企业000有限公司").uscc
    url = {"list": "/enterprises/", "filtered": "/enterprises/?zone=GS-LZ&industry=C38&page=2",
           "enterprise": f"/enterprises/{uscc}/", "htmx": "/enterprises/?q=企业"}[page]
    if page == "htmx":
        client.defaults.update(HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert_bounded_queries(client, url, bound, lambda: grow_site_data(site_data), django_assert_max_num_queries)
