import pytest
from django.test import Client

from jingkai.enterprises.models import Enterprise
from jingkai.enterprises.uscc import make_uscc
from jingkai.paging import MAX_LIMIT

from .conftest import bearer

ENTERPRISE_KEYS = [
    "uscc",
    "name",
    "zone_code",
    "industry_code",
    "established",
    "size_class",
    "ownership",
    "above_scale",
    "listed",
    "main_products",
    "credit_class",
    "tags",
]


@pytest.fixture
def client(data, province_user) -> Client:
    return bearer(province_user)


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_items_carry_the_canonical_keys(client, data):
    body = client.get("/api/v1/enterprises", {"q": "兰州新材料"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert list(item) == ENTERPRISE_KEYS
    assert item["uscc"] == data["enterprises"]["兰州新材料有限公司"].uscc
    assert (
        item["zone_code"] == "GS-LZ"
        and item["industry_code"] == "C3985"
        and item["established"] == "2010-05-01"
    )
    assert item["tags"] == [
        {"tag": "high_tech_enterprise", "valid_from": "2023-01-01", "valid_to": "2025-12-31"},
        {"tag": "specialized_sme", "valid_from": "2024-03-01", "valid_to": None},
    ]


def test_filters(client, data):
    lz_uscc = data["enterprises"]["兰州石化装备有限公司"].uscc
    assert names(client.get("/api/v1/enterprises", {"q": "软件"})) == ["兰州软件科技有限公司"]
    assert names(client.get("/api/v1/enterprises", {"q": lz_uscc[:17].lower()})) == ["兰州石化装备有限公司"]
    assert names(client.get("/api/v1/enterprises", {"zone_code": "GS-JC"})) == ["金昌镍钴新材料有限公司"]
    # the industry code matches as a prefix: C3 finds C3985, C3511 and C3251, but not I6513
    assert len(names(client.get("/api/v1/enterprises", {"industry_code": "C3"}))) == 3
    assert names(client.get("/api/v1/enterprises", {"industry_code": "C35"})) == ["兰州石化装备有限公司"]
    assert sorted(names(client.get("/api/v1/enterprises", {"size_class": "large"}))) == [
        "兰州石化装备有限公司",
        "金昌镍钴新材料有限公司",
    ]
    assert names(client.get("/api/v1/enterprises", {"above_scale": "false"})) == ["兰州软件科技有限公司"]
    assert len(names(client.get("/api/v1/enterprises", {"above_scale": "true"}))) == 3
    assert names(client.get("/api/v1/enterprises", {"zone_code": "GS-JC", "size_class": "small"})) == []


def test_paging(client):
    everything = names(client.get("/api/v1/enterprises"))
    assert len(everything) == 4
    page = client.get("/api/v1/enterprises", {"limit": 2, "offset": 1}).json()
    assert page["count"] == 4 and [i["name"] for i in page["items"]] == everything[1:3]
    assert client.get("/api/v1/enterprises", {"offset": 4}).json() == {"count": 4, "items": []}
    assert client.get("/api/v1/enterprises", {"limit": 0}).json() == {"count": 4, "items": []}
    assert client.get("/api/v1/enterprises", {"offset": -1}).status_code == 422
    assert client.get("/api/v1/enterprises", {"limit": -1}).status_code == 422


def test_limit_is_capped(client, zones):
    zone = zones["GS-LZ"]
    Enterprise.objects.bulk_create(
        Enterprise(
            uscc=make_uscc("620100", f"3{i:07d}"), name=f"批量企业{i:04d}", zone=zone, industry_code="C3985"
        )
        for i in range(MAX_LIMIT + 1)
    )
    body = client.get("/api/v1/enterprises", {"limit": MAX_LIMIT + 500}).json()
    assert body["count"] == MAX_LIMIT + 5 and len(body["items"]) == MAX_LIMIT


def test_detail(client, data):
    enterprise = data["enterprises"]["金昌镍钴新材料有限公司"]
    item = client.get(f"/api/v1/enterprises/{enterprise.uscc}").json()
    assert list(item) == ENTERPRISE_KEYS and item["name"] == enterprise.name and item["zone_code"] == "GS-JC"
    assert item["tags"] == []
    missing = client.get("/api/v1/enterprises/91620100MA00000000")
    assert missing.status_code == 404 and "未找到" in missing.json()["detail"]
