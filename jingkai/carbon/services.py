"""A zone's account from its enterprises' energy records, through the pure engine, stored with its factor set
pinned and audited; the data gate confirmed by the zone (or the province)."""

import json

import polars as pl
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from jingkai.accounts import authz
from jingkai.audit.services import record
from jingkai.carbon.capabilities import COMPUTE_CARBON
from jingkai.carbon.models import CarbonAccount, DataGate, EnergyRecord, GreenCertificate
from jingkai.engines import carbon as engine
from jingkai.jobs import services as jobs
from jingkai.jobs.models import Job
from jingkai.zones.models import Zone

INLINE_RECORDS = 20_000  # more records of a zone-year than this are accounted by the job worker
GREEN_RULE = ("绿电按零排放计的电量以当期已注销（核销）的绿证和绿电直连供电为限：绿证是可再生能源电量环境属性的唯一证明，"
              "1 个绿证对应 1000 千瓦时（发改能源〔2023〕1044号）；超出部分按电网排放因子计")


def certificate_kwh() -> float:
    return engine.load_thresholds().certificate_kwh


def retired_kwh(enterprise_ids: list[int], year: int) -> dict[int, float]:
    """{enterprise id: kWh of the certificates it retired for `year`}."""
    per = certificate_kwh()
    rows = (GreenCertificate.objects.filter(holder_id__in=enterprise_ids, retired_year=year)
            .values("holder_id").annotate(n=Sum("certificates")))
    return {r["holder_id"]: float(r["n"]) * per for r in rows}


def records_frame(zone: Zone, year: int) -> tuple[pl.DataFrame, dict]:
    """The engine's input: one row per enterprise of the zone with a record of `year`, province = the zone's;
    the green power at zero capped at the certificates retired for `year` plus direct supply (GREEN_RULE).
    Also the cover: what was claimed, what the certificates and direct supply cover, what was counted."""
    rows = list(EnergyRecord.objects.filter(enterprise__zone=zone, year=year).select_related("enterprise")
                .order_by("enterprise__uscc"))
    retired = retired_kwh([r.enterprise_id for r in rows], year)
    data, capped = [], []
    claimed = certified = direct = counted = 0.0
    for r in rows:
        cover = retired.get(r.enterprise_id, 0.0) + r.green_direct_kwh
        green = min(r.green_power_kwh, cover)
        if green < r.green_power_kwh:
            capped.append(r.enterprise.name)
        claimed, certified, direct, counted = (claimed + r.green_power_kwh, certified + retired.get(r.enterprise_id, 0.0),
                                               direct + r.green_direct_kwh, counted + green)
        data.append({"entity": r.enterprise.uscc, "year": str(year), "province": zone.province,
                     **{c: str(getattr(r, c)) for c in EnergyRecord.QUANTITIES}, "green_power_kwh": str(green)})
    frame = pl.DataFrame(data, schema=dict.fromkeys(("entity", "year", "province", *EnergyRecord.QUANTITIES),
                                                    pl.String))
    return frame, {"claimed_kwh": claimed, "certificate_kwh": certified, "direct_kwh": direct, "counted_kwh": counted,
                   "capped": capped, "rule": GREEN_RULE}


def zone_result(zone: Zone, year: int, fs: engine.FactorSet) -> dict:
    """The engine's JSON for the zone's enterprises, with the zone totals (null where any row is pending)."""
    frame, cover = records_frame(zone, year)
    result = engine.to_json(engine.account(engine.records(frame, set(fs.regions)), fs))
    result["green_power_cover"] = cover
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


def require_zone(user, zone: Zone) -> None:
    """The capability, and the zone within what the user may write (a zone committee: its own zone)."""
    authz.require(user, COMPUTE_CARBON)
    if not user.scope.can_write_zone(zone.pk):
        raise PermissionDenied(f"您无权核算{zone.name}的碳排放")


def compute(user, zone: Zone, year: int) -> CarbonAccount:
    require_zone(user, zone)
    return store_account(user, zone, year)


def record_count(zone: Zone, year: int) -> int:
    return EnergyRecord.objects.filter(enterprise__zone=zone, year=year).count()


def run_or_queue(user, zone: Zone, year: int) -> CarbonAccount | Job:
    """The account now, or a background job (jingkai/jobs, kind carbon.account) when the zone has more than
    CARBON_INLINE_RECORDS records for the year."""
    require_zone(user, zone)
    if not record_count(zone, year):
        raise ValidationError(f"{zone.name}{year}年没有企业能源消费记录，无法核算")
    if record_count(zone, year) > getattr(settings, "CARBON_INLINE_RECORDS", INLINE_RECORDS):
        return jobs.submit(user, "carbon.account", {"zone": zone.code, "year": year},
                           f"核算{zone.name}{year}年碳排放")
    return compute(user, zone, year)


@transaction.atomic
def freeze(user, account: CarbonAccount) -> CarbonAccount:
    """The account becomes the zone-year's baseline: kept as computed, no later account replaces it."""
    require_zone(user, account.zone)
    account = CarbonAccount.objects.select_for_update().get(pk=account.pk)
    if account.frozen:
        return account
    if CarbonAccount.objects.filter(zone=account.zone, year=account.year, frozen=True).exists():
        raise ValidationError(f"{account.zone.name}{account.year}年已有冻结的基准核算")
    account.frozen, account.frozen_at = True, timezone.now()
    account.save(update_fields=["frozen", "frozen_at"])
    record(user, "update", "carbon.account", account.pk, before={"frozen": False},
           after={"frozen": True, "factor_set": account.factor_set_id, "version": account.factor_set_version},
           note=f"冻结{account.zone.name}{account.year}年碳排放核算为基准")
    return account


def recompute(account: CarbonAccount) -> dict:
    """The account's figures recomputed now with the factor set it pinned (refused if that file changed)."""
    pin = {"id": account.factor_set_id, "version": account.factor_set_version, "digest": account.factor_set_digest}
    return zone_result(account.zone, account.year, engine.load_pinned(pin))


@transaction.atomic
def store_account(user, zone: Zone, year: int) -> CarbonAccount:
    """The account with the gate's factor set (else the latest); formal only when the whole gate is confirmed."""
    if CarbonAccount.objects.filter(zone=zone, year=year, frozen=True).exists():
        raise ValidationError(f"{zone.name}{year}年的核算已冻结为基准，不再重新核算")
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
    require_zone(user, zone)
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
