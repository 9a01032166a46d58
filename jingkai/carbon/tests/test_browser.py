"""The zone page in chromium under the Content-Security-Policy: the energy balance sankey is drawn from its
json_script data by the site's own scripts (the `page` fixture fails on any refusal, script error or request
outside the site), and the what-if form answers."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from jingkai.browser import follow, goto, login
from jingkai.carbon.models import EnergyRecord
from jingkai.carbon.services import compute
from jingkai.enterprises.models import Enterprise
from jingkai.site_fixtures import build_site_data
from jingkai.testing import zone_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sankey_and_the_what_if_run_under_the_policy(page):
    zone = build_site_data()["GS-LZ"]
    user = zone_user(zone)
    for n, e in enumerate(Enterprise.objects.filter(zone=zone).order_by("uscc")[:5]):
        EnergyRecord.objects.create(enterprise=e, year=2025, electricity_kwh=2_000_000 * (n + 1), natural_gas_m3=30_000,
                                    coal_t=100 * n, green_power_kwh=300_000, green_direct_kwh=300_000,
                                    electricity_exported_kwh=20_000)
    compute(user, zone, 2025)
    login(page, user.username)
    goto(page, reverse("carbon:zone", args=["GS-LZ"]))
    chart = page.locator(".chart[data-sankey] canvas")
    chart.wait_for()
    box = chart.bounding_box()
    assert box["height"] >= 300
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    if keep := os.environ.get("JINGKAI_KEEP_RENDER"):
        page.locator(".chart[data-sankey]").screenshot(path=str(Path(keep) / "sankey.png"))
    page.fill("input[name=certificates_mwh]", "2000")
    follow(page, "form.inline button.primary >> text=测算")
    assert "测算后结论" in page.content()
