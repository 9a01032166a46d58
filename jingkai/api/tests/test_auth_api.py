"""Who may call the API: a bearer token or a web session; nobody else."""

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.test import Client, override_settings

from jingkai.accounts.models import ApiToken

from .conftest import bearer

ENDPOINTS = [
    "/api/v1/me",
    "/api/v1/zones",
    "/api/v1/zones/GS-LZ",
    "/api/v1/enterprises",
    "/api/v1/enterprise-years",
    "/api/v1/indicators",
    "/api/v1/indicator-values",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_without_credentials_401(zones, url):
    response = Client().get(url)
    assert response.status_code == 401 and response.json() == {"detail": "未登录或令牌无效"}


def test_bearer_token(zones, province_user):
    token, raw = ApiToken.issue(province_user)
    assert token.last_used_at is None
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200 and response.json()["username"] == "demo-admin"
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer jk_not-a-token", "Token {raw}", "Bearer {raw}x", "Basic {raw}"])
def test_wrong_tokens_401(zones, province_user, header):
    _, raw = ApiToken.issue(province_user)
    response = Client().get("/api/v1/zones", headers={"Authorization": header.format(raw=raw)})
    assert response.status_code == 401


def test_revoked_token_and_inactive_user_401(zones, province_user):
    token, raw = ApiToken.issue(province_user)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/zones").status_code == 200
    province_user.is_active = False
    province_user.save()
    assert client.get("/api/v1/zones").status_code == 401
    province_user.is_active = True
    province_user.save()
    token.delete()
    assert client.get("/api/v1/zones").status_code == 401


def test_session(zones, lz_user):
    client = Client()
    assert client.login(username="demo-gs-lz", password="pw-test-123")
    response = client.get("/api/v1/zones")
    assert response.status_code == 200 and [z["zone_code"] for z in response.json()["items"]] == ["GS-LZ"]
    client.logout()
    assert client.get("/api/v1/zones").status_code == 401


def test_token_is_bound_to_its_user(zones, lz_user, province_user):
    assert bearer(lz_user).get("/api/v1/me").json()["username"] == "demo-gs-lz"
    assert bearer(province_user).get("/api/v1/me").json()["username"] == "demo-admin"


def test_openapi_schema_lists_every_endpoint(zones, province_user):
    paths = bearer(province_user).get("/api/v1/openapi.json").json()["paths"]
    assert set(ENDPOINTS[:2] + ENDPOINTS[3:]) | {
        "/api/v1/zones/{zone_code}",
        "/api/v1/enterprises/{uscc}",
    } <= set(paths)


# Offline docs need `"ninja"` in INSTALLED_APPS: django-ninja then renders Swagger UI from its own static
# files instead of a CDN (ninja/openapi/docs.py, render_template).
WITH_NINJA = [app for app in settings.INSTALLED_APPS if app != "ninja"] + ["ninja"]


@override_settings(INSTALLED_APPS=WITH_NINJA)
def test_docs_render_offline(zones, lz_user):
    client = Client()
    client.force_login(lz_user)
    html = client.get("/api/v1/docs").content.decode()
    assert "经开平台 API" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui.css" in html
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        response = client.get(static(asset))
        assert response.status_code == 200, asset


def test_chinese_is_sent_as_utf8_text(zones, province_user):
    response = bearer(province_user).get("/api/v1/zones/GS-LZ")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "兰州经济技术开发区".encode() in response.content and b"\\u" not in response.content


@pytest.mark.parametrize("url", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_docs_need_a_login_unless_opened(zones, lz_user, settings, url):
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"] == f"/login/?next={url}"
    assert bearer(lz_user).get(url).status_code == 200  # a token client reads the schema it calls
    assert Client(headers={"Authorization": "Bearer jk_not-a-token"}).get(url).status_code == 302
    signed_in = Client()
    signed_in.force_login(lz_user)
    assert signed_in.get(url).status_code == 200
    settings.API_DOCS_PUBLIC = True  # JINGKAI_API_DOCS_PUBLIC=1
    assert Client().get(url).status_code == 200
