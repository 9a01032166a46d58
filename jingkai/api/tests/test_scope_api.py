"""Scope through the API: a zone user reads its own zone and nothing else, whatever it asks for."""

import pytest

from jingkai.testing import make_user

from .conftest import bearer


@pytest.fixture
def lz(data, lz_user):
    return bearer(lz_user)


def jc_uscc(data) -> str:
    return data["enterprises"]["金昌镍钴新材料有限公司"].uscc


def test_enterprises_of_another_zone_are_invisible(lz, data):
    listed = lz.get("/api/v1/enterprises").json()
    assert listed["count"] == 3 and {i["zone_code"] for i in listed["items"]} == {"GS-LZ"}
    # asking for the other zone, or for the enterprise by name or USCC, finds nothing
    assert lz.get("/api/v1/enterprises", {"zone_code": "GS-JC"}).json() == {"count": 0, "items": []}
    assert lz.get("/api/v1/enterprises", {"q": "金昌"}).json()["count"] == 0
    assert lz.get("/api/v1/enterprises", {"q": jc_uscc(data)}).json()["count"] == 0
    # the detail answers exactly as for an enterprise that does not exist
    outside = lz.get(f"/api/v1/enterprises/{jc_uscc(data)}")
    missing = lz.get("/api/v1/enterprises/91620100MA00000000")
    assert outside.status_code == missing.status_code == 404 and outside.json() == missing.json()
    own = data["enterprises"]["兰州新材料有限公司"].uscc
    assert lz.get(f"/api/v1/enterprises/{own}").status_code == 200


def test_enterprise_years_of_another_zone_are_invisible(lz, data):
    listed = lz.get("/api/v1/enterprise-years").json()
    assert listed["count"] == 6 and jc_uscc(data) not in {i["uscc"] for i in listed["items"]}
    assert lz.get("/api/v1/enterprise-years", {"uscc": jc_uscc(data)}).json() == {"count": 0, "items": []}
    assert lz.get("/api/v1/enterprise-years", {"zone_code": "GS-JC"}).json()["count"] == 0


def test_indicator_values_of_another_zone_are_invisible(lz):
    listed = lz.get("/api/v1/indicator-values").json()
    assert listed["count"] == 4 and {i["zone_code"] for i in listed["items"]} == {"GS-LZ"}
    assert lz.get("/api/v1/indicator-values", {"zone_code": "GS-JC"}).json()["count"] == 0


def test_other_zone_itself_is_invisible(lz):
    assert [z["zone_code"] for z in lz.get("/api/v1/zones").json()["items"]] == ["GS-LZ"]
    assert lz.get("/api/v1/zones/GS-JC").status_code == 404


def test_scope_is_the_same_over_the_session(data, lz_user, client):
    client.force_login(lz_user)
    assert client.get("/api/v1/enterprises", {"zone_code": "GS-JC"}).json()["count"] == 0
    assert client.get(f"/api/v1/enterprises/{jc_uscc(data)}").status_code == 404


def test_the_indicator_catalogue_is_shared(lz):
    # the catalogue is reference data, not zone data
    assert lz.get("/api/v1/indicators").json()["count"] >= 24


@pytest.mark.parametrize(
    "username, org, enterprises, values",
    [
        ("demo-admin", "province", 4, 8),
        ("demo-dept-gxt", "dept-gxt", 4, 8),
        ("jc-city", "city-620300", 1, 4),
        ("nobody", None, 0, 0),
    ],
)
def test_other_roles(data, username, org, enterprises, values):
    client = bearer(make_user(username, org))
    assert client.get("/api/v1/enterprises").json()["count"] == enterprises
    assert client.get("/api/v1/enterprise-years").json()["count"] == 2 * enterprises
    assert client.get("/api/v1/indicator-values").json()["count"] == values
