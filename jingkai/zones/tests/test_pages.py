"""The zone list and the zone page, with scope: another zone's page is a 404."""

import json
import re


def test_zone_list_shows_gansu_zones(client, prov_user, site_data):
    from jingkai.testing import make_zone

    make_zone("JS-SZ", name="苏州工业园区", province="江苏省", region="east", is_demo=True)
    client.force_login(prov_user)
    page = client.get("/zones/").content.decode()
    assert "共 6 个园区（甘肃省）" in page and "苏州工业园区" not in page
    page = client.get("/zones/?all=1").content.decode()
    assert "共 7 个园区" in page and "苏州工业园区" in page
    page = client.get("/zones/?level=provincial").content.decode()
    assert "共 2 个园区" in page and "兰州新区省级开发区" in page and "张掖经济技术开发区" not in page


def test_zone_page_facts_counts_and_latest_values(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/zones/GS-LZ/").content.decode()
    assert "<h1>兰州经济技术开发区</h1>" in page
    assert "石油化工、装备制造" in page and "2002" in page and "620100" in page
    assert "共 70 家，其中规上 35 家" in page
    assert "电气机械和器材制造业" in page  # C38 by the GB/T 4754-2017 table
    # rd_intensity 0.021 (a fraction) shows as a percentage for its year
    row = page[page.index("企业R&amp;D经费投入强度"):]
    assert "2024年" in row[:400] and "2.10%" in row[:400] and "1.80%" in row[:500]
    assert "+0.30个百分点" in row[:700]  # a ratio changes by percentage points, not by a growth rate
    # 规上工业总产值 has a yearly 2024 value and monthly 2025 values: the latest is 2025年1—9月
    row = page[page.index("<tr><td>规模以上工业总产值"):]
    assert "2025年1—9月" in row[:400] and "1,800.0" in row[:400]


def test_zone_page_charts(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/zones/GS-JC/").content.decode()
    charts = re.findall(r'<script id="(chart-[a-z_]+)" type="application/json">(.*?)</script>', page)
    assert {c[0] for c in charts} == {"chart-industrial_output", "chart-fixed_asset_investment", "chart-trade_total",
                                      "chart-fdi_actual_usd", "chart-tax_revenue"}
    data = json.loads(charts[0][1])
    assert [s["name"] for s in data["series"]] == ["金昌经开区", "金昌经开区"]


def test_zone_user_sees_own_zone_only(client, lz_zone_user):
    client.force_login(lz_zone_user)
    assert client.get("/zones/GS-LZ/").status_code == 200
    assert client.get("/zones/GS-JC/").status_code == 404
    assert client.get("/zones/NO-SUCH/").status_code == 404
    assert client.get("/zones/")["Location"] == "/zones/mine/"  # one zone: no list, its page


def test_my_zone_redirects(client, lz_zone_user, prov_user):
    client.force_login(lz_zone_user)
    assert client.get("/zones/mine/")["Location"] == "/zones/GS-LZ/"
    client.force_login(prov_user)
    assert client.get("/zones/mine/")["Location"] == "/zones/"
