"""The 403, 404 and 500 pages are Chinese and keep the site's frame, with DEBUG off as in production."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import path
from django.views import defaults

from jingkai import urls as site_urls
from jingkai.web.templatetags.jingkai_web import chinese_message


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def test_not_found_page_is_chinese(client, prov_user):
    client.force_login(prov_user)
    response = client.get("/zones/NO-SUCH/")
    page = response.content.decode()
    assert response.status_code == 404 and "页面不存在（404）" in page and "不在您的数据权限范围内" in page
    assert 'class="mainnav"' in page and "No Zone matches" not in page


def test_refusal_names_the_missing_right(client, dept_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(dept_user)
    upload = SimpleUploadedFile("z.csv", b"zone_code,period,indicator,value\n")
    response = client.post("/import/", {"kind": "zone-indicators", "file": upload})  # refused by the import service
    page = response.content.decode()
    assert response.status_code == 403 and "无权访问（403）" in page and "您无权导入园区和企业数据。" in page


def test_english_refusal_messages_are_not_shown(db):
    request = RequestFactory().get("/")
    page = defaults.permission_denied(request, PermissionDenied("Forbidden")).content.decode()
    assert "Forbidden" not in page and "您的账号没有执行此操作的权限" in page
    assert chinese_message("您无权审核。") == "您无权审核" and chinese_message("Forbidden") == ""


def test_server_error_page_renders_without_a_request_context(db):
    response = defaults.server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500 and "系统出错（500）" in page and "<html" in page


def test_csrf_failure_page_is_chinese_with_the_menu(prov_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(prov_user)
    response = client.post("/import/", {"kind": "zone-indicators"})
    page = response.content.decode()
    assert response.status_code == 403 and "请求已失效（403）" in page
    assert 'class="mainnav"' in page and "CSRF" not in page and "Forbidden" not in page


def failing_view(request):
    raise RuntimeError("boom")


def bad_view(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("bad")


urlpatterns = [path("boom/", failing_view), path("bad/", bad_view), *site_urls.urlpatterns]
handler400 = "jingkai.web.views.bad_request"
handler500 = "jingkai.web.views.server_error"


@pytest.mark.urls(__name__)
def test_server_error_page_keeps_the_menu_for_a_signed_in_user(prov_user):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(prov_user)
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500 and "系统出错（500）" in page and "boom" not in page
    assert 'class="mainnav"' in page and "退出" in page


@pytest.mark.urls(__name__)
def test_bad_request_page_is_chinese(prov_user):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(prov_user)
    response = client.get("/bad/")
    page = response.content.decode()
    assert response.status_code == 400 and "请求有误（400）" in page and "Bad Request" not in page
    assert 'class="mainnav"' in page


def test_error_page_survives_a_failing_menu(prov_user, monkeypatch):
    # what failed the request (the database) may fail the menu too: the page is then shown without it
    from jingkai.web import context, views

    def broken(request):
        raise RuntimeError("database is locked")
    monkeypatch.setattr(context, "navigation", broken)
    monkeypatch.setattr(views, "render", lambda *a, **k: broken(None))
    request = RequestFactory().get("/")
    response = views.server_error(request)
    assert response.status_code == 500 and "系统出错（500）" in response.content.decode()


def test_anonymous_not_found_page_has_no_menu(client, db):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404 and "页面不存在（404）" in page and "Not Found" not in page
    assert 'class="mainnav"' not in page
