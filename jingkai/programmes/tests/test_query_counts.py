"""The programme pages run a bounded number of queries whatever the number of results: the same bound holds
for 10 and for 100 enterprises evaluated."""

import datetime as dt

import pytest

from jingkai.programmes.services import run_programme
from jingkai.programmes.tests.test_runs_and_pages import enterprise

ON = dt.date(2025, 6, 1)


@pytest.fixture(params=[10, 100], ids=["10 results", "100 results"])
def runs(request, zones):
    for i in range(request.param):
        zone = zones["GS-LZ"] if i % 2 else zones["GS-JC"]
        enterprise(zone, i + 1, f"测试企业{i:03d}有限公司", rd_expense=100 + i, years_in_niche=1 + i % 4)
    for program in ("sme-specialized", "mujun-gansu", "innovation-points"):
        run_programme(program, 2024, ON)


# (URL, query string, HTMX target, at most this many queries)
PAGES = [
    ("/programmes/", {}, None, 10),
    ("/programmes/sme/", {"version": "2022", "tier": "sme-specialized", "status": "all"}, None, 15),
    ("/programmes/mujun/", {}, None, 10),
    ("/programmes/innovation/", {}, None, 10),
    ("/programmes/sme/", {"version": "2022", "tier": "sme-specialized", "status": "all"}, "results", 7),
    ("/programmes/mujun/", {"class": "B"}, "results", 7),
    ("/programmes/zone/GS-LZ/mujun/", {}, None, 8),
]


@pytest.mark.parametrize(("url", "params", "target", "bound"), PAGES)
def test_programme_pages_run_a_bounded_number_of_queries(client, runs, province_user, django_assert_max_num_queries,
                                                         url, params, target, bound):
    client.force_login(province_user)
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": target} if target else {}
    with django_assert_max_num_queries(bound):
        assert client.get(url, params, **headers).status_code == 200


def test_a_zone_committee_list_runs_a_bounded_number_of_queries(client, runs, lz_user, django_assert_max_num_queries):
    client.force_login(lz_user)
    with django_assert_max_num_queries(16):  # one for the criteria of the rows whose gap is computed now
        assert client.get("/programmes/sme/", {"version": "2022", "status": "all"}).status_code == 200
