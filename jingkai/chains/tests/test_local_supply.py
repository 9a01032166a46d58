"""本地配套率 of a 链主: local purchases over all purchases of its latest year with data, on the registry."""

import pytest
from django.urls import reverse

from jingkai.chains.models import LeaderPurchase
from jingkai.chains.selectors import local_supply
from jingkai.chains.services import save_leader
from jingkai.chains.tests.test_chains import lz, placed  # noqa: F401  (fixture)


def test_rate_is_local_over_total_of_the_latest_year(placed, prov_user, client):  # noqa: F811
    leader = save_leader(prov_user, lz(0), "GS-NE")
    other = save_leader(prov_user, lz(1), "GS-NE")
    assert local_supply([leader.pk, other.pk]) == {}  # no purchase data: no rate
    for year, supplier, amount, local in ((2024, "甲", 900.0, True), (2025, "乙", 300.0, True),
                                          (2025, "丙", 500.0, False), (2025, "丁", 200.0, True)):
        LeaderPurchase.objects.create(leader=leader, year=year, supplier=supplier, amount=amount, local=local)
    LeaderPurchase.objects.create(leader=other, year=2025, supplier="戊", amount=0.0, local=True)
    found = local_supply([leader.pk, other.pk])
    assert (found[leader.pk].year, found[leader.pk].local, found[leader.pk].total) == (2025, 500.0, 1000.0)
    assert found[leader.pk].rate == pytest.approx(0.5) and found[leader.pk].suppliers == 3
    assert found[other.pk].rate is None  # purchases of nothing: no rate, not 0
    client.force_login(prov_user)
    page = client.get(reverse("chains:leaders")).content.decode()
    assert "50%" in page and "2025年 本地采购 500.00 / 采购总额 1,000.00 万元" in page and "None" not in page
