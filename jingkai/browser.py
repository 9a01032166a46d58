"""Pytest fixtures for the browser tests: Debian's chromium driven by Playwright against the live server.

Registered in the root conftest.py. Without /usr/bin/chromium the tests fail (they do not skip):
`make system-packages` installs it (apt-get install chromium fonts-noto-cjk)."""

import re
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
    yield page
    context.close()
    assert not outside, f"请求了外部资源：{outside}"
    assert not errors, f"页面脚本错误：{errors}"


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
