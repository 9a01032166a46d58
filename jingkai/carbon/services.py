"""A zone's account from its enterprises' energy records, through the pure engine, stored with its factor set
pinned and audited; the data gate confirmed by the zone (or the province)."""

import json

import polars as pl
from django.db import transaction
from django.utils import timezone

from jingkai.accounts import authz
from jingkai.audit.services import record
from jingkai.carbon.capabilities import COMPUTE_CARBON
from jingkai.carbon.models import CarbonAccount, DataGate, EnergyRecord
from jingkai.engines import carbon as engine
from jingkai.zones.models import Zone


def records_frame(zone: Zone, year: int) -> pl.DataFrame:
    """The engine's input: one row per enterprise of the zone with a record of `year`, province = the zone's."""
    rows = EnergyRecord.objects.filter(enterprise__zone=zone, year=year).select_related("enterprise")
    data = [{"entity": r.enterprise.uscc, "year": str(year), "province": zone.province,
             **{c: str(getattr(r, c)) for c in EnergyRecord.QUANTITIES}} for r in rows.order_by("enterprise__uscc")]
    return pl.DataFrame(data, schema=dict.fromkeys(("entity", "year", "province", *EnergyRecord.QUANTITIES),
                                                   pl.String))


def zone_result(zone: Zone, year: int, fs: engine.FactorSet) -> dict:
    """The engine's JSON for the zone's enterprises, with the zone totals (null where any row is pending)."""
    frame = records_frame(zone, year)
    result = engine.to_json(engine.account(engine.records(frame, set(fs.regions)), fs))
    rows = result["results"]

    def total(get):
        values = [get(r) for r in rows]
        return None if not values or None in values else round(sum(values), 6)

    result["zone"] = {"code": zone.code, "year": year, "enterprises": len(rows),
                      "energy_tce": total(lambda r: r["energy_tce"]),
                      "energy_tce_equivalent": total(lambda r: r["energy_tce_equivalent"]),
                      "co2_t": total(lambda r: r["co2_t"]),
                      "co2_by_source": {s: total(lambda r, s=s: r["co2_by_source"][s]) for s in engine.SOURCES},
                      "pending": sorted({p for r in rows for p in r["pending"]})}
    return json.loads(json.dumps(result))


def compute(user, zone: Zone, year: int) -> CarbonAccount:
    authz.require(user, COMPUTE_CARBON)
    return store_account(user, zone, year)


@transaction.atomic
def store_account(user, zone: Zone, year: int) -> CarbonAccount:
    """The account with the gate's factor set (else the latest); formal only when the whole gate is confirmed."""
    gate = DataGate.objects.filter(zone=zone).first()
    fs = engine.load(gate.factor_set_id or None if gate else None)
    result = zone_result(zone, year, fs)
    formal = gate is not None and not gate.missing
    account = CarbonAccount.objects.create(
        zone=zone, year=year, factor_set_id=fs.id, factor_set_version=fs.version, factor_set_digest=fs.digest,
        formal=formal, result=result, created_by=user if getattr(user, "pk", None) else None)
    record(user, "create", "carbon.account", account.pk,
           after={"zone": zone.code, "year": year, "factor_set": fs.pin, "formal": formal,
                  "co2_t": result["zone"]["co2_t"]},
           note=f"{zone.name}{year}年碳排放{'正式核算' if formal else '试算'}（因子集 {fs.id}）")
    return account


@transaction.atomic
def confirm_gate(user, zone: Zone, *, boundary: bool, enterprise_list: bool, baseline_year: int | None,
                 factor_set_id: str) -> DataGate:
    authz.require(user, COMPUTE_CARBON)
    if factor_set_id:
        engine.load(factor_set_id)  # an unknown id is refused before it is stored
    gate, _ = DataGate.objects.select_for_update().get_or_create(zone=zone)
    before = {"boundary": gate.boundary_confirmed, "enterprise_list": gate.enterprise_list_confirmed,
              "baseline_year": gate.baseline_year, "factor_set": gate.factor_set_id}
    gate.boundary_confirmed, gate.enterprise_list_confirmed = boundary, enterprise_list
    gate.baseline_year, gate.factor_set_id = baseline_year, factor_set_id
    gate.confirmed_by = user if getattr(user, "pk", None) else None
    gate.confirmed_at = timezone.now()
    gate.save()
    record(user, "update", "carbon.gate", zone.code, before=before,
           after={"boundary": boundary, "enterprise_list": enterprise_list, "baseline_year": baseline_year,
                  "factor_set": factor_set_id}, note=f"{zone.name}碳核算数据条件")
    return gate
