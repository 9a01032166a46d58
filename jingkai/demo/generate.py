"""Synthetic demo data, generated deterministically from a numpy Generator (no Django here).

Everything is returned as plain Python rows; jingkai.demo.build writes them to the database.
Scales and facts come from the YAML files in data/ (each with its source); every other number is a
demo assumption and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from jingkai.enterprises.uscc import ALPHABET, make_uscc

DATA = Path(__file__).resolve().parent / "data"
NATIONAL_YEARS = list(range(2019, 2025))  # the peer set's annual values
GANSU_YEARS = list(range(2022, 2025))  # annual values of every Gansu zone
MONTHLY_FROM = 2022
ENTERPRISE_YEARS = list(range(2021, 2025))
SOURCE = "演示数据"

# Flows of the monthly report; the rest of the catalogue is annual. 地区生产总值 is quarterly (kept at months 3,
# 6, 9, 12 only); QUARTERLY and JAN_FEB follow the catalogue (frequency quarter, merged_jan_feb).
FLOWS = ["gdp", "industrial_output", "industrial_value_added", "tax_revenue", "fixed_asset_investment",
         "fdi_actual_usd", "trade_total", "exports", "imports", "high_tech_trade"]
COUNTS = ["rd_institutions", "high_tech_enterprises", "incubators", "large_manufacturers", "listed_companies",
          "new_urban_jobs", "co_built_parks", "aid_pairing_items"]
# Ratios and their direction (+1: more is better).
RATIOS = {"rd_intensity": 1, "energy_per_value_added": -1, "co2_per_value_added": -1, "co2_growth": -1,
          "water_per_value_added": -1, "solid_waste_utilisation": 1}
DERIVED = {"industrial_value_added", "exports", "imports", "co2_per_value_added"}
QUARTERLY = {"gdp"}
JAN_FEB = {"industrial_output", "industrial_value_added", "fixed_asset_investment"}
# Reported growth at comparable prices (统计局): the current-price growth less a price index change drawn
# around recent levels (GDP deflator about 0, 工业生产者出厂价格 about −1.5%); a demo figure, not an official one.
REAL_GROWTH = {"gdp": ("gdp_growth_real", 0.0), "industrial_value_added": ("industrial_value_added_growth_real", -0.015)}
REGIONS = ["east", "central", "west"]


@dataclass(frozen=True)
class DemoSize:
    """How much to generate. `east`/`central`/`west` count national zones including Gansu's four."""

    enterprises: int = 20_000
    east: int = 112
    central: int = 68
    west: int = 52


@cache
def load(name: str):
    return yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))


def _lognormal(rng, median, sigma, size=None):
    return median * np.exp(sigma * rng.standard_normal(size))


def series(known: dict, years: list[int]) -> np.ndarray:
    """A published total per year; gaps filled log-linearly, ends extrapolated at the nearest slope."""
    xs = np.array(sorted(known), dtype=float)
    ys = np.log([float(known[int(x)]) for x in xs])
    out = np.interp(years, xs, ys)
    if len(xs) > 1:
        left, right = (ys[1] - ys[0]) / (xs[1] - xs[0]), (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
        out = np.where(np.array(years) < xs[0], ys[0] + (np.array(years) - xs[0]) * left, out)
        out = np.where(np.array(years) > xs[-1], ys[-1] + (np.array(years) - xs[-1]) * right, out)
    return np.exp(out)


# ---------------------------------------------------------------- zones


def zone_rows(size: DemoSize) -> list[dict]:
    """Gansu's national and provincial zones, then the synthetic national peer set."""
    gansu = load("gansu")
    cities = gansu["cities"]
    rows = []
    for z in gansu["national"]:
        rows.append({"code": z["code"], "name": z["name"], "level": "national_etdz", "region": "west",
                     "province": "甘肃省", "city": cities[z["division_code"]], "division_code": z["division_code"],
                     "approved_year": z["approved_year"], "planned_area_km2": z["planned_area_km2"],
                     "leading_industries": z["leading_industries"]})
    for z in gansu["provincial"]:
        rows.append({"code": z["code"], "name": z["name"], "level": "provincial", "region": "west",
                     "province": "甘肃省", "city": cities[z["division_code"]], "division_code": z["division_code"],
                     "approved_year": None, "planned_area_km2": None, "leading_industries": z["leading_industries"]})
    labels = {"east": ("E", "东部"), "central": ("C", "中部"), "west": ("W", "西部")}
    for region in REGIONS:
        count = getattr(size, region) - (len(gansu["national"]) if region == "west" else 0)
        letter, label = labels[region]
        for i in range(1, count + 1):
            rows.append({"code": f"PEER-{letter}{i:03d}", "name": f"{label}样本经开区{i:03d}", "level": "national_etdz",
                         "region": region, "province": f"{label}样本省", "city": "", "division_code": "",
                         "approved_year": None, "planned_area_km2": None, "leading_industries": []})
    return rows


# ---------------------------------------------------------------- annual zone indicators


def _raw_annual(rng, log_size: np.ndarray, region: np.ndarray, n_years: int) -> dict[str, np.ndarray]:
    """Unscaled annual values, zones × years. Size 1 is a zone with a GDP of about 100亿元 (1e6 万元)."""
    z = len(log_size)
    size = np.exp(log_size)[:, None]
    path = np.exp(np.cumsum(rng.normal(0.07, 0.05, (z, n_years)), axis=1))  # each zone's growth path
    east, west = (region == 0)[:, None], (region == 2)[:, None]
    open_bias = np.where(east, 2.0, np.where(west, 0.5, 1.0))  # trade and FDI lean east

    def flow(scale, sigma, bias=1.0):
        return scale * size * bias * _lognormal(rng, 1, sigma, (z, 1)) * path * _lognormal(rng, 1, 0.04, (z, n_years))

    def count(scale, sigma, power=0.9):
        trend = np.exp(np.cumsum(rng.normal(0.08, 0.04, (z, n_years)), axis=1))
        return scale * size**power * _lognormal(rng, 1, sigma, (z, 1)) * trend

    years = np.arange(n_years)[None, :]
    regional = lambda east_v, central_v, west_v: np.where(east, east_v, np.where(west, west_v, central_v))  # noqa: E731
    raw = {
        "gdp": flow(1e6, 0.1),
        "industrial_output": flow(1.75e6, 0.35),
        "tax_revenue": flow(1.2e5, 0.3),
        "fixed_asset_investment": flow(4.5e5, 0.35),
        "fdi_actual_usd": flow(1.5e3, 0.9, open_bias),
        "trade_total": flow(5e5, 0.8, open_bias),
        "high_tech_enterprises": count(120, 0.4),
        "large_manufacturers": count(6, 0.5),
        "listed_companies": count(3.5, 0.6),
        "incubators": count(2.3, 0.6, 0.6),
        "rd_institutions": count(40, 0.5),
        "co_built_parks": count(1.5, 0.6, 0.4),
        "aid_pairing_items": count(2.5, 0.6, 0.3),
        "rd_intensity": regional(0.028, 0.022, 0.016) * _lognormal(rng, 1, 0.35, (z, 1)) * 1.03**years,
        "energy_per_value_added": regional(0.35, 0.5, 0.8) * _lognormal(rng, 1, 0.45, (z, 1)) * 0.96**years,
        "co2_growth": rng.normal(0.03, 0.05, (z, n_years)),
        "water_per_value_added": regional(8.0, 12.0, 18.0) * _lognormal(rng, 1, 0.5, (z, 1)) * 0.97**years,
        "solid_waste_utilisation": 1 - regional(0.15, 0.2, 0.3) * _lognormal(rng, 1, 0.5, (z, 1)) * 0.95**years,
    }
    raw["high_tech_trade"] = raw["trade_total"] * rng.uniform(0.1, 0.5, (z, 1))
    raw["new_urban_jobs"] = raw["gdp"] / 1000 * _lognormal(rng, 1, 0.3, (z, 1))
    # Zone constants for the derived indicators.
    raw["_va_ratio"] = np.broadcast_to(rng.uniform(0.22, 0.32, (z, 1)), (z, n_years))
    raw["_export_share"] = np.broadcast_to(np.clip(rng.normal(0.6, 0.12, (z, 1)), 0.15, 0.9), (z, n_years))
    raw["_co2_factor"] = np.broadcast_to(rng.uniform(2.0, 2.6, (z, 1)), (z, n_years))
    return raw


def _finish(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Derived indicators and rounding; the identities hold exactly after rounding."""
    v = {k: a for k, a in values.items() if not k.startswith("_")}
    for key in ("gdp", "industrial_output", "tax_revenue", "fixed_asset_investment", "fdi_actual_usd", "trade_total"):
        v[key] = np.round(v[key], 2)
    v["industrial_value_added"] = np.round(v["industrial_output"] * values["_va_ratio"], 2)
    v["exports"] = np.round(v["trade_total"] * values["_export_share"], 2)
    v["imports"] = np.round(v["trade_total"] - v["exports"], 2)
    v["trade_total"] = np.round(v["exports"] + v["imports"], 2)
    v["high_tech_trade"] = np.round(np.minimum(v["high_tech_trade"], 0.9 * v["trade_total"]), 2)
    for key in COUNTS:
        v[key] = np.maximum(np.round(v[key]), 0)
    v["rd_intensity"] = np.round(np.clip(v["rd_intensity"], 0.001, 0.12), 4)
    v["energy_per_value_added"] = np.round(np.clip(v["energy_per_value_added"], 0.03, 5), 4)
    v["co2_per_value_added"] = np.round(v["energy_per_value_added"] * values["_co2_factor"], 4)
    v["co2_growth"] = np.round(np.clip(v["co2_growth"], -0.5, 0.5), 4)
    v["water_per_value_added"] = np.round(np.clip(v["water_per_value_added"], 0.5, 200), 2)
    v["solid_waste_utilisation"] = np.round(np.clip(v["solid_waste_utilisation"], 0.3, 0.995), 4)
    return v


def national_values(rng, zones: list[dict], gansu_future_years: int = 2):
    """The peer set's annual values 2019–2024, calibrated to the published national totals, with Gansu's
    national zones placed at their rank band. Also returns Gansu's national zones' continuation for the
    years after 2024 (for the monthly series): {zone_code: {key: array over the extra years}}."""
    calib = load("calibration")
    national = [z for z in zones if z["level"] == "national_etdz"]
    codes = [z["code"] for z in national]
    region = np.array([REGIONS.index(z["region"]) for z in national])
    n, years = len(national), NATIONAL_YEARS
    n_all = len(years) + gansu_future_years
    log_size = rng.normal(np.array([0.45, 0.0, -0.5])[region], 0.85)
    raw = _raw_annual(rng, log_size, region, n_all)
    gansu = [i for i, c in enumerate(codes) if c in calib["gansu_ranks"]]
    peers = np.setdiff1d(np.arange(n), gansu)
    placed = [k for k in raw if not k.startswith("_") and k not in DERIVED]
    for key in placed:
        direction = RATIOS.get(key, 1)
        jitter = rng.integers(-10, 11, len(gansu))
        for j, i in enumerate(gansu):
            # The published ranks are composite; a zone's values move more smoothly than its rank does.
            ranks = np.array([calib["gansu_ranks"][codes[i]][y] for y in years], dtype=float)
            ranks = ranks.mean() + 0.3 * (ranks - ranks.mean())
            for t in range(n_all):  # after 2024 the zone keeps its 2024 rank
                rank = (ranks[min(t, len(years) - 1)] + jitter[j]) * n / sum(calib["zone_counts"].values())
                q = min(max((rank - 0.5) / n, 0.0), 1.0)
                raw[key][i, t] = np.quantile(raw[key][peers, t], 1 - q if direction > 0 else q)
    # Calibrate to the published totals (or a stated ratio of GDP).
    totals = {k: series(spec["values"], years) for k, spec in calib["totals"].items()}
    for key, ratio in calib["ratios_to_gdp"].items():
        totals[key] = ratio * totals["gdp"]
    published_ht = calib["totals"]["high_tech_trade"]["values"]
    totals["high_tech_trade"] = np.array([float(published_ht.get(y, calib["high_tech_trade_share"] * t))
                                          for y, t in zip(years, totals["trade_total"], strict=True)])
    for key, total in totals.items():
        factor = total / raw[key][:, : len(years)].sum(axis=0)
        raw[key] = raw[key] * np.concatenate([factor, np.repeat(factor[-1], n_all - len(years))])[None, :]
    raw["new_urban_jobs"] = raw["gdp"] / 1000 * (raw["new_urban_jobs"] / raw["new_urban_jobs"].mean())
    values = _finish(raw)
    annual = {k: v[:, : len(years)] for k, v in values.items()}
    future = {codes[i]: {k: v[i, len(years):] for k, v in values.items()} for i in gansu}
    current = {codes[i]: {k: v[i, : len(years)] for k, v in values.items()} for i in gansu}
    return codes, annual, current, future


def provincial_values(rng, zones: list[dict], n_years: int) -> dict[str, dict[str, np.ndarray]]:
    """Gansu's provincial zones, 2022 onwards: smaller than the national ones (GDP about 10–100亿元)."""
    provincial = [z["code"] for z in zones if z["level"] == "provincial"]
    raw = _raw_annual(rng, rng.normal(np.log(0.35), 0.6, len(provincial)), np.full(len(provincial), 2), n_years)
    values = _finish(raw)
    return {code: {k: v[i] for k, v in values.items()} for i, code in enumerate(provincial)}


# ---------------------------------------------------------------- monthly cumulative flows

_SEASON = np.array([0.055, 0.06, 0.085, 0.08, 0.085, 0.095, 0.08, 0.08, 0.088, 0.082, 0.088, 0.122])
_INVESTMENT = np.array([0.02, 0.03, 0.07, 0.08, 0.09, 0.11, 0.09, 0.09, 0.1, 0.09, 0.1, 0.13])


def _cumulative_shares(rng, profile: str) -> np.ndarray:
    if profile == "lumpy":
        w = rng.dirichlet(np.full(12, 0.8))
    else:
        w = (_INVESTMENT if profile == "investment" else _SEASON) * _lognormal(rng, 1, 0.08, 12)
    c = np.cumsum(w) / w.sum()
    c[-1] = 1.0
    return c


def monthly_values(rng, annual: dict[str, np.ndarray], years: list[int], last_month: tuple[int, int]):
    """Cumulative monthly flows of one zone: {(period, key): value}, December = the annual value."""
    out: dict[tuple[str, str], float] = {}
    last_shares: dict[str, np.ndarray] = {}
    for t, year in enumerate(years):
        months = 12 if year < last_month[0] else last_month[1]
        if months <= 0:
            continue
        shares = {"gdp": _cumulative_shares(rng, "season"), "industrial_output": _cumulative_shares(rng, "season"),
                  "tax_revenue": _cumulative_shares(rng, "season"),
                  "fixed_asset_investment": _cumulative_shares(rng, "investment"),
                  "fdi_actual_usd": _cumulative_shares(rng, "lumpy"), "exports": _cumulative_shares(rng, "season"),
                  "imports": _cumulative_shares(rng, "season")}
        shares["industrial_value_added"] = shares["industrial_output"]  # so that value added ≤ output every month
        cum = {k: np.round(annual[k][t] * s, 2) for k, s in shares.items()}
        cum["trade_total"] = np.round(cum["exports"] + cum["imports"], 2)
        ht_share = annual["high_tech_trade"][t] / annual["trade_total"][t] if annual["trade_total"][t] else 0.0
        cum["high_tech_trade"] = np.round(cum["trade_total"] * ht_share, 2)
        cum["high_tech_trade"][-1] = annual["high_tech_trade"][t]
        for key in FLOWS:
            for m in range(months):
                if (key in QUARTERLY and (m + 1) % 3) or (key in JAN_FEB and m == 0):
                    continue  # no monthly GDP; January reported with February (1—2月)
                out[(f"{year}-{m + 1:02d}", key)] = float(cum[key][m])
        if t:  # the reported real growth needs last year's level
            prices = np.random.default_rng([year, int(annual["gdp"][t]) % 2**32])  # not drawn from `rng`
            for key, (rate, drift) in REAL_GROWTH.items():
                base = np.round(annual[key][t - 1] * last_shares[key], 2)
                for m in range(months):
                    if base[m] > 0 and (key not in QUARTERLY or (m + 1) % 3 == 0) and (key not in JAN_FEB or m):
                        nominal = cum[key][m] / base[m] - 1
                        out[(f"{year}-{m + 1:02d}", rate)] = round(float(nominal - prices.normal(drift, 0.008)), 3)
        last_shares = shares
    return out


# ---------------------------------------------------------------- enterprises

_SYLLABLES = list("华瑞鑫源泰恒盛达宏远隆昌祥和兴丰金银富安康永广通宝联创新科信中天海润博嘉汇鼎诚佳利锦荣"
                  "明光辉耀正德凯旭晟辰宇星云峰阳东西祁连陇河建腾飞翔融合益发展")
_SIZES = ["micro", "small", "medium", "large"]
_SIZE_P = [0.66, 0.28, 0.05, 0.01]
# Revenue (万元) and employee ranges per size class, after 工信部联企业〔2011〕300号 (industry).
_REVENUE = {"micro": (30, 300), "small": (300, 2000), "medium": (2000, 40000), "large": (40000, 800000)}
_STAFF = {"micro": (3, 19), "small": (20, 299), "medium": (300, 999), "large": (1000, 12000)}


def _log_uniform(rng, lo, hi, size=None):
    return np.exp(rng.uniform(np.log(lo), np.log(hi), size))


def _city_prefix(city: str) -> str:
    for suffix in ("回族自治州", "藏族自治州", "市"):
        city = city.removesuffix(suffix)
    return city


def enterprises(rng, n: int, zones: list[dict], today: dt.date, high_tech_targets: dict | None = None) -> dict:
    """Enterprises of the Gansu zones as column arrays, plus their tags and yearly facts.

    `high_tech_targets` (zone code → number of high-tech enterprises at the end of 2024) steers the
    share of high-tech enterprises in those zones, so that zone indicators and enterprises agree."""
    gansu = load("gansu")
    industries = load("industries")
    specs = {z["code"]: z for z in gansu["national"] + gansu["provincial"]}
    zone_by_code = {z["code"]: z for z in zones}
    codes = list(specs)
    national_share = np.array([specs[c].get("share", 0) for c in codes])
    provincial = national_share == 0
    national_share[provincial] = (1 - national_share.sum()) * rng.dirichlet(np.full(provincial.sum(), 4.0))
    zone_idx = np.sort(rng.choice(len(codes), n, p=national_share / national_share.sum()))
    zone_code = np.array(codes)[zone_idx]
    industry = np.empty(n, dtype=object)
    for i, code in enumerate(codes):
        mask = zone_idx == i
        mix = specs[code]["industries"]
        weights = np.array(list(mix.values()), dtype=float)
        industry[mask] = rng.choice(list(mix), mask.sum(), p=weights / weights.sum())
    size = np.array(_SIZES)[rng.choice(4, n, p=_SIZE_P)]
    section = np.array([c[0] for c in industry])
    industrial = np.isin(section, ["B", "C", "D"])
    emerging = np.array([industries[c]["emerging"] for c in industry])
    revenue_2024 = _log_uniform(rng, *np.array([_REVENUE[s] for s in size]).T)
    staff_2024 = _log_uniform(rng, *np.array([_STAFF[s] for s in size]).T)
    ownership = np.array(["domestic", "foreign", "hmt"])[rng.choice(3, n, p=[0.94, 0.035, 0.025])]
    listed = rng.random(n) < np.select([size == "large", size == "medium"], [0.05, 0.002], 0.0)
    established_year = 2020 - np.minimum(rng.exponential(9, n).astype(int), 30)
    established = [dt.date(int(y), int(m), int(d)) for y, m, d in
                   zip(established_year, rng.integers(1, 13, n), rng.integers(1, 29, n), strict=True)]
    credit = np.array(list("ABCD"))[rng.choice(4, n, p=[0.55, 0.35, 0.08, 0.02])]

    # Main business revenue 2019–2024 (prev/prev2 of 2021 need 2019 and 2020).
    growth = np.clip(rng.normal(0.07, 0.15, (n, 5)), -0.4, 0.8)
    main_revenue = np.empty((n, 6))
    main_revenue[:, 5] = revenue_2024
    for t in range(4, -1, -1):
        main_revenue[:, t] = main_revenue[:, t + 1] / (1 + growth[:, t])
    main_revenue = np.round(main_revenue, 2)
    above_scale = industrial & (main_revenue[:, 5] >= 2000)

    # Names and USCCs, drawn in bulk; the rare duplicate is drawn again.
    corporate = rng.random(n) < np.where(listed, 1.0, np.where(np.isin(size, ["large", "medium"]), 0.3, 0.02))
    forms = np.where(corporate, "股份有限公司", np.where(rng.random(n) < 0.15, "有限责任公司", "有限公司"))
    city_prefix = {c: _city_prefix(zone_by_code[c]["city"]) for c in codes}
    division = {c: zone_by_code[c]["division_code"] for c in codes}
    alphabet = np.array(list(ALPHABET))
    syllables = np.array(_SYLLABLES)

    def draw_name(i):
        prefix = "甘肃" if rng.random() < 0.4 else city_prefix[zone_code[i]]
        brand = "".join(syllables[rng.integers(len(syllables), size=2 + int(rng.random() < 0.15))])
        words = industries[industry[i]]["words"]
        return f"{prefix}{brand}{words[rng.integers(len(words))]}{forms[i]}"

    names, usccs = [draw_name(i) for i in range(n)], []
    bodies = ["".join(row) for row in alphabet[rng.integers(len(alphabet), size=(n, 8))]]
    seen_names, seen_usccs = set(), set()
    for i in range(n):
        while names[i] in seen_names:
            names[i] = draw_name(i)
        seen_names.add(names[i])
        uscc = make_uscc(division[zone_code[i]], bodies[i])
        while uscc in seen_usccs:
            uscc = make_uscc(division[zone_code[i]], "".join(alphabet[rng.integers(len(alphabet), size=8)]))
        seen_usccs.add(uscc)
        usccs.append(uscc)

    high_tech_p = np.select([size == "micro", size == "small", size == "medium"], [0.012, 0.06, 0.22], 0.35)
    high_tech_p = high_tech_p * np.where(emerging, 1.8, 1.0) * np.where(industrial, 1.0, 0.5)
    for code, target in (high_tech_targets or {}).items():
        mask = zone_code == code
        expected = high_tech_p[mask].sum() * _HT_VALID_2024
        if expected > 0:
            high_tech_p[mask] = np.minimum(high_tech_p[mask] * np.clip(target / expected, 0.2, 10), 0.9)
    high_tech = rng.random(n) < high_tech_p
    specialized = (~np.isin(size, ["large"])) & (rng.random(n) < np.select(
        [size == "medium", size == "small"], [0.10, 0.03], 0.003) * np.where(emerging, 1.5, 1.0))
    tags = _tags(rng, n, size, high_tech, specialized, today)
    years = _enterprise_years(rng, n, main_revenue, staff_2024, industry, industries, industrial, high_tech,
                              specialized, emerging, ownership, established_year, size, tags)
    return {
        "uscc": usccs, "name": names, "zone_code": zone_code.tolist(), "industry_code": industry.tolist(),
        "established": established, "size_class": size.tolist(), "ownership": ownership.tolist(),
        "above_scale": above_scale.tolist(), "listed": listed.tolist(), "credit_class": credit.tolist(),
        "tags": tags, "years": years,
    }


def _date_in(rng, year: int, today: dt.date) -> dt.date | None:
    day = dt.date(year, int(rng.integers(1, 13)), int(rng.integers(1, 29)))
    return day if day <= today else None


def _plus_years(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years) - dt.timedelta(days=1)


# High-tech certificates: first granted 2013–2024, more often in later years (the national count rose from
# 3.1万 in 2019 to 8.5万 in 2024); valid three years; renewed with probability _HT_RENEW (demo assumption).
_HT_FIRST = np.arange(2013, 2025)
_HT_FIRST_P = 1.15 ** (_HT_FIRST - 2013) / (1.15 ** (_HT_FIRST - 2013)).sum()
_HT_RENEW = 0.85
# Share of ever-certified firms whose certificate covers 31 Dec 2024: a certificate first granted in year f
# covers the year ends f, f+1, f+2, so 2024 needs (2024 - f) // 3 renewals.
_HT_VALID_2024 = float((_HT_FIRST_P * _HT_RENEW ** ((2024 - _HT_FIRST) // 3)).sum())


def _tags(rng, n, size, high_tech, specialized, today) -> list[tuple[int, str, dt.date, dt.date | None]]:
    """(enterprise index, tag, valid_from, valid_to): three-year certificates renewed with some failures."""
    out: list[tuple[int, str, dt.date, dt.date | None]] = []

    def certificates(i, tag, first_year, years_valid, renew_p):
        year = first_year
        while year <= today.year:
            start = _date_in(rng, year, today)
            if start is None:
                break
            out.append((i, tag, start, _plus_years(start, years_valid)))
            if rng.random() > renew_p:
                break
            year += years_valid

    big = np.isin(size, ["medium", "large"])
    for i in range(n):
        if high_tech[i]:
            # First certificates grow more frequent over the years, as the national count did (3.1万 → 8.5万).
            certificates(i, "high_tech_enterprise", int(rng.choice(_HT_FIRST, p=_HT_FIRST_P)), 3, _HT_RENEW)
        if size[i] != "large" and (high_tech[i] or rng.random() < 0.08):
            certificates(i, "tech_sme", int(rng.integers(2021, today.year + 1)), 1, 0.8)
        if specialized[i] or (size[i] != "large" and rng.random() < 0.04):
            certificates(i, "innovative_sme", int(rng.integers(2020, today.year + 1)), 3, 0.8)
        if specialized[i]:
            certificates(i, "specialized_sme", int(rng.integers(2019, today.year + 1)), 3, 0.85)
            if rng.random() < 0.1:
                certificates(i, "little_giant", int(rng.integers(2020, today.year + 1)), 3, 0.9)
        if size[i] == "large" and rng.random() < 0.12:
            start = _date_in(rng, int(rng.integers(2022, today.year + 1)), today)
            if start:
                out.append((i, "chain_leader", start, None))
        for tag, p in (("green_factory", 0.08), ("smart_factory", 0.04), ("digital_benchmark", 0.02)):
            if big[i] and rng.random() < p:
                start = _date_in(rng, int(rng.integers(2018, today.year + 1)), today)
                if start:
                    out.append((i, tag, start, None))
    return out


def _enterprise_years(rng, n, main_revenue, staff_2024, industry, industries, industrial, high_tech, specialized,
                      emerging, ownership, established_year, size, tags) -> dict[str, np.ndarray]:
    """Yearly facts 2021–2024 as (n, 4) arrays (honors: lists) keyed by the fact tables' field names."""
    k = len(ENTERPRISE_YEARS)
    years = np.array(ENTERPRISE_YEARS)
    shape = (n, k)
    noise = lambda sigma: _lognormal(rng, 1, sigma, shape)  # noqa: E731
    main = main_revenue[:, 2:]
    revenue_all = np.round(main_revenue[:, 1:] * rng.uniform(1.0, 1.1, (n, 1)), 2)  # 2020–2024
    revenue = revenue_all[:, 1:]
    margin = rng.normal(0.05, 0.05, (n, 1)) + rng.normal(0, 0.03, shape)
    assets = np.round(revenue * _lognormal(rng, 1.3, 0.4, (n, 1)) * noise(0.05), 2)
    va_rate = np.where(industrial, rng.uniform(0.18, 0.35, n), rng.uniform(0.3, 0.55, n))[:, None]
    value_added = np.round(revenue * va_rate * noise(0.05), 2)
    # R&D: high-tech firms 3–8% of revenue, others often none.
    rd_rate = np.where(high_tech, rng.uniform(0.03, 0.08, n),
                       np.where(rng.random(n) < 0.4, 0.0, rng.uniform(0.002, 0.03, n)))
    rd_all = np.round(main_revenue[:, 1:] * rd_rate[:, None] * _lognormal(rng, 1, 0.1, (n, 5)), 2)
    employees = np.maximum(np.round(staff_2024[:, None] * (main / main[:, -1:]) ** 0.4), 1)
    rd_staff_share = np.where(high_tech, rng.uniform(0.1, 0.3, n), np.where(rd_rate > 0, rng.uniform(0.02, 0.1, n), 0))
    # Land: industrial firms from a tax per mu (median 8万元/亩, demo assumption); services mostly rent.
    tax_rate = rng.uniform(0.01, 0.06, (n, 1))
    tax = np.round(revenue * tax_rate * noise(0.05), 2)
    service = np.isin(np.array([c[0] for c in industry]), ["I", "L", "M"])
    land = np.where(service, np.where(rng.random(n) < 0.5, 0.0, rng.uniform(0.5, 5, n)),
                    np.clip(tax[:, -1] / _lognormal(rng, 8, 0.8, n), 1, 3000))
    floor = np.where(land > 0, land * 666.67 * rng.uniform(0.5, 1.6, n), employees[:, -1] * 15)
    intensity = np.array([industries[c]["energy"] for c in industry]) * _lognormal(rng, 1, 0.3, n)
    energy = np.round(np.maximum(value_added, 0) * intensity[:, None] * 0.97 ** (years - 2024)[None, :], 2)
    electricity = np.round(energy * rng.uniform(0.25, 0.6, (n, 1)) / 0.1229, 2)
    exporter = rng.random(n) < np.where(ownership == "domestic", 0.12, 0.6)
    exports = np.round(np.where(exporter, rng.uniform(0.05, 0.5, n), 0.0)[:, None] * revenue, 2)
    funded = rng.random(shape) < np.where(high_tech, 0.12, 0.02)[:, None]
    raised = np.where(funded, _lognormal(rng, 2000, 1.0, shape), 0.0)
    equity_2y = np.round(raised + np.concatenate([np.zeros((n, 1)), raised[:, :-1]], axis=1), 2)
    equity_3y = np.round(equity_2y + np.concatenate([np.zeros((n, 2)), raised[:, :-2]], axis=1), 2)
    ip1_rate = np.where(high_tech, 2.5, 0.1)[:, None]
    ip1 = np.where(high_tech, rng.poisson(6, n), rng.poisson(0.3, n))[:, None] + np.cumsum(rng.poisson(ip1_rate, shape), 1)
    ip2 = np.where(high_tech, rng.poisson(12, n), rng.poisson(1.5, n))[:, None] + np.cumsum(
        rng.poisson(np.where(high_tech, 4, 0.4)[:, None], shape), 1)
    niche_years = np.maximum(years[None, :] - established_year[:, None] - rng.integers(0, 4, (n, 1)), 0)
    niche_share = np.where(specialized, rng.uniform(0.05, 0.35, n), np.clip(_lognormal(rng, 0.005, 1.0, n), 0, 0.2))
    digital_2024 = np.clip(rng.choice(5, n, p=[0.1, 0.35, 0.35, 0.15, 0.05]) + np.isin(size, ["medium", "large"]), 0, 4)
    digital = np.clip(digital_2024[:, None] - (rng.random(shape) < 0.15) * (3 - np.arange(k))[None, :] // 2, 0, 4)
    levels = np.array(["none", "below_city", "city", "provincial", "national"])
    rd_level = np.where(high_tech, rng.choice(5, n, p=[0.22, 0.2, 0.3, 0.25, 0.03]),
                        rng.choice(5, n, p=[0.8, 0.08, 0.08, 0.035, 0.005]))
    strategic = np.where(emerging, rng.random(n) < 0.7, rng.random(n) < 0.05)
    honors: list[list[list[str]]] = [[[] for _ in range(k)] for _ in range(n)]
    for i, tag, start, end in tags:
        if tag == "high_tech_enterprise":
            for t, year in enumerate(ENTERPRISE_YEARS):
                if start <= dt.date(year, 12, 31) <= end:
                    honors[i][t].append("high_tech_enterprise")
    extra = rng.random(shape)
    for i, t in zip(*np.nonzero(extra < 0.015), strict=True):
        honors[i][t].append("ip_advantage" if high_tech[i] else "tech_innovation_demo")
    # 细分市场占有率较为靠前 is a judgement an enterprise documents; the demo grants it to a 10% share or more.
    for i in np.nonzero(niche_share >= 0.10)[0]:
        for t in range(k):
            honors[i][t].append("niche_market_leading")
    return {
        "main_revenue": main, "main_revenue_prev": main_revenue[:, 1:5], "main_revenue_prev2": main_revenue[:, :4],
        "revenue": revenue, "revenue_prev": revenue_all[:, :-1], "net_profit": np.round(revenue * margin, 2), "total_assets": assets,
        "total_liabilities": np.round(assets * rng.uniform(0.25, 0.75, (n, 1)), 2), "tax_paid": tax,
        "value_added": value_added, "rd_expense": rd_all[:, 1:], "rd_expense_prev": rd_all[:, :-1],
        "employees": employees.astype(int), "rd_staff": np.round(employees * rd_staff_share[:, None]).astype(int),
        "land_area_mu": np.round(np.repeat(land[:, None], k, 1), 2), "floor_area_m2": np.round(np.repeat(floor[:, None], k, 1)),
        "energy_tce": energy, "energy_tce_equivalent": np.round(energy + electricity * (0.3 - 0.1229), 2),
        "electricity_mwh": electricity, "pollutant_emissions_t": np.round(energy * rng.uniform(0.002, 0.02, (n, 1)), 3),
        "exports": exports, "equity_financing_2y": equity_2y, "equity_financing_3y": equity_3y,
        "ip_class1": ip1, "ip_class1_self": np.floor(ip1 * rng.uniform(0.6, 1.0, (n, 1))).astype(int),
        "ip_class1_high_value": np.floor(ip1 * rng.uniform(0.0, 0.5, (n, 1))).astype(int),
        "ip_class2": ip2, "strategic_emerging": np.repeat(strategic[:, None], k, 1),
        "years_in_niche": niche_years.astype(float), "niche_market_share": np.round(np.repeat(niche_share[:, None], k, 1), 4),
        "niche_market_share_intl": np.round(np.repeat((niche_share * rng.uniform(0, 0.3, n))[:, None], k, 1), 4),
        # 专精特新 evaluation score (out of 100, 60 to qualify) and local feature points (0–15): demo values.
        "dev_score": np.round(np.where(specialized[:, None], rng.uniform(60, 90, shape),
                                       np.clip(rng.normal(45, 12, shape), 0, 100)), 1),
        "local_feature_points": np.round(np.where(specialized[:, None], rng.uniform(5, 15, shape),
                                                  rng.uniform(0, 8, shape)), 1),
        "digital_level": digital, "rd_institution_level": np.repeat(levels[rd_level][:, None], k, 1),
        "quality_items": np.repeat(rng.choice(5, n, p=[0.3, 0.3, 0.2, 0.15, 0.05])[:, None], k, 1),
        "honors": honors,
    }
