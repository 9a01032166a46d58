"""The pages with charts, forms that submit themselves, and the API docs and admin, in chromium under the
Content-Security-Policy: the `page` fixture (jingkai.browser) fails the test on any refusal it reports."""

import datetime as dt

import pytest
from django.urls import reverse

from jingkai.browser import goto, login
from jingkai.demo import generate as gen
from jingkai.demo.build import build_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = [
    ("home", {}, ".chart canvas"),
    ("monitoring:dashboard", {}, "#trend canvas"),
    ("monitoring:indicator", {"key": "industrial_output"}, "#zone-bars canvas"),
    ("measures:dashboard", {}, "#measure-chart canvas"),
    ("chains:chain", {"chain": "GS-NE"}, "#chain-map canvas"),
    ("evaluation:scorecard", {"code": "GS-LZ"}, ".chart canvas"),
    ("programmes:page", {"slug": "mujun"}, ".chart canvas"),
    ("enterprises:detail", None, "main h1"),
    ("investment:board", {}, ".kanban"),
]


def test_pages_run_under_the_policy(page, settings, tmp_path):
    from jingkai.enterprises.models import Enterprise

    settings.MEDIA_ROOT = tmp_path
    # the access matrix's size, seed and day: the inspections' past-quarter plans are remembered
    build_demo(seed=3, size=gen.DemoSize(enterprises=200, east=4, central=3, west=5), password="pw-test-123",
               today=dt.date(2026, 11, 25), progress=False)
    uscc = Enterprise.objects.filter(zone__code="GS-LZ").order_by("uscc").values_list("uscc", flat=True)[0]
    login(page, "demo-admin", "pw-test-123")
    for name, kwargs, ready in PAGES:
        url = reverse(name, kwargs=kwargs if kwargs is not None else {"uscc": uscc})
        goto(page, url + ("?zone=GS-LZ" if name == "chains:chain" else ""))
        page.locator(ready).first.wait_for()
        page.wait_for_load_state("networkidle")  # the panels htmx loads (the enterprise's 梯度培育 verdicts)
        if "canvas" in ready:  # a tooltip: ECharts writes its HTML, markers and all
            box = page.locator(ready).first.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(300)
            assert box["height"] >= 200, (url, box)  # data-height reached the chart before it was drawn
    # a select that submits its form (data-autosubmit; the 口径 select also empties the period)
    goto(page, reverse("monitoring:dashboard"))
    freq = page.locator("select[name=freq]")
    other = [o for o in freq.locator("option").evaluate_all("os => os.map(o => o.value)")
             if o != freq.input_value()][0]
    with page.expect_navigation():
        freq.select_option(other)
    assert f"freq={other}" in page.url and "period=20" not in page.url  # the month's period was dropped
    goto(page, "/api/v1/docs")
    page.locator(".swagger-ui .info").wait_for()
    goto(page, "/admin/")
    assert page.locator("#site-name").inner_text() == "经开平台后台管理"
