"""Login, the role-fitted menu and the demo-data banner on every page."""

import pytest
from django.urls import reverse

from jingkai.testing import make_user
from jingkai.zones.models import Zone

BANNER = "演示数据"


def test_pages_require_login(client, site_data):
    for name in ("home", "zones:list", "enterprises:list", "zones:entry", "intake:import"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/login/"), name


def test_login_with_password_then_home(client, prov_user):
    response = client.post("/login/", {"username": "demo-admin", "password": "pw-test-123"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "全省国家级经开区概览" in client.get("/").content.decode()


def test_wrong_password_is_told_in_chinese(client, prov_user):
    response = client.post("/login/", {"username": "demo-admin", "password": "wrong-password"})
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/zones/", "/zones/GS-LZ/", "/enterprises/", "/indicators/entry/", "/import/"])
def test_demo_banner_on_every_page(client, prov_user, url):
    client.force_login(prov_user)
    response = client.get(url)
    assert response.status_code == 200
    assert 'class="demo-banner"' in response.content.decode()


def test_demo_banner_on_login_page(client, site_data):
    assert 'class="demo-banner"' in client.get("/login/").content.decode()


def test_no_banner_without_demo_data(client, prov_user):
    Zone.objects.update(is_demo=False)
    client.force_login(prov_user)
    page = client.get("/enterprises/").content.decode()
    assert 'class="demo-banner"' not in page and BANNER not in page


def test_menu_fits_the_role(client, prov_user, lz_zone_user):
    client.force_login(prov_user)
    page = client.get("/enterprises/").content.decode()
    assert 'href="/zones/"' in page and 'href="/zones/mine/"' not in page
    assert 'href="/enterprises/" class="active"' in page
    client.force_login(lz_zone_user)
    page = client.get("/enterprises/").content.decode()
    assert 'href="/zones/mine/"' in page and 'href="/zones/"' not in page
    assert 'href="/import/"' in page and 'href="/indicators/entry/"' in page


def test_departments_get_no_data_entry_menus_or_upload_form(client, dept_user):
    client.force_login(dept_user)
    page = client.get("/enterprises/").content.decode()
    assert 'href="/import/"' not in page and 'href="/indicators/entry/"' not in page
    page = client.get("/import/").content.decode()
    assert 'id="import-form"' not in page and "不能导入" in page and "/import/template/enterprises/" in page


def test_assets_are_local(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/").content.decode()
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    assert "/static/vendor/echarts.min.js" in page and "/static/web/site.css" in page


def test_user_without_unit_sees_no_data(client, site_data):
    """An account without an organisation holds no capability: refused before any data is looked up."""
    client.force_login(make_user("nobody"))
    for url in ("/", "/enterprises/", "/zones/", "/zones/GS-LZ/", "/import/", "/monitoring/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "您无权" in response.content.decode()
