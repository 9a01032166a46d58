"""A page costs the same number of queries whatever its size (no query per item)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import bearer

LISTS = ["/api/v1/enterprises", "/api/v1/enterprise-years", "/api/v1/indicator-values", "/api/v1/zones",
         "/api/v1/indicators"]


@pytest.mark.parametrize("url", LISTS)
def test_queries_do_not_grow_with_the_page(data, province_user, url):
    client = bearer(province_user)
    counts = []
    for limit in (1, 100):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url, {"limit": limit}).json()
        assert len(body["items"]) == min(limit, body["count"])
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6
