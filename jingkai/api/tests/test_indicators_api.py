import pytest

from jingkai.zones.models import Indicator

from .conftest import bearer


@pytest.fixture
def client(data, province_user):
    return bearer(province_user)


def test_catalogue(client):
    body = client.get("/api/v1/indicators", {"limit": 1000}).json()
    assert body["count"] == Indicator.objects.count() == len(body["items"]) >= 24
    by_key = {item["key"]: item for item in body["items"]}
    gdp = by_key["gdp"]
    assert set(gdp) >= {
        "key",
        "name",
        "unit",
        "direction",
        "frequency",
        "cumulative",
        "definition",
        "source_department",
        "unverified",
    }
    assert (gdp["name"], gdp["unit"], gdp["direction"], gdp["frequency"], gdp["cumulative"]) == (
        "地区生产总值",
        "万元",
        1,
        "quarter",  # 地区生产总值 is reported by quarter (一季度, 上半年, 前三季度, 全年)
        True,
    )
    assert gdp["source_department"] == "dept-tjj" and gdp["unverified"] is True
    assert by_key["energy_per_value_added"]["direction"] == -1
    assert by_key["rd_intensity"]["upper_bound"] == 1
    yearly = client.get("/api/v1/indicators", {"frequency": "year", "limit": 1000}).json()
    assert yearly["count"] > 0 and {i["frequency"] for i in yearly["items"]} == {"year"}


def test_values_carry_canonical_keys(client):
    body = client.get(
        "/api/v1/indicator-values", {"zone_code": "GS-LZ", "indicator": "new_urban_jobs"}
    ).json()
    assert body == {
        "count": 1,
        "items": [
            {
                "zone_code": "GS-LZ",
                "period": "2024",
                "indicator": "new_urban_jobs",
                "value": 800.0,
                "base_revised": None,
                "unit": "人",
                "source": "",
                "note": "演示",
            }
        ],
    }


def test_value_filters_and_paging(client):
    everything = client.get("/api/v1/indicator-values").json()
    assert everything["count"] == 8
    gdp_lz = client.get("/api/v1/indicator-values", {"zone_code": "GS-LZ", "indicator": "gdp"}).json()
    # monthly values are cumulative from January, in period order
    assert [(i["period"], i["value"]) for i in gdp_lz["items"]] == [
        ("2024-01", 100.0),
        ("2024-02", 210.0),
        ("2024-03", 330.0),
    ]
    assert all(i["unit"] == "万元" and i["source"] == "统计局" for i in gdp_lz["items"])
    feb = client.get("/api/v1/indicator-values", {"period": "2024-02"}).json()
    assert {(i["zone_code"], i["value"]) for i in feb["items"]} == {("GS-LZ", 210.0), ("GS-JC", 105.0)}
    page = client.get("/api/v1/indicator-values", {"limit": 2, "offset": 7}).json()
    assert page["count"] == 8 and page["items"] == everything["items"][7:]
