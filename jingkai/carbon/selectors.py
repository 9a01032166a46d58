"""Reads for the carbon pages: the zones in scope with their latest account, one zone's inventory and 1+5 table
(the guides from the zone's entered green facts), its energy balance, the what-if, 绿色工业园区 eligibility and
绿色工厂; the certificate ledger; and the MOFCOM green indicators offered to the zone indicators (as plain rows
with Chinese labels: the templates show no codes and no None)."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import QuerySet, Sum

from jingkai.accounts.scope import Scope
from jingkai.carbon.models import CarbonAccount, DataGate, EnergyRecord, GreenCertificate, ZoneGreenFacts
from jingkai.engines import carbon as engine
from jingkai.enterprises.models import EnterpriseFinance, EnterpriseTag
from jingkai.zones.models import Indicator as ZoneIndicator
from jingkai.zones.models import IndicatorValue, Zone
from jingkai.zones.periods import Period
from jingkai.zones.selectors import IndicatorOffer

STATUS = {"official": "官方公告", "待确认": "待确认"}
PENDING = "待确认"


def latest_accounts(scope: Scope) -> QuerySet[CarbonAccount]:
    return scope.filter(CarbonAccount.objects.select_related("zone")).order_by("zone__code", "-year", "-created_at")


@dataclass(frozen=True)
class Line:
    source: str
    co2_t: float | None
    basis: str
    notice: str
    status: str


@dataclass(frozen=True)
class Indicator:
    name: str
    value: Any
    threshold: Any
    passed: str
    gap: Any


@dataclass(frozen=True)
class ZoneCarbon:
    zone: Zone
    gate: DataGate | None
    gate_missing: list[str]
    account: CarbonAccount | None
    totals: dict[str, Any]
    lines: list[Line]
    indicators: list[Indicator]
    verdict: str
    core_reason: str
    gap_co2_t: float | None


def _passed(value: bool | None) -> str:
    return "待确认" if value is None else ("达到" if value else "未达到")


def shown_account(zone: Zone, year: int | None = None) -> CarbonAccount | None:
    """The zone's account of `year` (else its latest year): the frozen baseline where there is one, else the latest."""
    accounts = CarbonAccount.objects.filter(zone=zone)
    if year is not None:
        accounts = accounts.filter(year=year)
    return accounts.order_by("-year", "-frozen", "-created_at").first()


def green_facts(zone: Zone, year: int) -> ZoneGreenFacts | None:
    return ZoneGreenFacts.objects.filter(zone=zone, year=year).first()


def guides_of(facts: ZoneGreenFacts | None) -> dict[str, Any]:
    return {g: getattr(facts, g) for g in ZoneGreenFacts.GUIDES} if facts else {}


def engine_zone(zone: Zone, account: CarbonAccount) -> engine.Zone:
    totals = account.result["zone"]
    return engine.Zone(zone.code, account.year, totals["energy_tce"], totals["co2_t"],
                       guides_of(green_facts(zone, account.year)), zone.province)


def _guide_value(v: Any) -> Any:
    return {True: "是", False: "否"}.get(v, v) if isinstance(v, bool) else v


def zone_carbon(zone: Zone) -> ZoneCarbon:
    gate = DataGate.objects.filter(zone=zone).first()
    account = shown_account(zone)
    missing = gate.missing if gate else ["园区边界", "企业名单", "基准年", "因子集"]
    if account is None:
        return ZoneCarbon(zone, gate, missing, None, {}, [], [], "待核算", "尚未核算", None)
    result = account.result
    totals = result["zone"]
    fs = engine.load_pinned({"id": account.factor_set_id, "version": account.factor_set_version,
                             "digest": account.factor_set_digest})
    factor = result["results"][0]["electricity_factor"] if result["results"] else None
    lines = []
    for s in engine.SOURCES:
        if s == "electricity":
            basis = (f"电力排放因子 {factor['value']} 千克二氧化碳/千瓦时（{factor['region']} {factor['vintage']} 年；"
                     f"{factor['selection']}）；{result['green_power_method']['text']}" if factor else "—")
            notice, status = (factor["source"], STATUS[factor["status"]]) if factor else ("—", "—")
        elif s in fs.fuels:
            p = fs.fuels[s]
            basis = ("低位发热量 × 单位热值含碳量 × 碳氧化率 × 44/12" if p.ncv is not None
                     else "核算指南缺省参数未配置（待确认）")
            notice, status = p.source.notice_no, STATUS[p.status]
        else:
            basis, notice, status = "排放因子未配置（待确认）", "—", PENDING
        lines.append(Line(engine.SOURCE_NAMES[s], totals["co2_by_source"][s], basis, notice, status))
    a = engine.assess(engine_zone(zone, account), engine.load_thresholds())
    indicators = [Indicator("单位能耗碳排放（吨二氧化碳/吨标准煤，核心指标）", a["core"]["value"], a["core"]["threshold"],
                            _passed(a["core"]["passed"]), a["gap_co2_t"])]
    indicators += [Indicator(g["name"], _guide_value(g["value"]), g["threshold"],
                             "待录入" if g["passed"] is None else _passed(g["passed"]), g["gap"]) for g in a["guides"]]
    return ZoneCarbon(zone, gate, missing, account, totals, lines, indicators, a["verdict"], a["core"]["reason"],
                      a["gap_co2_t"])


# ---------------------------------------------------------------- energy balance (sankey)

def energy_balance(account: CarbonAccount) -> dict[str, Any]:
    """The ECharts sankey of the account's year: each carrier's 当量值 tce into the zone's enterprises, out to
    their consumption and to exported power and heat. Green power counted at zero is its own carrier."""
    fields = [*EnergyRecord.QUANTITIES]
    sums = EnergyRecord.objects.filter(enterprise__zone=account.zone, year=account.year).aggregate(
        **{f: Sum(f) for f in fields})
    quantities = {f: float(sums[f] or 0) for f in fields}
    counted = float(account.result.get("green_power_cover", {}).get("counted_kwh", quantities["green_power_kwh"]))
    quantities["electricity_kwh"] -= counted
    quantities["green_power_kwh"] = counted
    fs = engine.load_pinned(pin(account))
    tce = engine.carrier_tce(quantities, fs)
    names = {"electricity_kwh": "电网电力", "green_power_kwh": "绿电（绿证或直连）", "coal_t": "煤炭",
             "natural_gas_m3": "天然气", "diesel_t": "柴油", "gasoline_t": "汽油", "heat_gj": "外购热力",
             "steam_t": "外购蒸汽", "electricity_exported_kwh": "输出电力", "heat_exported_gj": "输出热力"}
    hub, use = "园区企业", "园区综合能源消费"
    exported = ("electricity_exported_kwh", "heat_exported_gj")
    links = [{"source": names[c], "target": hub, "value": round(v, 3)} for c, v in tce.items()
             if c not in exported and v]
    links += [{"source": hub, "target": names[c], "value": round(tce[c] or 0, 3)} for c in exported if tce[c]]
    inflow = sum(v or 0 for c, v in tce.items() if c not in exported)
    out = sum(tce[c] or 0 for c in exported)
    if inflow - out > 0:
        links.append({"source": hub, "target": use, "value": round(inflow - out, 3)})
    used = {n for link in links for n in (link["source"], link["target"])}
    return {"title": f"{account.zone.name}{account.year}年能源平衡（当量值，吨标准煤）",
            "nodes": [{"name": n} for n in [*names.values(), hub, use] if n in used], "links": links,
            "pending": [names[c] for c, v in tce.items() if v is None]}


def pin(account: CarbonAccount) -> dict[str, str]:
    return {"id": account.factor_set_id, "version": account.factor_set_version, "digest": account.factor_set_digest}


# ---------------------------------------------------------------- what-if

@dataclass(frozen=True)
class Hours:
    value: float | None
    status: str
    source: str


@cache
def _pv_hours_file() -> dict[str, Any]:
    return yaml.safe_load((Path(__file__).parent / "data" / "pv-hours.yaml").read_text(encoding="utf-8"))


def pv_hours(province: str) -> Hours:
    """The configured 分布式光伏 full-load hours of a province (待确认 and empty where no official figure)."""
    data = _pv_hours_file()
    h = data["provinces"].get(province, data["default"])
    return Hours(None if h["value"] is None else float(h["value"]), str(h["status"]), str(h["source"]))


def what_if(zone: Zone, account: CarbonAccount, *, pv_mw: float, hours: float | None,
            certificates_mwh: float) -> dict[str, Any]:
    """The core value after `pv_mw` MW of distributed PV at `hours` a year, or `certificates_mwh` MWh of
    certificates, at the account's grid factor (engine.what_if)."""
    factor = account.result["results"][0]["electricity_factor"]["value"]
    return engine.what_if(engine_zone(zone, account), engine.load_thresholds(), factor, pv_mw=pv_mw,
                          full_load_hours=hours, certificates_mwh=certificates_mwh)


# ---------------------------------------------------------------- 绿色工业园区 and 绿色工厂

GREEN_PARK_RULE = ("以产品制造和能源供给为主要功能、工业增加值占比超过50%、具有法定边界和范围、具备统一管理机构的省级及以上"
                   "工业园区（工信厅节函〔2023〕202号，转引自渝经信节能〔2023〕23号，待与原文核对）")
MET, UNMET, TO_ENTER = "符合", "不符合", "待录入"


@dataclass(frozen=True)
class Criterion:
    name: str
    requirement: str
    value: str
    verdict: str
    source: str


@dataclass(frozen=True)
class GreenPark:
    criteria: list[Criterion]
    verdict: str
    green_factories: int
    rule: str


def _industry_share(zone: Zone) -> tuple[float, int] | None:
    """规上工业增加值 ÷ 地区生产总值 of the latest year with both for the whole year (the year's value, or the
    cumulative value of its December or fourth quarter)."""
    values = {(k, p): v for k, p, v in IndicatorValue.objects.filter(
        zone=zone, indicator__key__in=("industrial_value_added", "gdp")).values_list("indicator__key", "period", "value")}

    def annual(key: str, year: int) -> float | None:
        return next((values[(key, p)] for p in (str(year), f"{year}-12", f"{year}-Q4") if (key, p) in values), None)

    for y in sorted({int(p[:4]) for _, p in values}, reverse=True):
        added, gdp = annual("industrial_value_added", y), annual("gdp", y)
        if added is not None and gdp:
            return added / gdp, y
    return None


def green_park(zone: Zone) -> GreenPark:
    share = _industry_share(zone)
    facts = ZoneGreenFacts.objects.filter(zone=zone, legal_boundary__isnull=False).order_by("-year").first()
    criteria = [
        Criterion("工业增加值占比", "超过 50%", TO_ENTER if share is None else f"{share[0] * 100:.1f}%（{share[1]}年）",
                  TO_ENTER if share is None else (MET if share[0] > 0.5 else UNMET),
                  "园区指标：规模以上工业增加值 ÷ 地区生产总值（全年累计）"),
        Criterion("园区级别", "省级及以上", zone.get_level_display(),
                  MET if zone.level in (Zone.Level.NATIONAL, Zone.Level.PROVINCIAL) else UNMET, "园区名录"),
        Criterion("统一管理机构", "具备统一管理机构", zone.committee.name if zone.committee else TO_ENTER,
                  MET if zone.committee else TO_ENTER, "园区名录：管委会"),
        Criterion("法定边界和范围", "具有法定边界和范围",
                  TO_ENTER if facts is None else ("具有" if facts.legal_boundary else "不具有"),
                  TO_ENTER if facts is None else (MET if facts.legal_boundary else UNMET),
                  "园区绿色低碳指标" + (f"（{facts.year}年，{facts.source}）" if facts else "")),
    ]
    verdicts = {c.verdict for c in criteria}
    verdict = UNMET if UNMET in verdicts else (TO_ENTER if TO_ENTER in verdicts else MET)
    factories = EnterpriseTag.objects.filter(enterprise__zone=zone, tag=EnterpriseTag.Tag.GREEN_FACTORY).values(
        "enterprise").distinct().count()
    return GreenPark(criteria, verdict, factories, GREEN_PARK_RULE)


# ---------------------------------------------------------------- the certificate ledger

def certificates(scope: Scope) -> QuerySet[GreenCertificate]:
    return scope.filter(GreenCertificate.objects.select_related("holder", "holder__zone"), "holder__zone")


# ---------------------------------------------------------------- MOFCOM green indicators (zones.indicator_offers)

OFFERED = ("energy_per_value_added", "co2_per_value_added", "co2_growth")


def indicator_offers(zone: Zone, period: Period) -> list[IndicatorOffer]:
    """单位增加值能耗, 单位增加值 CO₂ and CO₂ 增长率 of a year from the zone's stored accounts (the same records
    as its inventory): energy and CO₂ of its 规上 enterprises with a 工业增加值 over that value added; the growth
    from the zone totals of this and the previous year. Only for the keys of the zones' indicator table; none
    where a figure is missing or pending."""
    if period.frequency != "year":
        return []
    keys = set(ZoneIndicator.objects.filter(key__in=OFFERED).values_list("key", flat=True))
    account = shown_account(zone, period.year)
    if not keys or account is None:
        return []
    as_of = account.created_at.date()
    basis = f"碳核算：{account.year}年企业能源消费记录（因子集 {account.factor_set_version} 版"
    offers = []
    added: dict[str, float | None] = dict(EnterpriseFinance.objects.filter(
        enterprise__zone=zone, year=period.year, enterprise__above_scale=True, value_added__gt=0).values_list(
        "enterprise__uscc", "value_added"))
    rows = [r for r in account.result["results"] if r["entity"] in added]
    va = sum(float(added[r["entity"]] or 0) for r in rows)
    if rows and va > 0:
        energy = sum(r["energy_tce"] for r in rows)
        co2 = [r["co2_t"] for r in rows]
        source = f"{basis}，{len(rows)} 家规上企业）÷ 其工业增加值"
        if "energy_per_value_added" in keys:
            offers.append(IndicatorOffer("energy_per_value_added", _decimal(energy / va), source, as_of))
        if "co2_per_value_added" in keys and None not in co2:
            offers.append(IndicatorOffer("co2_per_value_added", _decimal(sum(co2) / va), source, as_of))
    before = shown_account(zone, period.year - 1)
    now_co2 = account.result["zone"]["co2_t"]
    if "co2_growth" in keys and before is not None and now_co2 is not None and before.result["zone"]["co2_t"]:
        growth = now_co2 / before.result["zone"]["co2_t"] - 1
        offers.append(IndicatorOffer("co2_growth", _decimal(growth),
                                     f"碳核算：{account.year}年与{before.year}年园区二氧化碳排放合计之比减 1", as_of))
    return offers


def _decimal(x: float) -> Decimal:
    return Decimal(f"{x:.6g}")
