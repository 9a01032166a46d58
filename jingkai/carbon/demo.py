"""Demo 绿色低碳: energy records for the demo enterprises consistent with their energy facts (electricity = their
用电量; the rest of their 综合能耗 as natural gas at the factor set's coefficients), some green power covered by
retired certificates (a registered range each, 1 certificate = 1,000 kWh) or by direct supply — one enterprise
per zone claims more than its certificates cover, so the cap shows —, the zones' yearly green facts near the 1+5
thresholds (兰州 exactly at them), and one account per Gansu zone with records; 兰州's data gate is confirmed
(正式核算), the others' not (试算)."""

import datetime as dt
import math

import numpy as np

from jingkai.carbon.models import CarbonAccount, DataGate, EnergyRecord, GreenCertificate, ZoneGreenFacts
from jingkai.carbon.services import store_account
from jingkai.engines import carbon as engine
from jingkai.enterprises.models import EnterpriseEnergy
from jingkai.zones.models import Zone

PROJECTS = ("酒泉风电基地某风电场", "武威民勤光伏电站", "张掖山丹光伏电站", "金昌光伏产业园某电站")
# (clean share, grade 2, solid waste, waste heat, water reuse, legal boundary): around the thresholds
FACTS = {"GS-LZ": (0.90, True, 0.80, 0.50, 0.80, True), "GS-JC": (0.62, False, 0.83, 0.47, 0.91, True),
         "GS-TS": (0.88, True, 0.79, None, 0.82, None), "GS-ZY": (0.93, None, 0.86, 0.55, 0.78, False)}


def build(seed: int, today: dt.date) -> int:
    CarbonAccount.objects.all().delete()
    DataGate.objects.all().delete()
    GreenCertificate.objects.all().delete()
    ZoneGreenFacts.objects.all().delete()
    EnergyRecord.objects.all().delete()
    fs = engine.load()
    per_kwh = (fs.conversion["electricity"].equal or 0.0) / 1000  # kgce/kWh → tce/kWh
    per_m3 = (fs.conversion["natural_gas"].equal or 1.0) / 1000  # kgce/m³ → tce/m³
    rng = np.random.default_rng(seed + 15)
    rows, certs = [], []
    serial = 1
    short_of: set[tuple[int, int]] = set()  # (zone, year) with an enterprise claiming beyond its certificates
    facts = EnterpriseEnergy.objects.filter(enterprise__zone__province__startswith="甘肃", electricity_mwh__isnull=False,
                                            energy_tce__isnull=False).select_related("enterprise").order_by(
        "enterprise_id", "year")
    for f in facts.iterator():
        kwh = float(f.electricity_mwh or 0) * 1000
        gas = max(0.0, (float(f.energy_tce or 0) - kwh * per_kwh) / per_m3)
        green = round(kwh * rng.choice([0, 0, 0, 0.2, 0.5]))
        direct = 0
        if green and rng.random() < 0.3:
            direct = green  # 绿电直连
        elif green:
            n = math.ceil(green / 1000)
            if (f.enterprise.zone_id, f.year) not in short_of:
                short_of.add((f.enterprise.zone_id, f.year))
                n = max(1, int(n * 0.8))  # 20% of the claim is not covered: counted at the grid factor
            month = int(rng.integers(1, 13))
            first, last = f"GEC{f.year}{serial:09d}", f"GEC{f.year}{serial + n - 1:09d}"
            certs.append(GreenCertificate(
                platform=GreenCertificate.Platform.NATIONAL, first_id=first, last_id=last, certificates=n, mwh=n,
                project=PROJECTS[serial % len(PROJECTS)], production_period=f"{f.year}-{month:02d}",
                holder_id=f.enterprise_id, retired_year=f.year))
            serial += n
        rows.append(EnergyRecord(enterprise_id=f.enterprise_id, year=f.year, electricity_kwh=round(kwh),
                                 green_power_kwh=green, green_direct_kwh=direct, natural_gas_m3=round(gas),
                                 source=EnergyRecord.Source.STATISTICS))
    EnergyRecord.objects.bulk_create(rows, batch_size=2000)
    GreenCertificate.objects.bulk_create(certs, batch_size=2000)
    zones = Zone.objects.filter(enterprises__energy_records__isnull=False).distinct().order_by("code")
    lz = zones.filter(code="GS-LZ").first()
    if lz:  # the baseline year is the latest with records (the programme's is 2025: the demo has none yet)
        latest = EnergyRecord.objects.filter(enterprise__zone=lz).order_by("-year").values_list("year", flat=True)[0]
        DataGate.objects.create(zone=lz, boundary_confirmed=True, enterprise_list_confirmed=True, baseline_year=latest,
                                factor_set_id=fs.id)
    made = 0
    for zone in zones:
        years = sorted(set(EnergyRecord.objects.filter(enterprise__zone=zone).values_list("year", flat=True)))
        year = years[-1]
        if zone.code in FACTS:
            clean, grade2, waste, heat, water, boundary = FACTS[zone.code]
            ZoneGreenFacts.objects.create(zone=zone, year=year, clean_energy_share=clean, product_energy_grade2=grade2,
                                          solid_waste_utilisation=waste, waste_heat_utilisation=heat, water_reuse=water,
                                          legal_boundary=boundary, source="园区管委会填报（演示数据）")
        for y in years[-2:]:  # two years: the MOFCOM CO₂ growth is offered from them
            store_account(None, zone, y)
            made += 1
    return made
