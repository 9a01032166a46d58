"""The security headers every answer carries, and those the production settings add over HTTPS."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def _directives(header: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def test_every_page_sends_a_strict_policy(db):
    response = Client().get("/login/")
    csp = _directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    # inline only for style attributes (ECharts' tooltips), never for scripts or <style>
    assert [d for d, v in csp.items() if "'unsafe-inline'" in v] == ["style-src-attr"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # HSTS only from the production settings, over HTTPS


PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
import pytest
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
call_command("migrate", verbosity=0)  # the login page reads whether demo data is loaded
settings.ALLOWED_HOSTS = ["jk.example"]
plain = Client(HTTP_HOST="jk.example").get("/login/")
https = Client(HTTP_HOST="jk.example", HTTP_X_FORWARDED_PROTO="https").get("/login/")
print(json.dumps({"plain": [plain.status_code, plain.get("Location")],
                  "hsts": https.get("Strict-Transport-Security"), "csp": https.get("Content-Security-Policy"),
                  "cookies": {k: [bool(v["secure"]), bool(v["httponly"])] for k, v in https.cookies.items()},
                  "age": settings.SESSION_COOKIE_AGE}))
"""


def _environ(tmp_path, **env: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items()  # not the test run's database, settings or async switch
               if k not in ("JINGKAI_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return environ | {"JINGKAI_VAR_DIR": str(tmp_path), "JINGKAI_SECRET_KEY": secrets.token_urlsafe(50),
                      "JINGKAI_ALLOWED_HOSTS": "jk.example", "PYTHONPATH": str(ROOT), **env}


def _production(tmp_path, **env: str) -> subprocess.CompletedProcess:
    environ = _environ(tmp_path, DJANGO_SETTINGS_MODULE="jingkai.settings_production", **env)
    return subprocess.run([sys.executable, "-c", PROBE], env=environ, cwd=ROOT, capture_output=True, text=True,
                          check=True)


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory, migrated_sqlite):
    """A migrated database for this module's production probes: their own migrate finds nothing left to do (a
    migration from scratch took most of a probe's time)."""
    from jingkai.testing import copy_sqlite

    return copy_sqlite(migrated_sqlite, tmp_path_factory.mktemp("production-var"))


def test_production_redirects_to_https_and_sets_hsts(var_dir):
    out = json.loads(_production(var_dir).stdout)
    assert out["plain"] == [301, "https://jk.example/login/"]
    assert out["hsts"] == "max-age=31536000"  # a year, this host only
    assert "script-src 'self'" in out["csp"]
    assert out["cookies"]["csrftoken"] == [True, False]  # secure; readable by no script anyway (CSP)
    assert out["age"] == 8 * 3600


def test_hsts_is_configurable(var_dir):
    out = json.loads(_production(var_dir, JINGKAI_HSTS_SECONDS="600", JINGKAI_HSTS_INCLUDE_SUBDOMAINS="1").stdout)
    assert out["hsts"] == "max-age=600; includeSubDomains"


def test_deploy_check_is_clean(tmp_path):
    for env in ({}, {"JINGKAI_HSTS_SECONDS": "0"}, {"JINGKAI_HSTS_INCLUDE_SUBDOMAINS": "1"}):
        result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING",
                                 "--settings", "jingkai.settings_production"], env=_environ(tmp_path, **env), cwd=ROOT,
                                capture_output=True, text=True)
        assert result.returncode == 0, (env, result.stdout + result.stderr)
