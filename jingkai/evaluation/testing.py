"""Small, seeded evaluation data for tests: national zones in three regions (Gansu's four among the West
ones) with annual values of every catalogue indicator the methodologies use."""

from __future__ import annotations

import numpy as np

from jingkai.engines.evaluation import load
from jingkai.testing import GANSU, make_zone
from jingkai.zones.models import Indicator, IndicatorValue, Zone
from jingkai.zones.services import sync_reference_data

FRACTIONS = {"rd_intensity": (0.005, 0.05), "co2_growth": (-0.1, 0.2), "solid_waste_utilisation": (0.5, 0.98)}


def make_evaluation_data(n: int = 30, years=(2022, 2023), seed: int = 11, provincial: int = 0) -> dict[str, Zone]:
    """`n` national zones (half East, a quarter Central, the rest West with Gansu's four) and
    `provincial` Gansu provincial zones, each with annual values for `years`."""
    if not Indicator.objects.exists():
        sync_reference_data()
    rng = np.random.default_rng(seed)
    meth = load("mofcom-2021")
    keys = [i.column for i in meth.indicators] + [b.column for b in meth.bonus]
    indicators = {i.key: i for i in Indicator.objects.filter(key__in=keys)}
    n_east, n_central = n // 2, n // 4
    zones = {code: make_zone(code) for code in GANSU}
    others = []
    for i in range(n - len(GANSU)):
        region = "east" if i < n_east else "central" if i < n_east + n_central else "west"
        province = {"east": "江苏省", "central": "湖北省", "west": "四川省"}[region]
        others.append(Zone(code=f"Z{i:02d}", name=f"测试经开区{i:02d}", level=Zone.Level.NATIONAL, region=region,
                           province=province))
    others += [Zone(code=f"GS-P{i + 1}", name=f"甘肃省级开发区{i + 1}", level=Zone.Level.PROVINCIAL, region="west",
                    province="甘肃省") for i in range(provincial)]
    Zone.objects.bulk_create(others)
    zones |= {z.code: z for z in Zone.objects.filter(code__in=[z.code for z in others])}
    values = []
    for zone in zones.values():
        size = rng.lognormal(0, 0.6)
        for key, ind in indicators.items():
            for year in years:
                if key in FRACTIONS:
                    value = rng.uniform(*FRACTIONS[key])
                elif key == "aid_pairing_items":
                    value = float(rng.integers(0, 4))
                else:
                    value = float(np.round(size * rng.lognormal(3, 0.5), 2))
                    if ind.unit in {"个", "家", "人"}:
                        value = float(np.round(value))
                values.append(IndicatorValue(zone=zone, period=str(year), indicator=ind, value=value))
    IndicatorValue.objects.bulk_create(values)
    return zones
