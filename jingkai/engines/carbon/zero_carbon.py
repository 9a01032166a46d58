"""零碳园区 readiness against the 1+5 indicators (发改环资〔2025〕910号 附件3, thresholds as data).

The core indicator 单位能耗碳排放 (tCO₂ per tce, CO₂ only) is a veto: 达标 when it is met (guides reported beside
it, each unmet one with its gap), 未达标 when it is not, 待确认 when its threshold is not settled (under 200,000
tce) or its data are missing. 以上/以下 include the boundary: a value equal to its threshold meets it. Missing
data are shown as 待核算/待录入, never estimated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from .account import DataError, normalise_provinces, read_table
from .factors import FACTOR_DIR, FactorError, FactorSet, read_yaml

DEFAULT = "zero-carbon-910-2025"
COLUMNS = ("zone_code", "year", "energy_tce", "co2_t", "clean_energy_share", "product_energy_grade2",
           "solid_waste_utilisation", "waste_heat_utilisation", "water_reuse")
TRUE = {"true", "1", "是"}
FALSE = {"false", "0", "否"}
TO_ENTER = "待录入"
TO_ACCOUNT = "待核算"


@dataclass(frozen=True)
class Band:
    min_tce: float
    below_tce: float | None
    threshold: float
    label: str


@dataclass(frozen=True)
class Guide:
    code: str
    name: str
    op: str  # ">=" or "is_true"
    threshold: float | str


@dataclass(frozen=True)
class Thresholds:
    id: str
    version: str
    digest: str
    bands: tuple[Band, ...]
    unsettled_reason: str
    guides: tuple[Guide, ...]
    status: str
    certificate_kwh: float

    def band(self, energy_tce: float) -> Band | None:
        for b in self.bands:
            if energy_tce >= b.min_tce and (b.below_tce is None or energy_tce < b.below_tce):
                return b
        return None


def load(source: str | Path = DEFAULT, directory: Path = FACTOR_DIR) -> Thresholds:
    raw, digest = read_yaml(source, directory, "零碳园区指标文件")
    try:
        core = raw["core"]
        return Thresholds(
            str(raw["id"]), str(raw["version"]), digest,
            tuple(Band(float(b["min_tce"]), None if b["below_tce"] is None else float(b["below_tce"]),
                       float(b["threshold"]), str(b["label"])) for b in core["bands"]),
            str(core["unsettled_reason"]),
            tuple(Guide(str(g["code"]), str(g["name"]), str(g["op"]),
                        g["threshold"] if g["op"] == "is_true" else float(g["threshold"])) for g in raw["guides"]),
            str(raw["provenance"]["status"]), float(raw["what_if"]["certificate_kwh"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise FactorError(f"零碳园区指标文件 {source} 缺少或写错了项目：{exc}") from exc


@dataclass(frozen=True)
class Zone:
    zone_code: str
    year: int
    energy_tce: float | None
    co2_t: float | None
    guides: dict[str, float | bool | None]
    province: str | None = None  # for the zone's grid factor (green power to add)


def _bad(row: int, column: str, value: str, rule: str) -> DataError:
    return DataError(f"第 {row} 行“{column}”列的值“{value}”{rule}")


def zones(raw: pl.DataFrame, provinces: set[str] | None = None) -> list[Zone]:
    """Rows of the zone table; blank values are missing (待录入), not zero. Shares are fractions (0.9 = 90%).
    An optional `province` column must name a province of `provinces`."""
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(f"数据缺少列：{'、'.join(missing)}")
    raw = raw.with_columns(pl.all().cast(pl.String))
    names = (normalise_provinces(raw["province"].fill_null("").str.strip_chars()).to_list()
             if "province" in raw.columns else [""] * raw.height)
    out = []
    for i, r in enumerate(raw.iter_rows(named=True), start=2):
        province = names[i - 2] or None
        if province and provinces is not None and province not in provinces:
            raise _bad(i, "province", r["province"], "不是省级行政区名称（如 甘肃 或 甘肃省）")
        text = {c: (r[c] or "").strip() for c in COLUMNS}
        if not text["zone_code"]:
            raise _bad(i, "zone_code", "", "不能为空")
        if not (text["year"].isdigit() and 1990 <= int(text["year"]) <= 2100):
            raise _bad(i, "year", text["year"], "应为四位年份（如 2025）")
        numbers: dict[str, float | None] = {}
        for c in ("energy_tce", "co2_t", "clean_energy_share", "solid_waste_utilisation", "waste_heat_utilisation",
                  "water_reuse"):
            if text[c] == "":
                numbers[c] = None
                continue
            try:
                v = float(text[c])
            except ValueError:
                v = -1.0
            share = c not in ("energy_tce", "co2_t")
            if not (v >= 0 and (not share or v <= 1)):
                raise _bad(i, c, text[c], "应为 0 到 1 之间的比例（如 0.9 表示 90%）" if share else "应为非负数")
            numbers[c] = v
        flag = text["product_energy_grade2"].lower()
        if flag not in TRUE | FALSE | {""}:
            raise _bad(i, "product_energy_grade2", text["product_energy_grade2"], "只能填 true/false（是/否）")
        grade2 = None if flag == "" else flag in TRUE
        out.append(Zone(text["zone_code"], int(text["year"]), numbers.pop("energy_tce"), numbers.pop("co2_t"),
                        {**numbers, "product_energy_grade2": grade2}, province))
    return out


def core_value(energy_tce: float | None, co2_t: float | None) -> float | None:
    if energy_tce is None or co2_t is None or energy_tce <= 0:
        return None
    return co2_t / energy_tce


def assess(zone: Zone, th: Thresholds, target_year: int | None = None,
           grid_factor_kg_per_kwh: float | None = None) -> dict[str, Any]:
    """One zone's 1+5 readiness. `grid_factor_kg_per_kwh` (the zone's grid factor) converts the core gap into
    green power to add; `target_year` gives the required annual reduction to close the gap by then."""
    value = core_value(zone.energy_tce, zone.co2_t)
    band = th.band(zone.energy_tce) if zone.energy_tce is not None else None
    threshold = band.threshold if band else None
    if value is None:
        missing = "综合能源消费量" if zone.energy_tce is None or zone.energy_tce <= 0 else "二氧化碳排放量"
        passed, reason = None, f"{TO_ACCOUNT}：缺少{missing}"
    elif band is None:
        passed, reason = None, th.unsettled_reason
    else:
        # equal meets it (以下 includes the boundary), also when the division rounds 0.2 to 0.20000000000000004
        passed = value <= band.threshold or math.isclose(value, band.threshold, rel_tol=1e-12)
        reason = f"{band.label}：单位能耗碳排放应不高于 {threshold} tCO2/tce"
    gap = None
    if passed is not None:
        gap = 0.0 if passed else zone.co2_t - threshold * zone.energy_tce  # type: ignore[operator]
    guides = []
    for g in th.guides:
        v = zone.guides.get(g.code)
        if v is None:
            ok, gap_g = None, None
        elif g.op == "is_true":
            ok, gap_g = bool(v), None
        else:
            ok = float(v) >= g.threshold  # type: ignore[operator]
            gap_g = None if ok else round(g.threshold - float(v), 6)  # type: ignore[operator]
        guides.append({"code": g.code, "name": g.name, "value": v if v is not None else TO_ENTER,
                       "threshold": g.threshold, "passed": ok, "gap": gap_g})
    verdict = "待确认" if passed is None else ("达标" if passed else "未达标")
    result: dict[str, Any] = {
        "zone_code": zone.zone_code, "year": zone.year,
        "core": {"code": "carbon_per_energy", "name": "单位能耗碳排放", "unit": "tCO2/tce",
                 "value": None if value is None else round(value, 6), "threshold": threshold, "passed": passed,
                 "reason": reason},
        "guides": guides, "verdict": verdict,
        "unmet_guides": [g["name"] for g in guides if g["passed"] is False],
        "gap_co2_t": None if gap is None else round(gap, 6),
        "green_power_to_add_mwh": None, "annual_reduction_co2_t": None,
        "thresholds": {"id": th.id, "version": th.version, "status": th.status},
    }
    if gap is not None and grid_factor_kg_per_kwh:
        result["green_power_to_add_mwh"] = round(gap / grid_factor_kg_per_kwh, 6)  # t / (kg/kWh) = MWh
    if gap is not None and target_year is not None:
        if target_year <= zone.year:
            raise DataError(f"目标年份 {target_year} 应晚于核算年份 {zone.year}")
        result["annual_reduction_co2_t"] = round(gap / (target_year - zone.year), 6)
    return result


def what_if(zone: Zone, th: Thresholds, grid_factor_kg_per_kwh: float, *, pv_mw: float = 0.0,
            full_load_hours: float | None = None, certificates_mwh: float = 0.0) -> dict[str, Any]:
    """The core value after X MW of distributed PV (at a stated full-load-hours figure, 待确认: no default is
    shipped) or Y MWh of certificates, each displacing grid power at the zone's grid factor."""
    if pv_mw and full_load_hours is None:
        raise DataError("测算分布式光伏须给出年等效满负荷利用小时数（待确认，按当地资源填写）")
    if pv_mw < 0 or certificates_mwh < 0 or (full_load_hours or 0) < 0:
        raise DataError("测算的装机容量、利用小时数和绿证电量应为非负数")
    pv_mwh = pv_mw * (full_load_hours or 0.0)
    cut = (pv_mwh + certificates_mwh) * grid_factor_kg_per_kwh  # MWh × kg/kWh = t
    before = core_value(zone.energy_tce, zone.co2_t)
    after_zone = Zone(zone.zone_code, zone.year, zone.energy_tce,
                      None if zone.co2_t is None else max(0.0, zone.co2_t - cut), zone.guides)
    after = assess(after_zone, th)
    return {"zone_code": zone.zone_code, "pv_mw": pv_mw, "full_load_hours": full_load_hours,
            "full_load_hours_status": "待确认", "pv_mwh": pv_mwh, "certificates_mwh": certificates_mwh,
            "certificates": certificates_mwh * 1000 / th.certificate_kwh, "co2_cut_t": round(cut, 6),
            "core_before": None if before is None else round(before, 6), "core_after": after["core"]["value"],
            "verdict_after": after["verdict"], "gap_co2_t_after": after["gap_co2_t"]}


def assess_all(rows: list[Zone], th: Thresholds, fs: FactorSet, target_year: int | None = None) -> dict[str, Any]:
    """The `zero-carbon` command's JSON: each zone with its grid factor where its province is given."""
    results = []
    for i, zone in enumerate(rows, start=2):
        try:
            factor = fs.grid_factor(zone.province, zone.year).factor if zone.province else None
        except FactorError as exc:
            raise DataError(f"第 {i} 行“year”列的值“{zone.year}”无法折算绿电：{exc}") from exc
        r = assess(zone, th, target_year, factor.value if factor else None)
        r["grid_factor"] = None if factor is None else {
            "value": factor.value, "unit": factor.unit, "region": factor.region, "vintage": factor.vintage,
            "status": factor.status, "id": factor.id}
        results.append(r)
    return {"thresholds": {"id": th.id, "version": th.version, "digest": th.digest, "status": th.status},
            "factor_set": fs.pin, "results": results}


def read_zones(path: str | Path, provinces: set[str] | None = None) -> list[Zone]:
    return zones(read_table(path), provinces)
