from jingkai.testing import make_user

from .conftest import bearer


def test_zone_user(lz_user):
    assert bearer(lz_user).get("/api/v1/me").json() == {
        "username": "demo-gs-lz",
        "full_name": "",
        "org_unit": {"code": "zone-gs-lz", "name": "兰州经济技术开发区管委会", "kind": "zone"},
        "scope": "zone",
        "all_zones": False,
        "zone_codes": ["GS-LZ"],
    }


def test_province_and_department_users_see_every_zone(zones, province_user, department_user):
    me = bearer(province_user).get("/api/v1/me").json()
    assert (me["scope"], me["all_zones"], me["zone_codes"]) == ("province", True, ["GS-JC", "GS-LZ"])
    me = bearer(department_user).get("/api/v1/me").json()
    assert (me["org_unit"]["code"], me["scope"], me["all_zones"]) == ("dept-gxt", "department", True)


def test_user_without_unit_sees_nothing(zones):
    me = bearer(make_user("nobody")).get("/api/v1/me").json()
    assert (me["org_unit"], me["scope"], me["zone_codes"]) == (None, "none", [])
