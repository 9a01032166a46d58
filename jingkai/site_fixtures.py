"""A pytest plugin (registered in the root conftest): a small, fixed site for the page tests of every app —
the four Gansu national zones (flagged as demo data), two provincial zones, monthly cumulative indicators for
2024 and 2025 (January–September) and 120 enterprises — and a user of each role."""

from datetime import date, timedelta

import pytest

from jingkai.enterprises.models import Enterprise, EnterpriseTag
from jingkai.enterprises.uscc import make_uscc
from jingkai.testing import GANSU, make_enterprise_year, make_user, make_zone, zone_user
from jingkai.zones.models import Indicator, IndicatorValue, Zone
from jingkai.zones.services import ensure_reference_data

# Zone n (0 = 兰州, 1 = 金昌, …) reports (1000 + 100 × (month − 1)) × (n + 1) for every key indicator in
# 2025-01 … 2025-09, and 10% less in the same months of 2024.
MONTHS = range(1, 10)


def build_site_data() -> dict:
    ensure_reference_data()
    zones = {code: make_zone(code, is_demo=True, leading_industries=["石油化工", "装备制造"]) for code in GANSU}
    zones["GS-P1"] = make_zone("GS-P1", name="兰州新区省级开发区", level=Zone.Level.PROVINCIAL, city="兰州市",
                               division_code="620100", is_demo=True)
    zones["GS-P2"] = make_zone("GS-P2", name="白银高新技术产业开发区", level=Zone.Level.PROVINCIAL, city="白银市",
                               division_code="620400", is_demo=True)
    indicators = {i.key: i for i in Indicator.objects.all()}
    values = []
    for n, zone in enumerate(zones.values()):
        for key in ("industrial_output", "fixed_asset_investment", "trade_total", "fdi_actual_usd", "tax_revenue"):
            for month in MONTHS:
                current = (1000 + (month - 1) * 100) * (n + 1)
                values.append(IndicatorValue(zone=zone, indicator=indicators[key], period=f"2025-{month:02d}",
                                             value=current))
                values.append(IndicatorValue(zone=zone, indicator=indicators[key], period=f"2024-{month:02d}",
                                             value=current / 1.1))
        values.append(IndicatorValue(zone=zone, indicator=indicators["rd_intensity"], period="2024", value=0.021))
    values.append(IndicatorValue(zone=zones["GS-LZ"], indicator=indicators["rd_intensity"], period="2023",
                                 value=0.018))
    # a yearly value beside the monthly ones: the latest is still 2025年1—9月
    values.append(IndicatorValue(zone=zones["GS-LZ"], indicator=indicators["industrial_output"], period="2024",
                                 value=20000))
    IndicatorValue.objects.bulk_create(values)

    enterprises = []
    for i in range(120):
        zone = zones["GS-LZ"] if i < 70 else zones["GS-JC"] if i < 110 else zones["GS-TS"]
        size = ["large", "medium", "small", "micro"][i % 4]
        enterprises.append(Enterprise(
            uscc=make_uscc(zone.division_code, f"{i + 10000000:08d}"), name=f"{zone.city[:2]}测试企业{i:03d}有限公司",
            zone=zone, industry_code="C3841" if i % 3 == 0 else "C2614", size_class=size,
            ownership="domestic", above_scale=i % 2 == 0,
        ))
    Enterprise.objects.bulk_create(enterprises)
    first = Enterprise.objects.get(name="兰州测试企业000有限公司")
    today = date.today()
    EnterpriseTag.objects.create(enterprise=first, tag="high_tech_enterprise", valid_from=today - timedelta(days=365),
                                 valid_to=today + timedelta(days=365))
    EnterpriseTag.objects.create(enterprise=first, tag="specialized_sme", valid_from=date(2020, 1, 1),
                                 valid_to=date(2022, 12, 31))
    make_enterprise_year(first, 2023, revenue=52000.5, tax_paid=1800, employees=420,
                         rd_institution_level="provincial", honors=["high_tech_enterprise"])
    make_enterprise_year(first, 2024, revenue=61000, tax_paid=2100, employees=455,
                         niche_market_share=0.125, strategic_emerging=True)
    return zones


@pytest.fixture
def site_data(db):
    return build_site_data()


@pytest.fixture
def prov_user(site_data):
    return make_user("demo-admin", "province")


@pytest.fixture
def dept_user(site_data):
    return make_user("demo-dept-gxt", "dept-gxt")


@pytest.fixture
def lz_zone_user(site_data):
    return zone_user(site_data["GS-LZ"])


@pytest.fixture
def jc_zone_user(site_data):
    return zone_user(site_data["GS-JC"])



def grow_site_data(zones: dict, *, extra_zones: int = 12, extra_enterprises: int = 300) -> dict:
    """More of everything on top of build_site_data, for query-count tests: provincial zones with monthly values,
    enterprises in every zone, more periods for 兰州, more tags and years for the first enterprise."""
    indicators = {i.key: i for i in Indicator.objects.all()}
    for n in range(extra_zones):
        code = f"GS-X{n:02d}"
        zones[code] = make_zone(code, name=f"测试省级开发区{n:02d}", level=Zone.Level.PROVINCIAL, city="兰州市",
                                division_code="620100", is_demo=True)
    values = []
    for zone in list(zones.values())[6:]:
        for key in ("industrial_output", "fixed_asset_investment", "trade_total", "fdi_actual_usd", "tax_revenue"):
            values += [IndicatorValue(zone=zone, indicator=indicators[key], period=f"{year}-{month:02d}", value=month)
                       for year in (2024, 2025) for month in MONTHS]
    lz = zones["GS-LZ"]
    values += [IndicatorValue(zone=lz, indicator=indicators[key], period=f"{year}-{month:02d}", value=month)
               for key in ("gdp", "exports") for year in (2022, 2023, 2024)
               for month in ((3, 6, 9, 12) if key == "gdp" else range(1, 13))]  # GDP is quarterly
    IndicatorValue.objects.bulk_create(values)
    codes = list(zones)
    Enterprise.objects.bulk_create([
        Enterprise(uscc=make_uscc("620100", f"{i + 20000000:08d}"), name=f"扩充测试企业{i:04d}有限公司",
                   zone=zones[codes[i % len(codes)]], industry_code=["C3841", "C2614", "I6513", "C3511"][i % 4],
                   size_class=["large", "medium", "small", "micro", ""][i % 5], above_scale=i % 2 == 0)
        for i in range(extra_enterprises)
    ])
    first = Enterprise.objects.get(name="兰州测试企业000有限公司")
    for n, tag in enumerate(("innovative_sme", "little_giant", "tech_sme")):
        EnterpriseTag.objects.create(enterprise=first, tag=tag, valid_from=date(2020 + n, 1, 1))
    for year in range(2018, 2023):
        make_enterprise_year(first, year, revenue=1000 * year, employees=100)
    return zones


def assert_bounded_queries(client, url: str, bound: int, grow, assert_max) -> tuple[int, int]:
    """GET `url` (after one warm-up request: session, cached flags), then again after `grow()` adds rows: both
    within `bound` queries and the same number (the count does not follow the rows). Returns both counts."""
    counts = []
    for step in range(2):
        if step:
            grow()
        assert client.get(url).status_code == 200, url
        with assert_max(bound) as captured:
            assert client.get(url).status_code == 200, url
        counts.append(len(captured))
    assert counts[0] == counts[1], f"{url}: {counts[0]} queries, then {counts[1]} with more rows"
    return counts[0], counts[1]
