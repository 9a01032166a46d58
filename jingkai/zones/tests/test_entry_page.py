"""Indicator data entry (zones:entry): a form per catalogue indicator of the period's frequency, saved through the
intake."""

from django.urls import reverse

from jingkai.audit.models import AuditEntry
from jingkai.zones.models import IndicatorValue


def _value(zone, period, key):
    row = IndicatorValue.objects.filter(zone__code=zone, period=period, indicator__key=key).first()
    return row.value if row else None


def test_zone_user_gets_its_zone_with_existing_values(client, lz_zone_user):
    client.force_login(lz_zone_user)
    page = client.get("/indicators/entry/?period=2025-09").content.decode()
    assert "兰州经济技术开发区 · 2025年1—9月" in page
    assert 'name="v_industrial_output" value="1800"' in page
    assert "2025年1—8月" in page and "1,700.0" in page  # the previous month shown beside
    assert 'name="v_rd_intensity"' not in page  # a yearly indicator is not on a monthly form


def test_yearly_period_shows_yearly_indicators(client, lz_zone_user):
    client.force_login(lz_zone_user)
    page = client.get("/indicators/entry/?zone=GS-LZ&period=2024").content.decode()
    assert 'name="v_rd_intensity" value="0.021"' in page and 'name="v_industrial_output"' not in page
    assert "比例（0—1）" in page


def test_bad_period_is_explained(client, lz_zone_user):
    client.force_login(lz_zone_user)
    page = client.get("/indicators/entry/?zone=GS-LZ&period=2025-13").content.decode()
    assert "期间格式应为" in page and 'name="v_' not in page


def test_other_zone_is_404_and_department_cannot_write(client, lz_zone_user, dept_user):
    client.force_login(lz_zone_user)
    assert client.get("/indicators/entry/?zone=GS-JC&period=2025-09").status_code == 404
    assert client.post("/indicators/entry/", {"zone": "GS-JC", "period": "2025-09",
                                              "v_industrial_output": "1"}).status_code == 404
    assert _value("GS-JC", "2025-09", "industrial_output") == 3600
    client.force_login(dept_user)
    page = client.get("/indicators/entry/").content.decode()
    assert "没有可填报的园区" in page


def test_save_updates_and_creates_through_the_intake(client, lz_zone_user):
    client.force_login(lz_zone_user)
    response = client.post("/indicators/entry/", {
        "zone": "GS-LZ", "period": "2025-09", "v_industrial_output": "1850", "v_gdp": "5000",
        "v_tax_revenue": "1800", "v_exports": "",
    }, follow=True)
    assert response.redirect_chain[-1][0] == "/indicators/entry/?zone=GS-LZ&period=2025-09"
    page = response.content.decode()
    assert "新增 1 项，更新 1 项。" in page  # 税收收入 was not changed and is not re-sent
    assert _value("GS-LZ", "2025-09", "industrial_output") == 1850
    assert _value("GS-LZ", "2025-09", "gdp") == 5000 and _value("GS-LZ", "2025-09", "exports") is None
    assert IndicatorValue.objects.get(zone__code="GS-LZ", period="2025-09", indicator__key="gdp").source == "网页填报"
    assert IndicatorValue.objects.get(zone__code="GS-LZ", period="2025-09", indicator__key="tax_revenue").source == ""
    assert AuditEntry.objects.filter(user=lz_zone_user).exists()
    # the form submitted again as it now stands writes nothing
    response = client.post("/indicators/entry/", {"zone": "GS-LZ", "period": "2025-09",
                                                  "v_industrial_output": "1850", "v_gdp": "5000"}, follow=True)
    assert "没有修改任何数值" in response.content.decode()


def test_errors_shown_next_to_the_fields_and_nothing_saved(client, lz_zone_user):
    client.force_login(lz_zone_user)
    response = client.post("/indicators/entry/", {
        "zone": "GS-LZ", "period": "2025-09",
        "v_industrial_output": "abc",       # not a number
        "v_fixed_asset_investment": "1600",  # falls below 1—8月 (1,700): cumulative flows may not fall
        "v_gdp": "5000",                     # valid, but the batch is all-or-nothing
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "未保存任何数据" in page
    row = page[page.index('id="id_v_industrial_output"'):]
    assert 'value="abc"' in row[:200] and 'class="field-error"' in row[:400]
    fai = page[page.index('id="id_v_fixed_asset_investment"'):]
    assert 'class="field-error"' in fai[:500]
    assert _value("GS-LZ", "2025-09", "gdp") is None and _value("GS-LZ", "2025-09", "industrial_output") == 1800


def test_fraction_above_one_is_refused(client, lz_zone_user):
    client.force_login(lz_zone_user)
    response = client.post("/indicators/entry/", {"zone": "GS-LZ", "period": "2024", "v_rd_intensity": "3.5"})
    assert response.status_code == 400
    row = response.content.decode().split('id="id_v_rd_intensity"')[1][:500]
    assert "不得大于 1" in row


def test_saving_needs_the_enter_data_capability(client, dept_user):
    client.force_login(dept_user)
    response = client.post("/indicators/entry/", {"zone": "GS-LZ", "period": "2025-09", "v_industrial_output": "1"})
    assert response.status_code == 403 and "您无权填报园区指标" in response.content.decode()
    assert _value("GS-LZ", "2025-09", "industrial_output") == 1800


def test_a_zone_outside_the_pickable_ones_is_404_even_for_reading(client, dept_user):
    client.force_login(dept_user)
    assert client.get("/indicators/entry/?zone=GS-LZ&period=2025-09").status_code == 404


def test_entry_page_is_the_zones_and_marked_in_the_menu(client, lz_zone_user, dept_user):
    assert reverse("zones:entry") == "/indicators/entry/"
    client.force_login(lz_zone_user)
    page = client.get("/indicators/entry/").content.decode()
    assert 'href="/indicators/entry/" class="active"' in page and 'href="/zones/mine/" class="active"' not in page

    client.force_login(dept_user)  # no entry in its menu: the page marks no other section either
    assert 'class="active"' not in client.get("/indicators/entry/").content.decode()
