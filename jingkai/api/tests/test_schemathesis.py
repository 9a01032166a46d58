"""Schemathesis against /api/v1 through Django's WSGI app, bounded: a few generated requests per operation,
as the province, a zone committee and a department limited to one enterprise data table (bearer tokens).
Every answer must be documented (status code, content type, body matching the schema) and none may be a 5xx."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks as openapi_checks

from jingkai.accounts.models import ApiToken, OrgUnit
from jingkai.api import api
from jingkai.testing import make_user, zone_user
from jingkai.wsgi import application

CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]


@pytest.fixture
def tokens(data):
    # The WSGI app closes the database connection when a request ends (close_old_connections); inside the
    # test's transaction that is the test's own connection (a closed connection on PostgreSQL). Django's test
    # client disconnects the same handlers; do as it does while the app is called directly.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    province = make_user("st-province", "province")
    zone = zone_user(data["zones"]["GS-LZ"])
    department = make_user("st-department", "dept-gxt")  # reads only the 人才 table: the others' facts read as missing
    OrgUnit.objects.filter(code="dept-gxt").update(year_tables=["talent"])
    users = (("province", province), ("zone", zone), ("department", department))
    yield {role: ApiToken.issue(user)[1] for role, user in users}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The schema as the app serves it, read without a database; the calls go to the WSGI app.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))


@schema.parametrize()
@settings(max_examples=5, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented(case, tokens):
    for token in tokens.values():
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS, app=application)
