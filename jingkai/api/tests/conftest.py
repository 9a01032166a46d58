"""Data for the API tests: enterprises, their years and indicator values in two zones."""

from datetime import date

import pytest
from django.test import Client

from jingkai.accounts.models import ApiToken
from jingkai.enterprises.models import Enterprise, EnterpriseTag
from jingkai.enterprises.uscc import make_uscc
from jingkai.testing import make_enterprise_year
from jingkai.zones.models import Indicator, IndicatorValue


def bearer(user) -> Client:
    """A client that authenticates with a freshly issued API token."""
    _, raw = ApiToken.issue(user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def data(zones):
    """GS-LZ: three enterprises (one with tags), years 2023–2024; GS-JC: one enterprise; indicator values."""
    lz, jc = zones["GS-LZ"], zones["GS-JC"]
    rows = [
        (lz, "10000001", "兰州新材料有限公司", "C3985", "medium", True),
        (lz, "10000002", "兰州石化装备有限公司", "C3511", "large", True),
        (lz, "10000003", "兰州软件科技有限公司", "I6513", "small", False),
        (jc, "20000001", "金昌镍钴新材料有限公司", "C3251", "large", True),
    ]
    made = {}
    for zone, body, name, industry, size, above in rows:
        made[name] = Enterprise.objects.create(
            uscc=make_uscc(zone.division_code, body),
            name=name,
            zone=zone,
            industry_code=industry,
            size_class=size,
            above_scale=above,
            ownership="domestic",
            established=date(2010, 5, 1),
        )
    first = made["兰州新材料有限公司"]
    EnterpriseTag.objects.create(
        enterprise=first, tag="high_tech_enterprise", valid_from=date(2023, 1, 1), valid_to=date(2025, 12, 31)
    )
    EnterpriseTag.objects.create(enterprise=first, tag="specialized_sme", valid_from=date(2024, 3, 1))
    for enterprise in made.values():
        for year in (2023, 2024):
            make_enterprise_year(
                enterprise,
                year,
                revenue=1000.0 + year,
                tax_paid=50.5,
                employees=120,
                honors=["high_tech_enterprise"],
            )
    gdp, jobs = Indicator.objects.get(key="gdp"), Indicator.objects.get(key="new_urban_jobs")
    for zone, scale in ((lz, 1.0), (jc, 0.5)):
        for month, value in (("2024-01", 100.0), ("2024-02", 210.0), ("2024-03", 330.0)):
            IndicatorValue.objects.create(
                zone=zone, period=month, indicator=gdp, value=value * scale, source="统计局"
            )
        IndicatorValue.objects.create(
            zone=zone, period="2024", indicator=jobs, value=800 * scale, note="演示"
        )
    return {"zones": zones, "enterprises": made}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Every test user gets a password; the production hasher (PBKDF2, 10⁶ rounds) costs ~1 s each here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
