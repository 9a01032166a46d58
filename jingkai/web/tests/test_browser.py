"""The UI driven by Debian's chromium through Playwright (headless) against the live server.

Run alone with `pytest -m browser`. Without /usr/bin/chromium these tests fail (they do not skip): install it
with `make system-packages` (apt-get install chromium fonts-noto-cjk)."""

import re

import pytest
from playwright.sync_api import expect

from jingkai.browser import follow, goto
from jingkai.browser import login as browser_login

# The live server runs in another thread, so the data must be committed: transactional tests. Serialized
# rollback asks Django to restore the migrations' reference data afterwards; build_site_data re-creates it too.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def login(page, username):
    goto(page, "/")
    assert "/login/" in page.url  # login is required
    browser_login(page, username)


def test_login_and_overview_with_charts(page, prov_user):
    goto(page, "/")
    page.fill("input[name=username]", "demo-admin")
    page.fill("input[name=password]", "wrong-password")
    follow(page, "button[type=submit]")
    assert page.locator(".error").inner_text() == "用户名或密码不正确。"
    login(page, "demo-admin")
    assert page.locator("h1").inner_text() == "全省国家级经开区概览"
    assert page.locator(".demo-banner").is_visible()
    cards = page.locator(".zone-card h2")
    assert cards.all_inner_texts() == ["兰州经济技术开发区", "金昌经济技术开发区", "天水经济技术开发区", "张掖经济技术开发区"]
    assert "同比 +10.0%" in page.locator(".zone-card").first.inner_text()
    canvas = page.locator("[data-chart=chart-industrial_output] canvas")
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    assert page.locator(".chart canvas").count() == 5


def test_enterprise_list_search_filter_pagination(page, prov_user):
    login(page, "demo-admin")
    follow(page, "nav.mainnav >> a:text-is('企业')")  # returns once htmx is ready: typed input then fires its request
    count = page.locator(".result-count")
    assert count.inner_text().startswith("共 120 家企业")
    page.evaluate("window.__same_page = true")  # survives only if HTMX swaps the results in place

    page.fill("#q", "企业00")
    page.wait_for_url(re.compile(r"q=%E4%BC%81%E4%B8%9A00|q=企业00"))
    assert count.inner_text().startswith("共 10 家企业")

    page.fill("#q", "")
    page.select_option("select[name=zone]", "GS-JC")
    expect(count).to_have_text(re.compile("^共 40 家企业"))
    page.select_option("select[name=above_scale]", "1")
    expect(count).to_have_text(re.compile("^共 20 家企业"))
    assert "zone=GS-JC" in page.url and "above_scale=1" in page.url

    page.select_option("select[name=above_scale]", "")
    page.select_option("select[name=zone]", "GS-LZ")
    expect(count).to_have_text(re.compile("^共 70 家企业"))
    page.click(".pagination >> text=下一页")
    expect(count).to_contain_text("第 51—70 家")
    assert "page=2" in page.url and "zone=GS-LZ" in page.url
    assert page.evaluate("window.__same_page") is True
    assert page.locator("#results tbody tr").count() == 20

    follow(page, "#results tbody tr >> nth=0 >> a")
    assert page.locator("h1").inner_text().startswith("兰州测试企业")
    assert page.get_by_role("heading", name="年度数据").is_visible()


def test_input_typed_right_after_a_navigation_reaches_htmx(page, prov_user):
    # as on a slow fresh machine: htmx runs 1.5 s after the page has loaded; `follow` waits for it
    # the page's own htmx.min.js adds the real one 1.5 s later, from this site (the CSP allows no eval)
    late = ("setTimeout(function () { var s = document.createElement('script');"
            " s.src = '/static/vendor/htmx.min.js?late=1'; document.head.appendChild(s); }, 1500);")

    def delay(route):
        if "late=1" in route.request.url:
            route.continue_()
        else:
            route.fulfill(body=late, content_type="text/javascript")

    page.route(re.compile(r"/htmx\.min\.js(\?.*)?$"), delay)
    login(page, "demo-admin")
    follow(page, "nav.mainnav >> a:text-is('企业')")
    page.fill("#q", "企业00")
    page.wait_for_url(re.compile(r"q=%E4%BC%81%E4%B8%9A00|q=企业00"))
    assert page.locator(".result-count").inner_text().startswith("共 10 家企业")


WALK = {  # the main pages of each role, and the error pages they meet (404 out of scope, 403 without the right)
    "demo-admin": ["/", "/enterprises/", "/evaluation/", "/measures/tasks/", "/monitoring/", "/monitoring/bulletins/",
                   "/programmes/", "/system/users/", "/system/log/", "/no-such-page/"],
    "demo-gs-lz": ["/", "/enterprises/", "/measures/tasks/", "/monitoring/", "/programmes/", "/zones/GS-JC/",
                   "/system/users/"],
    "demo-dept-gxt": ["/", "/enterprises/", "/monitoring/bulletins/", "/programmes/", "/system/users/"],
}
# What the page shows, but the codes a user needs (usernames, unit codes), which the pages label in class="code"
# as the text sweep (jingkai/tests/test_screen_text.py) allows them
SHOWN_TEXT = ("(() => { const m = document.querySelector('main') || document.body; let t = m.innerText;"
              " m.querySelectorAll('.code, code').forEach(e => { if (e.innerText) t = t.split(e.innerText).join(' '); });"
              " return t; })()")
NOT_SHOWN = re.compile(r"\bNone\b|\bnull\b|Not Found|Forbidden|Server Error|Traceback|其他项|[a-z]+_[a-z_]+")


def test_walkthrough_as_the_three_roles(page, prov_user, lz_zone_user, dept_user, tmp_path):
    """Province, a zone committee and a department through their main pages in chromium: every page in
    Chinese with the menu (error pages too), no English word, raw key or None in what is shown. Screenshots
    go to $JINGKAI_SHOTS (default: the test's tmp dir) for a person to look at."""
    import os

    shots = os.environ.get("JINGKAI_SHOTS") or str(tmp_path)
    page.set_default_timeout(60_000)  # twenty-odd pages on a loaded machine
    for username, urls in WALK.items():
        page.context.clear_cookies()
        browser_login(page, username)
        for url in urls:
            response = page.goto(url)
            page.wait_for_load_state("load")
            page.screenshot(path=f"{shots}/{username}-{url.strip('/').replace('/', '_') or 'home'}.png")
            text = page.evaluate(SHOWN_TEXT)
            status = response.status if response else 0
            assert status in (200, 403, 404), (username, url, status)
            if status != 200:  # the site's own error page, with the menu, not a bare one
                assert re.fullmatch(r"(页面不存在（404）|无权访问（403）)", page.locator("h1").first.inner_text())
                assert page.locator("nav.mainnav").count() == 1, (username, url)
            found = NOT_SHOWN.findall(text)
            assert not found, (username, url, found[:5])
            english = [w for w in re.findall(r"[A-Za-z]{4,}", text) if w not in ("Excel", "Word")]
            assert not english, (username, url, english[:5])
