"""Energy (tce, 当量值 and 等价值) and CO₂ by source for enterprise- or zone-year records, vectorised with polars.

    energy_tce      = Σ net quantity × GB/T 2589 coefficient (exported power and heat deducted)
    co2 fuel        = activity × NCV × carbon content × oxidation × 44/12
    co2 electricity = (purchased − green power covered by certificates or direct supply − exported) × grid factor
    co2 heat        = (purchased − exported) × heat factor

A coefficient or factor the factor set leaves empty (null, 待确认) makes that source — and the total — null for
rows that use the carrier, listed in `pending`: never an estimate. Rows not using it are unaffected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from .factors import NATIONAL, FactorError, FactorSet, Selection
from .units import CO2_PER_C, product_scale, scale


class DataError(ValueError):
    """The input rows cannot be accounted; the message names row, column and value (Chinese)."""


KEYS = ("entity", "year", "province")
# quantity column → (carrier, unit of the column)
QUANTITIES: dict[str, tuple[str, str]] = {
    "electricity_kwh": ("electricity", "kWh"),
    "green_power_kwh": ("green_power", "kWh"),
    "coal_t": ("coal", "t"),
    "natural_gas_m3": ("natural_gas", "m**3"),
    "diesel_t": ("diesel", "t"),
    "gasoline_t": ("gasoline", "t"),
    "heat_gj": ("heat", "GJ"),
}
OPTIONAL: dict[str, tuple[str, str]] = {
    "steam_t": ("steam", "t"),
    "electricity_exported_kwh": ("electricity", "kWh"),
    "heat_exported_gj": ("heat", "GJ"),
}
COLUMNS = (*KEYS, *QUANTITIES)
FUELS = ("coal", "natural_gas", "diesel", "gasoline")
SOURCES = ("electricity", *FUELS, "heat", "steam")
SOURCE_NAMES = {"electricity": "外购电力", "coal": "煤炭", "natural_gas": "天然气", "diesel": "柴油",
                "gasoline": "汽油", "heat": "外购热力", "steam": "外购蒸汽"}
GREEN_METHODS = {"zero": "绿证或直连覆盖的绿电按零排放计", "grid": "绿电仍按电网排放因子计"}
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市")


def read_table(path: str | Path) -> pl.DataFrame:
    """A CSV or Excel sheet as text columns (validated by `records`)."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            return pl.read_excel(path, infer_schema_length=0)
        return pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise DataError(f"无法读取数据文件 {path}：{exc}") from exc


def _bad(df: pl.DataFrame, mask: pl.Series, column: str, rule: str) -> DataError:
    i = int(mask.arg_true()[0])
    return DataError(f"第 {i + 2} 行“{column}”列的值“{df[column][i]}”{rule}")


def normalise_provinces(names: pl.Series) -> pl.Series:
    """甘肃省 → 甘肃, 宁夏回族自治区 → 宁夏 (the factor files name provinces by their short names)."""
    for suffix in PROVINCE_SUFFIXES:
        names = names.str.strip_suffix(suffix)
    return names


def records(raw: pl.DataFrame, provinces: set[str]) -> pl.DataFrame:
    """Text columns → typed records: blank quantities are 0, everything else must be a non-negative number;
    the province is a provincial-level name (甘肃 or 甘肃省). Row numbers count the heading as row 1."""
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(f"数据缺少列：{'、'.join(missing)}")
    df = raw.with_columns(pl.col(c).cast(pl.String).str.strip_chars() for c in raw.columns)
    for c in ("entity", "province"):
        blank = df[c].is_null() | (df[c] == "")
        if blank.any():
            raise _bad(df.with_columns(pl.col(c).fill_null("")), blank, c, "不能为空")
    year = df["year"].cast(pl.Int64, strict=False)
    bad_year = year.is_null() | (year < 1990) | (year > 2100)
    if bad_year.any():
        raise _bad(df, bad_year, "year", "应为四位年份（如 2025）")
    province = normalise_provinces(df["province"])
    unknown = ~province.is_in(sorted(provinces))
    if unknown.any():
        raise _bad(df, unknown, "province", "不是省级行政区名称（如 甘肃 或 甘肃省）")
    out = {"entity": df["entity"], "year": year, "province": province}
    for c in (*QUANTITIES, *OPTIONAL):
        if c not in df.columns:
            out[c] = pl.Series(c, np.zeros(df.height))
            continue
        text = df[c].fill_null("")
        value = text.cast(pl.Float64, strict=False)
        bad = (text != "") & (value.is_null() | value.is_nan() | value.is_infinite() | (value < 0))
        if bad.any():
            raise _bad(df, bad, c, f"应为非负数（单位 {QUANTITIES.get(c, OPTIONAL.get(c))[1]}）")  # type: ignore[index]
        out[c] = value.fill_null(0.0)
    typed = pl.DataFrame(out)
    over = typed["green_power_kwh"] > typed["electricity_kwh"]
    if over.any():
        raise _bad(df, over, "green_power_kwh", "大于外购电量 electricity_kwh（绿电是外购电量中的一部分）")
    return typed


def _per_quantity(q: np.ndarray, coefficient: float | None, units: tuple[str, ...], target: str) -> np.ndarray:
    """q × coefficient in `target`; NaN where the carrier is used but the coefficient is empty (待确认)."""
    s = product_scale(units, target)
    if coefficient is None:
        return np.where(q == 0, 0.0, np.nan)
    return q * (coefficient * s)


UNITS = {**{c: u for c, (_, u) in QUANTITIES.items()}, **{c: u for c, (_, u) in OPTIONAL.items()}}
NET_UNIT = {"electricity": "kWh", "coal": "t", "natural_gas": "m**3", "diesel": "t", "gasoline": "t", "heat": "GJ",
            "steam": "t"}


def _net(q: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Net quantity by carrier (in NET_UNIT): exported power and heat deducted."""
    return {"electricity": q["electricity_kwh"] - q["electricity_exported_kwh"], "coal": q["coal_t"],
            "natural_gas": q["natural_gas_m3"], "diesel": q["diesel_t"], "gasoline": q["gasoline_t"],
            "heat": q["heat_gj"] - q["heat_exported_gj"], "steam": q["steam_t"]}


def carrier_tce(quantities: dict[str, float], fs: FactorSet) -> dict[str, float | None]:
    """当量值 tce of each column of summed quantities (a zone's energy balance): the same coefficients and units
    as `account`; exported power and heat as their own positive entries; None where the coefficient is 待确认."""
    out: dict[str, float | None] = {}
    for column, (carrier, unit) in {**QUANTITIES, **OPTIONAL}.items():
        c = fs.conversion.get("electricity" if carrier == "green_power" else carrier)
        q = np.array([quantities.get(column, 0.0)])
        value = _per_quantity(q, c.equal, (unit, c.unit), "tce")[0] if c else (math.nan if q[0] else 0.0)
        out[column] = None if math.isnan(value) else float(value)
    return out


@dataclass(frozen=True)
class Account:
    """The accounted rows (a polars frame: keys, energy_tce, energy_tce_equivalent, co2_t, co2_<source>, factor_key)
    and the grid-factor selections they refer to."""

    factor_set: FactorSet
    green_power: str
    rows: pl.DataFrame
    selections: dict[str, Selection]


def account(df: pl.DataFrame, fs: FactorSet, green_power: str | None = None) -> Account:
    """Account typed `records` with factor set `fs` (`green_power`: zero|grid, default the set's method)."""
    method = green_power or fs.green_power_method
    if method not in GREEN_METHODS:
        raise FactorError(f"绿电核算方法“{method}”应为 zero 或 grid")
    q = {c: df[c].to_numpy().astype(np.float64) for c in UNITS}
    net = _net(q)
    equal = np.zeros(df.height)
    equivalent = np.zeros(df.height)
    for carrier, c in fs.conversion.items():
        equal += _per_quantity(net[carrier], c.equal, (NET_UNIT[carrier], c.unit), "tce")
        equivalent += _per_quantity(net[carrier], c.equivalent, (NET_UNIT[carrier], c.unit), "tce")
    co2: dict[str, np.ndarray] = {}
    for fuel in FUELS:
        p = fs.fuels[fuel]
        k = (None if None in (p.ncv, p.carbon_content, p.oxidation)
             else p.ncv * p.carbon_content * p.oxidation * CO2_PER_C)  # type: ignore[operator]
        co2[fuel] = _per_quantity(net[fuel], k, (NET_UNIT[fuel], p.ncv_unit, p.carbon_content_unit), "tC")

    # Grid factor per (province, year): few distinct pairs, selected once each, then joined to the rows.
    pairs = df.select("province", "year").unique()
    selections: dict[str, Selection] = {}
    heat_factor: dict[int, float] = {}
    for province, year in pairs.iter_rows():
        try:
            sel = fs.grid_factor(province, year)
        except FactorError as exc:
            i = int(((df["province"] == province) & (df["year"] == year)).arg_true()[0])
            raise DataError(f"第 {i + 2} 行“year”列的值“{year}”无法核算：{exc}") from exc
        selections[f"{province}|{year}"] = sel
        try:
            h = fs.grid_factor(NATIONAL, year, kind="heat").factor
            heat_factor[year] = h.value * scale(h.unit, "tCO2/GJ")  # type: ignore[operator]
        except FactorError:
            heat_factor[year] = math.nan
    key = df["province"] + "|" + df["year"].cast(pl.String)
    ef = key.replace_strict({k: s.factor.value * scale(s.factor.unit, "kgCO2/kWh")  # type: ignore[operator]
                             for k, s in selections.items()}, return_dtype=pl.Float64).to_numpy()
    power = net["electricity"] - (q["green_power_kwh"] if method == "zero" else 0.0)
    co2["electricity"] = power * ef * product_scale(("kWh", "kgCO2/kWh"), "tCO2")
    hf = df["year"].replace_strict(heat_factor, return_dtype=pl.Float64).to_numpy()
    co2["heat"] = np.where(net["heat"] == 0, 0.0, net["heat"] * hf)
    co2["steam"] = np.where(net["steam"] == 0, 0.0, np.nan)  # no steam factor in any set yet
    total = sum((co2[s] for s in SOURCES), np.zeros(df.height))
    rows = df.select(*KEYS).with_columns(
        pl.Series("energy_tce", equal), pl.Series("energy_tce_equivalent", equivalent), pl.Series("co2_t", total),
        *(pl.Series(f"co2_{s}", co2[s]) for s in SOURCES), key.alias("factor_key"),
    ).with_columns(pl.selectors.float().fill_nan(None))
    return Account(fs, method, rows, selections)


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


def to_json(acc: Account) -> dict[str, Any]:
    """The command's JSON: the pinned factor set, the method, and one result per row."""
    fs = acc.factor_set
    factors = {}
    for k, s in acc.selections.items():
        f = s.factor
        factors[k] = {"value": f.value, "unit": f.unit, "region": f.region, "vintage": f.vintage,
                      "source": f.source.notice_no, "url": f.source.url, "published_on": f.source.published_on,
                      "status": f.status, "id": f.id, "selection": s.reason}
    results = []
    for r in acc.rows.iter_rows(named=True):
        by_source = {s: _round(r[f"co2_{s}"]) for s in SOURCES}
        pending = [f"{SOURCE_NAMES[s]}：因子集中无可用参数（待确认），未计入" for s, v in by_source.items() if v is None]
        if r["energy_tce_equivalent"] is None:
            pending.append("等价值：因子集中缺少二次能源等价值系数（待确认）")
        results.append({
            "entity": r["entity"], "year": r["year"], "province": r["province"],
            "energy_tce": _round(r["energy_tce"]), "energy_tce_equivalent": _round(r["energy_tce_equivalent"]),
            "co2_t": _round(r["co2_t"]), "co2_by_source": by_source,
            "electricity_factor": factors[r["factor_key"]], "pending": pending,
        })
    return {"factor_set": fs.pin, "green_power_method": {"method": acc.green_power, "text": GREEN_METHODS[acc.green_power],
                                                          "rule": fs.green_power_rule},
            "results": results}
