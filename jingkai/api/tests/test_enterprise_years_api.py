import pytest

from jingkai.enterprises.models import YEAR_TABLES

from .conftest import bearer

YEAR_KEYS = ["uscc", "year"] + [f.name for table in YEAR_TABLES for f in table.fact_fields()]


@pytest.fixture
def client(data, province_user):
    return bearer(province_user)


def test_items_carry_every_field_by_canonical_key(client, data):
    uscc = data["enterprises"]["兰州新材料有限公司"].uscc
    body = client.get("/api/v1/enterprise-years", {"uscc": uscc, "year": 2024}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert sorted(item) == sorted(YEAR_KEYS) and list(item)[:2] == ["uscc", "year"]
    # keys of the data dictionary, unrenamed
    for key in ("revenue", "tax_paid", "energy_tce", "ip_class1_high_value", "niche_market_share", "honors"):
        assert key in item
    assert item["uscc"] == uscc and item["year"] == 2024
    assert item["revenue"] == 3024.0 and item["tax_paid"] == 50.5 and item["employees"] == 120
    assert item["rd_expense"] is None and item["honors"] == ["high_tech_enterprise"]


def test_filters_and_paging(client, data):
    rows = client.get("/api/v1/enterprise-years").json()
    assert rows["count"] == 8
    assert [(i["uscc"], i["year"]) for i in rows["items"]] == sorted(
        (i["uscc"], i["year"]) for i in rows["items"]
    )
    assert client.get("/api/v1/enterprise-years", {"year": 2023}).json()["count"] == 4
    jc = client.get("/api/v1/enterprise-years", {"zone_code": "GS-JC"}).json()
    assert jc["count"] == 2 and {i["uscc"] for i in jc["items"]} == {
        data["enterprises"]["金昌镍钴新材料有限公司"].uscc
    }
    assert client.get("/api/v1/enterprise-years", {"year": 2022}).json() == {"count": 0, "items": []}
    page = client.get("/api/v1/enterprise-years", {"limit": 3, "offset": 6}).json()
    assert page["count"] == 8 and page["items"] == rows["items"][6:8]
