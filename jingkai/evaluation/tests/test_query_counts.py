"""The evaluation pages run a bounded number of queries whatever the number of zones in the run: the same
bound holds for 6 and for 40 zones, for the province and for a zone committee."""

import pytest
from django.urls import reverse

from jingkai.evaluation import services
from jingkai.evaluation.testing import make_evaluation_data
from jingkai.testing import zone_user
from jingkai.zones.models import Zone

# (URL name, arguments, query string, at most this many queries): session, user, the run(s), the years,
# the zones the user may open, the trend's runs, the Monte Carlo sibling, the menu's demo flag.
PAGES = [("evaluation:ranking", [], {}, 9), ("evaluation:ranking", [], {"region": "west"}, 9),
         ("evaluation:export_ranking", [], {}, 6), ("evaluation:scorecard", ["GS-LZ"], {}, 9),
         ("evaluation:export_scorecard", ["GS-LZ"], {}, 8)]


@pytest.fixture(params=[6, 40], ids=["6 zones", "40 zones"])
def runs(request, db):
    make_evaluation_data(n=request.param, years=(2022, 2023))
    services.run_evaluation("mofcom-2021", 2022)
    services.run_evaluation("mofcom-2021", 2023, sensitivity=20)


@pytest.mark.parametrize(("name", "args", "params", "bound"), PAGES)
def test_evaluation_pages_run_a_bounded_number_of_queries(client, runs, province_user, django_assert_max_num_queries,
                                                          name, args, params, bound):
    client.force_login(province_user)
    with django_assert_max_num_queries(bound):
        assert client.get(reverse(name, args=args), params).status_code == 200


def test_ranking_of_a_zone_committee_runs_a_bounded_number_of_queries(client, runs, django_assert_max_num_queries):
    client.force_login(zone_user(Zone.objects.get(code="GS-LZ")))
    with django_assert_max_num_queries(9):
        assert client.get(reverse("evaluation:ranking")).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("evaluation:scorecard", args=["GS-LZ"])).status_code == 200
