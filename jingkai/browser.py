"""Pytest fixtures for the browser tests: Debian's chromium driven by Playwright against the live server.

Registered in the root conftest.py. Without /usr/bin/chromium the tests fail (they do not skip):
`make system-packages` installs it (apt-get install chromium fonts-noto-cjk)."""

import re
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "pw-test-123"  # jingkai.testing.make_user's default


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"浏览器测试需要 {CHROMIUM}：请执行 make system-packages（apt-get install chromium fonts-noto-cjk）",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    from jingkai.zones.services import ensure_reference_data

    ensure_reference_data()
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(10_000)
    # Nothing may come from the internet: every request stays on the live server.
    outside = []

    def block(route):
        outside.append(route.request.url)
        route.abort()
    context.route(re.compile(r"^(?!" + re.escape(live_server.url) + ").*"), block)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # What the Content-Security-Policy refused (an inline script or style, an on… handler, eval): chromium
    # reports each on the console. Every browser test thereby checks the pages it visits.
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(f"{page.url}: {msg.text[:160]}")
            if "Content Security Policy" in msg.text and len(refused) < 10 else None)
    yield page
    context.close()
    assert not outside, f"请求了外部资源：{outside}"
    assert not errors, f"页面脚本错误：{errors}"
    assert not refused, f"内容安全策略（CSP）拒绝了：{refused}"


# A page is ready for input once it has loaded and its deferred scripts have run: htmx processes the page on
# DOMContentLoaded, so typing into a form before then fires no request (the `changed` trigger never binds).
READY = ("document.readyState === 'complete' && "
         "(!document.querySelector('script[src*=\"htmx\"]') || typeof window.htmx !== 'undefined')")


READY_SECONDS = 15


def ready(page) -> None:
    """Wait until the current page is loaded and its scripts (htmx) are ready. Every browser test calls it
    after a navigation, through `goto`, `follow` and `login`, rather than waiting in its own way."""
    page.wait_for_load_state("load")
    # polled from here: Playwright's wait_for_function evaluates its predicate with eval inside the page,
    # which the site's CSP refuses; page.evaluate runs through the debugging protocol
    deadline = time.monotonic() + READY_SECONDS
    while not page.evaluate(READY):
        if time.monotonic() > deadline:
            raise AssertionError(f"页面在 {READY_SECONDS} 秒内没有就绪（htmx 未加载）：{page.url}")
        page.wait_for_timeout(50)


def goto(page, url: str) -> None:
    page.goto(url)
    ready(page)


def follow(page, selector: str) -> None:
    """Click what navigates to another page (a link, a submit button) and wait for that page to be ready:
    `click` alone returns when the navigation starts, while the old page still looks ready."""
    with page.expect_navigation():
        page.click(selector)
    ready(page)


def login(page, username: str, password: str = PASSWORD) -> None:
    goto(page, "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    follow(page, "button[type=submit]")
