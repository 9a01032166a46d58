"""上年同期调整值 (base_revised): a zone states last year's figure revised to this year's comparable scope
next to the stored one, in the entry form and in imports; the stored original is kept and the write audited."""

from jingkai.audit.models import AuditEntry
from jingkai.intake.services import run_import_rows
from jingkai.zones.models import IndicatorValue


def _row(zone, period, key):
    return IndicatorValue.objects.get(zone__code=zone, period=period, indicator__key=key)


def test_entry_form_saves_a_revised_base_next_to_the_stored_value(client, lz_zone_user):
    client.force_login(lz_zone_user)
    page = client.get("/indicators/entry/?zone=GS-LZ&period=2025-09").content.decode()
    assert "上年同期（2024年1—9月）" in page and "上年同期调整值（选填）" in page
    assert 'name="b_tax_revenue" value=""' in page
    before = AuditEntry.objects.count()
    response = client.post("/indicators/entry/", {"zone": "GS-LZ", "period": "2025-09", "b_tax_revenue": "1712.5"},
                           follow=True)
    assert "更新 1 项" in response.content.decode()
    row = _row("GS-LZ", "2025-09", "tax_revenue")
    assert row.base_revised == 1712.5 and row.value == 1800  # the value is kept as stored
    assert _row("GS-LZ", "2024-09", "tax_revenue").value == 1800 / 1.1  # last year's original is kept
    assert AuditEntry.objects.count() > before
    page = client.get("/indicators/entry/?zone=GS-LZ&period=2025-09").content.decode()
    assert 'name="b_tax_revenue" value="1712.5"' in page
    # emptied again: the revision is withdrawn
    client.post("/indicators/entry/", {"zone": "GS-LZ", "period": "2025-09", "b_tax_revenue": ""})
    assert _row("GS-LZ", "2025-09", "tax_revenue").base_revised is None


def test_a_revised_base_without_a_value_is_refused_on_its_field(client, lz_zone_user):
    client.force_login(lz_zone_user)
    response = client.post("/indicators/entry/", {"zone": "GS-LZ", "period": "2025-09", "b_gdp": "4200"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "填写上年同期调整值时须同时填写本期数值" in page
    assert not IndicatorValue.objects.filter(zone__code="GS-LZ", period="2025-09", indicator__key="gdp").exists()


def test_import_takes_the_revised_base_column(site_data):
    rows = [{"zone_code": "GS-JC", "period": "2025-09", "indicator": "tax_revenue", "value": "3600",
             "base_revised": "3340.8"},
            {"zone_code": "GS-JC", "period": "2025-08", "indicator": "tax_revenue", "value": "3300",
             "base_revised": "abc"}]
    result = run_import_rows("zone-indicators", rows)
    assert not result.ok and [(e.row, e.value) for e in result.errors] == [(2, "abc")]
    assert result.errors[0].column.startswith("上年同期调整值")
    assert run_import_rows("zone-indicators", rows[:1]).ok
    assert _row("GS-JC", "2025-09", "tax_revenue").base_revised == 3340.8
    # a file without the column leaves a stated revision alone
    assert run_import_rows("zone-indicators", [{"zone_code": "GS-JC", "period": "2025-09",
                                                "indicator": "tax_revenue", "value": "3610"}]).ok
    assert _row("GS-JC", "2025-09", "tax_revenue").base_revised == 3340.8


def test_api_shows_the_revised_base(client, prov_user):
    IndicatorValue.objects.filter(zone__code="GS-LZ", period="2025-09", indicator__key="tax_revenue").update(
        base_revised=1712.5)
    client.force_login(prov_user)
    items = client.get("/api/v1/indicator-values?zone_code=GS-LZ&period=2025-09&indicator=tax_revenue").json()["items"]
    assert items[0]["base_revised"] == 1712.5
