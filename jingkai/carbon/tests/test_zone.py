"""A zone's green facts (the five guiding indicators, entered per year with their source) in its 1+5 verdict, a
value equal to its threshold meeting it and a missing one 待录入; the energy balance sankey (data by json_script,
no inline script); the what-if; 绿色工业园区 eligibility with every criterion and 绿色工厂; the MOFCOM green
indicators offered to the zone indicators."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from jingkai.carbon.models import EnergyRecord, ZoneGreenFacts
from jingkai.carbon.selectors import OFFERED, green_park, indicator_offers, zone_carbon
from jingkai.carbon.services import compute
from jingkai.enterprises.models import Enterprise, EnterpriseFinance, EnterpriseTag
from jingkai.intake.services import run_import
from jingkai.zones.models import Indicator, IndicatorValue
from jingkai.zones.periods import Period

DICTIONARY = Path("/work/shared/reference/data-dictionary.md")
FACTS = "zone_code,year,clean_energy_share,product_energy_grade2,solid_waste_utilisation,waste_heat_utilisation,water_reuse,legal_boundary,source\n"


@pytest.fixture
def lz(site_data, lz_zone_user):
    zone = site_data["GS-LZ"]
    for n, e in enumerate(Enterprise.objects.filter(zone=zone).order_by("uscc")[:4]):
        for year, scale in ((2024, 1.0), (2025, 1.1)):
            EnergyRecord.objects.create(enterprise=e, year=year, electricity_kwh=1_000_000 * (n + 1) * scale,
                                        natural_gas_m3=10_000, electricity_exported_kwh=10_000)
    compute(lz_zone_user, zone, 2024)
    compute(lz_zone_user, zone, 2025)
    return zone


def facts(tmp_path, line: str):
    path = tmp_path / "f.csv"
    path.write_text(FACTS + line + "\n", encoding="utf-8")
    return run_import("zone-green-facts", path)


def test_guides_entered_at_their_thresholds_meet_them(tmp_path, lz):
    assert facts(tmp_path, "GS-LZ,2025,0.9,是,0.8,0.5,0.79,是,园区管委会 2025 年统计").ok
    stored = ZoneGreenFacts.objects.get()
    assert (stored.clean_energy_share, stored.product_energy_grade2, stored.source) == (0.9, True, "园区管委会 2025 年统计")
    rows = {i.name: i for i in zone_carbon(lz).indicators}
    assert [rows[n].passed for n in ("清洁能源消费占比", "工业固体废物综合利用率", "余热/余冷/余压综合利用率")] == ["达到"] * 3
    assert rows["园区企业产出产品单位能耗"].passed == "达到" and rows["园区企业产出产品单位能耗"].value == "是"
    assert rows["工业用水重复利用率"].passed == "未达到" and rows["工业用水重复利用率"].gap == pytest.approx(0.01)


def test_missing_guides_are_to_be_entered_and_bad_ones_refused(client, tmp_path, lz, lz_zone_user):
    assert facts(tmp_path, "GS-LZ,2025,0.95,,,,,,园区填报").ok
    rows = {i.name: i.passed for i in zone_carbon(lz).indicators}
    assert rows["清洁能源消费占比"] == "达到" and rows["工业用水重复利用率"] == "待录入"
    bad = facts(tmp_path, "GS-LZ,2025,1.2,,,,,,园区填报")
    assert not bad.ok and (bad.errors[0].row, bad.errors[0].value) == (2, "1.2")
    assert ZoneGreenFacts.objects.get().clean_energy_share == 0.95
    client.force_login(lz_zone_user)
    page = client.get(reverse("carbon:zone", args=["GS-LZ"])).content.decode()
    assert "待录入" in page and "园区填报" in page


def test_the_zone_page_has_the_sankey_by_carrier_without_inline_script(client, lz, lz_zone_user):
    client.force_login(lz_zone_user)
    page = client.get(reverse("carbon:zone", args=["GS-LZ"])).content.decode()
    data = json.loads(re.search(r'<script id="carbon-balance" type="application/json">(.*?)</script>', page, re.S)[1])
    links = {(link["source"], link["target"]): link["value"] for link in data["links"]}
    assert links[("电网电力", "园区企业")] == pytest.approx(11_000_000 * 0.1229 / 1000)
    assert links[("天然气", "园区企业")] == pytest.approx(40_000 * 1.33 / 1000)
    assert links[("园区企业", "输出电力")] == pytest.approx(40_000 * 0.1229 / 1000)
    assert 'data-sankey="carbon-balance"' in page and "carbon/carbon.js" in page and "vendor/echarts.min.js" in page
    inline = [s for s in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page) if "application/json" not in s]
    assert inline == [] and " on" + "click=" not in page and "<style" not in page


def test_what_if_gives_the_new_core_value(client, lz, lz_zone_user):
    client.force_login(lz_zone_user)
    url = reverse("carbon:zone", args=["GS-LZ"])
    before = zone_carbon(lz).indicators[0].value
    page = client.get(url, {"certificates_mwh": "1000"}).content.decode()
    co2, tce = lz.carbon_accounts.get(year=2025).result["zone"]["co2_t"], lz.carbon_accounts.get(
        year=2025).result["zone"]["energy_tce"]
    after = (co2 - 1000 * 0.4471) / tce
    assert f"{before:.3f} → {after:.3f}" in page and re.search(r"1,?000 个", page)
    no_hours = client.get(url, {"pv_mw": "5"}).content.decode()
    assert "须填写年等效满负荷利用小时数" in no_hours and "待确认" in no_hours
    pv = client.get(url, {"pv_mw": "5", "hours": "1200"}).content.decode()
    assert re.search(r"6,?000 兆瓦时", pv)


def test_green_park_eligibility_shows_every_criterion(tmp_path, lz):
    park = green_park(lz)
    assert [c.name for c in park.criteria] == ["工业增加值占比", "园区级别", "统一管理机构", "法定边界和范围"]
    assert {c.name: c.verdict for c in park.criteria}["工业增加值占比"] == "待录入" and park.verdict == "待录入"
    indicators = {i.key: i for i in Indicator.objects.filter(key__in=("gdp", "industrial_value_added"))}
    IndicatorValue.objects.create(zone=lz, indicator=indicators["gdp"], period="2025-Q4", value=1000)
    IndicatorValue.objects.create(zone=lz, indicator=indicators["industrial_value_added"], period="2025-12", value=500)
    assert facts(tmp_path, "GS-LZ,2025,,,,,,是,园区规划批复").ok
    share = green_park(lz).criteria[0]
    assert (share.value, share.verdict) == ("50.0%（2025年）", "不符合")  # 超过 50%: exactly half is not enough
    IndicatorValue.objects.filter(period="2025-12").update(value=501)
    park = green_park(lz)
    assert park.verdict == "符合" and park.green_factories == 0
    EnterpriseTag.objects.create(enterprise=Enterprise.objects.filter(zone=lz).first(), tag="green_factory")
    assert green_park(lz).green_factories == 1


def test_mofcom_green_indicators_are_offered_from_the_same_records(lz):
    dictionary = DICTIONARY.read_text(encoding="utf-8")
    assert all(f"| {k} |" in dictionary for k in OFFERED)
    assert set(Indicator.objects.filter(key__in=OFFERED).values_list("key", flat=True)) == set(OFFERED)
    above = [e for e in Enterprise.objects.filter(zone=lz, energy_records__year=2025).order_by("uscc") if e.above_scale]
    for e in above:
        EnterpriseFinance.objects.create(enterprise=e, year=2025, value_added=2000)
    offers = {o.indicator: o for o in indicator_offers(lz, Period(2025))}
    assert set(offers) == set(OFFERED)
    result = lz.carbon_accounts.get(year=2025).result
    rows = [r for r in result["results"] if r["entity"] in {e.uscc for e in above}]
    va = 2000 * len(above)
    assert float(offers["energy_per_value_added"].value) == pytest.approx(sum(r["energy_tce"] for r in rows) / va,
                                                                          rel=1e-5)
    assert float(offers["co2_per_value_added"].value) == pytest.approx(sum(r["co2_t"] for r in rows) / va, rel=1e-5)
    growth = result["zone"]["co2_t"] / lz.carbon_accounts.get(year=2024).result["zone"]["co2_t"] - 1
    assert float(offers["co2_growth"].value) == pytest.approx(growth, rel=1e-5)
    assert isinstance(offers["co2_growth"].value, Decimal) and "碳核算" in offers["co2_growth"].source
    assert indicator_offers(lz, Period(2025, month=9)) == []
    Indicator.objects.filter(key="co2_growth").delete()
    assert "co2_growth" not in {o.indicator for o in indicator_offers(lz, Period(2025))}


def test_the_provider_is_registered_at_the_zones_extension_point(lz):
    from jingkai.zones.selectors import indicator_offers as offers_of_every_domain

    assert {o.indicator for o in offers_of_every_domain(lz, Period(2025))} >= {"co2_growth"}
