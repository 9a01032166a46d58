"""Reads for the carbon pages: the zones in scope with their latest account, and one zone's inventory and 1+5
table (as plain rows with Chinese labels: the templates show no codes and no None)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from jingkai.accounts.scope import Scope
from jingkai.carbon.models import CarbonAccount, DataGate
from jingkai.engines import carbon as engine
from jingkai.zones.models import Zone

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


def zone_carbon(zone: Zone) -> ZoneCarbon:
    gate = DataGate.objects.filter(zone=zone).first()
    account = CarbonAccount.objects.filter(zone=zone).order_by("-year", "-created_at").first()
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
    zone_row = engine.Zone(zone.code, account.year, totals["energy_tce"], totals["co2_t"], {})
    a = engine.assess(zone_row, engine.load_thresholds())
    indicators = [Indicator("单位能耗碳排放（吨二氧化碳/吨标准煤，核心指标）", a["core"]["value"], a["core"]["threshold"],
                            _passed(a["core"]["passed"]), a["gap_co2_t"])]
    indicators += [Indicator(g["name"], g["value"], g["threshold"], "待录入" if g["passed"] is None else _passed(g["passed"]),
                             g["gap"]) for g in a["guides"]]
    return ZoneCarbon(zone, gate, missing, account, totals, lines, indicators, a["verdict"], a["core"]["reason"],
                      a["gap_co2_t"])
