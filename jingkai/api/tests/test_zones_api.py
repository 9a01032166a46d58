import pytest

from jingkai.testing import make_zone

from .conftest import bearer

ZONE_KEYS = [
    "zone_code",
    "name",
    "level",
    "region",
    "province",
    "city",
    "division_code",
    "approved_year",
    "planned_area_km2",
    "leading_industries",
]


@pytest.fixture
def client(zones, province_user):
    make_zone("JS-SZ", name="苏州工业园区", region="east", province="江苏省", city="")
    return bearer(province_user)


def test_list_filters_and_paging(client):
    body = client.get("/api/v1/zones").json()
    assert body["count"] == 3 and [z["zone_code"] for z in body["items"]] == ["GS-JC", "GS-LZ", "JS-SZ"]
    assert list(body["items"][0]) == ZONE_KEYS
    assert [z["zone_code"] for z in client.get("/api/v1/zones", {"province": "甘肃省"}).json()["items"]] == [
        "GS-JC",
        "GS-LZ",
    ]
    assert [z["zone_code"] for z in client.get("/api/v1/zones", {"region": "east"}).json()["items"]] == [
        "JS-SZ"
    ]
    assert client.get("/api/v1/zones", {"level": "provincial"}).json() == {"count": 0, "items": []}
    page = client.get("/api/v1/zones", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and [z["zone_code"] for z in page["items"]] == ["GS-LZ"]


def test_detail(client):
    zone = client.get("/api/v1/zones/GS-LZ").json()
    assert (
        zone["name"] == "兰州经济技术开发区"
        and zone["approved_year"] == 2002
        and zone["division_code"] == "620100"
    )
    assert client.get("/api/v1/zones/XX-NO").status_code == 404
