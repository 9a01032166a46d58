"""Demo 绿色低碳: energy records for the demo enterprises consistent with their energy facts (electricity = their
用电量; the rest of their 综合能耗 as natural gas at the factor set's coefficients), some green power with
certificates, and one account per Gansu zone with records; 兰州's data gate is confirmed (正式核算), the others'
not (试算)."""

import datetime as dt

import numpy as np

from jingkai.carbon.models import CarbonAccount, DataGate, EnergyRecord
from jingkai.carbon.services import store_account
from jingkai.engines import carbon as engine
from jingkai.enterprises.models import EnterpriseEnergy
from jingkai.zones.models import Zone


def build(seed: int, today: dt.date) -> int:
    CarbonAccount.objects.all().delete()
    DataGate.objects.all().delete()
    EnergyRecord.objects.all().delete()
    fs = engine.load()
    per_kwh = (fs.conversion["electricity"].equal or 0.0) / 1000  # kgce/kWh → tce/kWh
    per_m3 = (fs.conversion["natural_gas"].equal or 1.0) / 1000  # kgce/m³ → tce/m³
    rng = np.random.default_rng(seed + 15)
    rows = []
    facts = EnterpriseEnergy.objects.filter(enterprise__zone__province__startswith="甘肃", electricity_mwh__isnull=False,
                                            energy_tce__isnull=False).order_by("enterprise_id", "year")
    for f in facts.iterator():
        kwh = float(f.electricity_mwh or 0) * 1000
        gas = max(0.0, (float(f.energy_tce or 0) - kwh * per_kwh) / per_m3)
        green = round(kwh * rng.choice([0, 0, 0, 0.2, 0.5]))
        rows.append(EnergyRecord(enterprise_id=f.enterprise_id, year=f.year, electricity_kwh=round(kwh),
                                 green_power_kwh=green, natural_gas_m3=round(gas), source=EnergyRecord.Source.STATISTICS))
    EnergyRecord.objects.bulk_create(rows, batch_size=2000)
    zones = Zone.objects.filter(enterprises__energy_records__isnull=False).distinct().order_by("code")
    lz = zones.filter(code="GS-LZ").first()
    if lz:
        DataGate.objects.create(zone=lz, boundary_confirmed=True, enterprise_list_confirmed=True, baseline_year=2025,
                                factor_set_id=fs.id)
    made = 0
    for zone in zones:
        year = EnergyRecord.objects.filter(enterprise__zone=zone).order_by("-year").values_list("year", flat=True)[0]
        store_account(None, zone, year)
        made += 1
    return made
