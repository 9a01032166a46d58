"""The enterprise list (search, filters, pagination, HTMX partial) and the enterprise page."""

from jingkai.enterprises.models import Enterprise


def _names(page: str) -> list[str]:
    import re

    return re.findall(r">(\w\w测试企业\d{3}有限公司)</a>", page)


def test_list_paginates_by_fifty(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/enterprises/").content.decode()
    assert "共 120 家企业，第 1—50 家" in page and len(_names(page)) == 50 and "第 1 / 3 页" in page
    page = client.get("/enterprises/?page=3").content.decode()
    assert "第 101—120 家" in page and len(_names(page)) == 20
    # past the last page: the last page, not an error
    assert "第 3 / 3 页" in client.get("/enterprises/?page=99").content.decode()


def test_search_by_name_and_by_uscc(client, prov_user):
    client.force_login(prov_user)
    assert _names(client.get("/enterprises/?q=企业007").content.decode()) == ["兰州测试企业007有限公司"]
    uscc = Enterprise.objects.get(name="金昌测试企业080有限公司").uscc
    assert _names(client.get(f"/enterprises/?q={uscc.lower()}").content.decode()) == ["金昌测试企业080有限公司"]


def test_filters_combine(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/enterprises/?zone=GS-JC&industry=c38&scale=large&above_scale=1").content.decode()
    expected = Enterprise.objects.filter(zone__code="GS-JC", industry_code__startswith="C38", size_class="large",
                                         above_scale=True)
    assert sorted(_names(page)) == sorted(e.name for e in expected) and expected.exists()
    page = client.get("/enterprises/?above_scale=0").content.decode()
    assert "共 60 家企业" in page


def test_pagination_links_keep_the_filters(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/enterprises/?zone=GS-LZ").content.decode()
    assert "共 70 家企业" in page and 'href="?zone=GS-LZ&amp;page=2"' in page


def test_htmx_request_gets_only_the_results(client, prov_user):
    client.force_login(prov_user)
    response = client.get("/enterprises/?zone=GS-TS", headers={"HX-Request": "true", "HX-Target": "results"})
    page = response.content.decode()
    assert "<html" not in page and "共 10 家企业" in page and len(_names(page)) == 10
    assert "HX-Target" in response["Vary"]
    full = client.get("/enterprises/?zone=GS-TS", headers={"HX-Request": "true", "HX-Target": "results",
                                                           "HX-History-Restore-Request": "true"})
    assert "<html" in full.content.decode()


def test_filter_form_works_without_javascript(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/enterprises/").content.decode()
    assert '<form method="get" action="/enterprises/"' in page and 'hx-get="/enterprises/"' in page
    assert 'hx-push-url="true"' in page


def test_zone_user_sees_only_its_enterprises(client, lz_zone_user):
    client.force_login(lz_zone_user)
    page = client.get("/enterprises/").content.decode()
    assert "共 70 家企业" in page and "金昌" not in "".join(_names(page))
    # asking for another zone by filter gives nothing rather than its enterprises
    assert "共 0 家企业" in client.get("/enterprises/?zone=GS-JC").content.decode()


def test_enterprise_page(client, prov_user):
    client.force_login(prov_user)
    e = Enterprise.objects.get(name="兰州测试企业000有限公司")
    page = client.get(f"/enterprises/{e.uscc}/").content.decode()
    assert "<h1>兰州测试企业000有限公司</h1>" in page and e.uscc in page
    assert "C3841" in page and "锂离子电池制造" in page
    tags = page[page.index("资质标签"):page.index("年度数据")]
    assert "高新技术企业" in tags and "有效" in tags
    assert "专精特新中小企业" in tags and "已过期" in tags
    years = page[page.index("年度数据"):]
    assert "2023 年" in years and "2024 年" in years
    assert "营业收入" in years and "万元" in years and "52,000.50" in years and "61,000.00" in years
    assert "省级" in years and "高新技术企业" in years  # choice label and honours translated
    assert "比例（0—1）" in years and "0.125" in years


def test_another_zones_enterprise_is_404(client, lz_zone_user):
    client.force_login(lz_zone_user)
    mine = Enterprise.objects.filter(zone__code="GS-LZ").first()
    theirs = Enterprise.objects.filter(zone__code="GS-JC").first()
    assert client.get(f"/enterprises/{mine.uscc}/").status_code == 200
    assert client.get(f"/enterprises/{theirs.uscc}/").status_code == 404


def test_the_enterprise_page_writes_units_in_chinese(client, prov_user):
    from jingkai.testing import make_enterprise_year

    e = Enterprise.objects.get(name="兰州测试企业000有限公司")
    make_enterprise_year(e, 2025, electricity_mwh=1200.5)
    client.force_login(prov_user)
    page = client.get(f"/enterprises/{e.uscc}/").content.decode()
    assert "兆瓦时" in page and "MWh" not in page
