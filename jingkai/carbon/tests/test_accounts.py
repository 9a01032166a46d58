"""A zone's stored account: built from its enterprises' energy records, pinned to its factor set and reproducible
with it, a trial (试算) until the data gate is confirmed; the zone page shows the inventory and the 1+5 table."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from jingkai.audit.models import AuditEntry
from jingkai.carbon.models import EnergyRecord
from jingkai.carbon.services import compute, confirm_gate, zone_result
from jingkai.engines import carbon as engine
from jingkai.enterprises.models import Enterprise


@pytest.fixture
def records(site_data):
    lz = site_data["GS-LZ"]
    for n, e in enumerate(Enterprise.objects.filter(zone=lz).order_by("uscc")[:5]):
        EnergyRecord.objects.create(enterprise=e, year=2025, electricity_kwh=1_000_000 * (n + 1),
                                    green_power_kwh=200_000, green_direct_kwh=200_000, natural_gas_m3=10_000)
    return lz


def test_a_stored_account_pins_its_factor_set_and_is_reproduced_with_it(records, lz_zone_user):
    account = compute(lz_zone_user, records, 2025)
    assert not account.formal  # no gate yet: a trial
    z = account.result["zone"]
    expected_power = (15_000_000 - 5 * 200_000) * 0.4471 / 1000  # 甘肃 2023 factor for 2025 (latest earlier)
    assert z["co2_by_source"]["electricity"] == pytest.approx(expected_power)
    assert z["enterprises"] == 5 and z["co2_t"] == pytest.approx(expected_power + 5 * 21.621888, rel=1e-6)
    pinned = engine.load_pinned({"id": account.factor_set_id, "version": account.factor_set_version,
                                 "digest": account.factor_set_digest})
    assert zone_result(records, 2025, pinned) == account.result
    assert AuditEntry.objects.filter(model="carbon.account", object_key=str(account.pk)).exists()


def test_formal_only_when_the_whole_gate_is_confirmed(records, lz_zone_user):
    confirm_gate(lz_zone_user, records, boundary=True, enterprise_list=True, baseline_year=None, factor_set_id="")
    assert not compute(lz_zone_user, records, 2025).formal
    confirm_gate(lz_zone_user, records, boundary=True, enterprise_list=True, baseline_year=2025,
                 factor_set_id="carbon-factors-2025.1")
    assert compute(lz_zone_user, records, 2025).formal


def test_a_department_reads_but_does_not_compute(records, dept_user):
    with pytest.raises(PermissionDenied):
        compute(dept_user, records, 2025)


def test_zone_page_shows_inventory_and_the_1_plus_5_table(client, records, lz_zone_user, jc_zone_user):
    compute(lz_zone_user, records, 2025)
    client.force_login(lz_zone_user)
    page = client.get(reverse("carbon:zone", args=["GS-LZ"])).content.decode()
    for text in ("二氧化碳排放清单", "外购电力", "0.4471", "待确认", "单位能耗碳排放", "尚未确认", "试算",
                 "工业用水重复利用率", "待录入"):
        assert text in page, text
    assert "None" not in page and "official" not in page
    assert "兰州" in client.get(reverse("carbon:index")).content.decode()
    client.force_login(jc_zone_user)
    assert client.get(reverse("carbon:zone", args=["GS-LZ"])).status_code == 404
