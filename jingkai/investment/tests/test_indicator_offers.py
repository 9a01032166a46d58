"""The pipeline's figures offered to the zone indicator entry (extension point zones.indicator_offers): 实际使用外资
of a month (1—n月累计) from the projects' 到位外资 records, adopted into the form and saved through the intake
(audited as any entry); never into an approved month, never another zone's."""

from datetime import date
from decimal import Decimal

import pytest

from jingkai.audit.models import AuditEntry
from jingkai.investment import services
from jingkai.investment.models import CoBuild
from jingkai.investment.selectors import indicator_offers
from jingkai.investment.tests.test_pipeline import new
from jingkai.monitoring.models import ReportingCalendar, Submission
from jingkai.zones.models import Indicator, IndicatorValue
from jingkai.zones.periods import Period

ENTRY = "/indicators/entry/"


@pytest.fixture
def receipts(site_data, lz_zone_user, jc_zone_user):
    lz = services.create_project(lz_zone_user, new(site_data["GS-LZ"], contracted_fdi=Decimal("20000")))
    other = services.create_project(lz_zone_user, new(site_data["GS-LZ"], name="第二个项目", company="某外资公司"))
    jc = services.create_project(jc_zone_user, new(site_data["GS-JC"], company="金昌某外资公司"))
    services.record_fdi_receipt(lz_zone_user, lz, month=date(2025, 3, 1), amount=Decimal("2200.5"))
    services.record_fdi_receipt(lz_zone_user, lz, month=date(2025, 8, 15), amount=Decimal("300"))
    services.record_fdi_receipt(lz_zone_user, other, month=date(2025, 9, 1), amount=Decimal("99.5"))
    services.record_fdi_receipt(lz_zone_user, other, month=date(2025, 10, 1), amount=Decimal("5000"))  # later month
    services.record_fdi_receipt(lz_zone_user, lz, month=date(2024, 9, 1), amount=Decimal("7777"))  # last year
    services.record_fdi_receipt(jc_zone_user, jc, month=date(2025, 9, 1), amount=Decimal("888"))
    return lz


def test_offer_is_the_cumulative_of_the_zone_receipts(site_data, receipts):
    [offer] = indicator_offers(site_data["GS-LZ"], Period(2025, month=9))
    assert (offer.indicator, offer.value) == ("fdi_actual_usd", Decimal("2600.00"))
    assert offer.source == "招商项目库：1—9月 2 个项目到位外资合计" and offer.as_of is not None
    assert [o.value for o in indicator_offers(site_data["GS-LZ"], Period(2025, month=2))] == []
    assert [o.value for o in indicator_offers(site_data["GS-JC"], Period(2025, month=9))] == [Decimal("888.00")]
    receipts.refresh_from_db()
    assert receipts.actual_fdi == Decimal("10277.50")  # the project's total is its receipts'
    assert AuditEntry.objects.filter(model="investment.Project", action="fdi_receipt").count() == 6


def test_receipt_refuses_a_future_month_and_another_zone(site_data, receipts, jc_zone_user, lz_zone_user):
    from django.core.exceptions import PermissionDenied, ValidationError
    with pytest.raises(PermissionDenied):
        services.record_fdi_receipt(jc_zone_user, receipts, month=date(2025, 9, 1), amount=Decimal("1"))
    with pytest.raises(ValidationError, match="到位月份不能晚于本月"):
        services.record_fdi_receipt(lz_zone_user, receipts, month=date(2999, 1, 1), amount=Decimal("1"))


def test_offer_shows_adopts_and_saves_with_audit(client, site_data, receipts, lz_zone_user):
    client.force_login(lz_zone_user)
    page = client.get(f"{ENTRY}?zone=GS-LZ&period=2025-09").content.decode()
    row = page[page.index('id="id_v_fdi_actual_usd"'):][:1200]
    assert "招商项目库：1—9月 2 个项目到位外资合计，建议值 2600 万美元" in row and 'value="fdi_actual_usd:0"' in row
    assert "888" not in page  # 金昌's receipts are not offered to 兰州
    # 采用 fills the field and keeps the user's other edits; nothing is saved yet
    before = IndicatorValue.objects.filter(zone__code="GS-LZ", period="2025-09").count()
    adopted = client.post(ENTRY, {"zone": "GS-LZ", "period": "2025-09", "v_tax_revenue": "321",
                                  "adopt": "fdi_actual_usd:0"})
    text = adopted.content.decode()
    assert adopted.status_code == 200 and 'name="v_fdi_actual_usd" value="2600"' in text
    assert 'name="v_tax_revenue" value="321"' in text and "已填入建议值" in text
    assert IndicatorValue.objects.filter(zone__code="GS-LZ", period="2025-09").count() == before
    saved = client.post(ENTRY, {"zone": "GS-LZ", "period": "2025-09", "v_fdi_actual_usd": "2600"})
    assert saved.status_code == 302
    value = IndicatorValue.objects.get(zone__code="GS-LZ", period="2025-09", indicator__key="fdi_actual_usd")
    assert value.value == 2600
    assert value.source == "网页填报"
    assert AuditEntry.objects.filter(user=lz_zone_user).exclude(model="investment.Project").exists()
    # a stale or forged token is refused, not guessed
    assert client.post(ENTRY, {"zone": "GS-LZ", "period": "2025-09", "adopt": "fdi_actual_usd:7"}).status_code == 404


def test_an_approved_month_offers_nothing_to_adopt(client, site_data, receipts, lz_zone_user):
    cal = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    cal.indicators.set(Indicator.objects.filter(key__in=["fdi_actual_usd", "tax_revenue"]))
    cal.zones.set(site_data.values())
    Submission.objects.create(calendar=cal, zone=site_data["GS-LZ"], period="2025-09", state="approved",
                              submitted_at="2025-10-05T10:00:00+08:00")
    client.force_login(lz_zone_user)
    page = client.get(f"{ENTRY}?zone=GS-LZ&period=2025-09").content.decode()
    assert "已锁定" in page and 'name="adopt"' not in page and "建议值" not in page
    assert client.post(ENTRY, {"zone": "GS-LZ", "period": "2025-09", "adopt": "fdi_actual_usd:0"}).status_code == 404


def test_a_zone_never_sees_another_zones_offers(client, site_data, receipts, jc_zone_user, dept_user):
    client.force_login(jc_zone_user)
    page = client.get(f"{ENTRY}?zone=GS-JC&period=2025-09").content.decode()
    assert "建议值 888 万美元" in page and "建议值 2600" not in page
    assert client.get(f"{ENTRY}?zone=GS-LZ&period=2025-09").status_code == 404
    assert client.post(ENTRY, {"zone": "GS-LZ", "period": "2025-09", "adopt": "fdi_actual_usd:0"}).status_code == 404
    client.force_login(dept_user)  # a department enters nothing: no offer, no adopt
    assert "建议值" not in client.get(f"{ENTRY}?zone=GS-LZ&period=2025-09").content.decode()


def test_co_built_parks_offered_for_a_year(site_data, receipts):
    CoBuild.objects.create(zone=site_data["GS-LZ"], partner="江苏某经开区", partner_region="江苏省",
                           signed_on=date(2024, 5, 1), sharing="五五分成")
    [offer] = indicator_offers(site_data["GS-LZ"], Period(2024))
    assert (offer.indicator, offer.value) == ("co_built_parks", 1)
    assert indicator_offers(site_data["GS-LZ"], Period(2023)) == []
