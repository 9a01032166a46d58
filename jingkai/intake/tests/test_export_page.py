"""Exports from the enterprise list and the zone page obey the scope."""

import csv
import io


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_province_exports_every_enterprise(client, prov_user):
    client.force_login(prov_user)
    response = client.get("/export/enterprises.csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert len(rows) == 120 and {"统一社会信用代码", "企业名称", "所在园区"} <= set(rows[0])
    assert b"".join(client.get("/export/enterprises.csv").streaming_content).startswith(b"\xef\xbb\xbf")


def test_zone_export_from_the_zone_page(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/zones/GS-JC/").content.decode()
    assert 'href="/export/zone-indicators.csv?zone=GS-JC"' in page
    rows = _csv(client.get("/export/zone-indicators.csv?zone=GS-JC"))
    assert rows and {r["园区代码"] for r in rows} == {"金昌经济技术开发区"}


def test_zone_user_exports_only_its_zone(client, lz_zone_user):
    client.force_login(lz_zone_user)
    rows = _csv(client.get("/export/enterprises.csv"))
    assert len(rows) == 70 and {r["所在园区"] for r in rows} == {"兰州经济技术开发区"}
    assert client.get("/export/enterprises.csv?zone=GS-JC").status_code == 404
    assert client.get("/export/enterprises.pdf").status_code == 404


def test_xlsx_export(client, lz_zone_user):
    client.force_login(lz_zone_user)
    response = client.get("/export/enterprise-years.xlsx?zone=GS-LZ")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
    assert ".xlsx" in response["Content-Disposition"]


def test_enterprise_list_export_follows_the_zone_filter(client, prov_user):
    client.force_login(prov_user)
    partial = client.get("/enterprises/?zone=GS-TS", headers={"HX-Request": "true", "HX-Target": "results"})
    assert 'href="/export/enterprises.xlsx?zone=GS-TS"' in partial.content.decode()
