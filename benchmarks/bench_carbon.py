"""Carbon accounting speed: 1,000,000 synthetic enterprise-year records (31 provinces, 2021–2025, every carrier).

    .venv/bin/python benchmarks/bench_carbon.py [--rows 1000000] [--sample 100000]

Engine: `jingkai.engines.carbon` — read the CSV, validate every cell (`records`), select the grid factor per
(province, year) and account energy (当量值/等价值) and CO₂ by source in numpy/polars (`account`); target < 20 s.
Baseline, same run, same file: the plain-Python way (csv module, one row at a time: parse and check each cell,
look the factor up, sum the sources), on the first `--sample` rows and extrapolated; both must give the same
figures on those rows. Coal, diesel, gasoline and heat have no parameters in the shipped set: their rows are
pending (None) in both, as the engine reports them.
"""

from __future__ import annotations

import argparse
import csv
import math
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import polars as pl

from jingkai.engines import carbon
from jingkai.engines.carbon.account import FUELS, OPTIONAL, PROVINCE_SUFFIXES, QUANTITIES
from jingkai.engines.carbon.units import CO2_PER_C, product_scale, scale


def synthetic(n: int, fs: carbon.FactorSet, seed: int = 15) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    provinces = np.array(sorted(fs.regions))
    elec = np.round(rng.lognormal(13, 1.5, n))
    used = lambda share, scale_: np.where(rng.random(n) < share, np.round(rng.lognormal(scale_, 1.2, n), 2), 0.0)  # noqa: E731
    return pl.DataFrame({
        "entity": [f"91620{i:013d}" for i in range(n)], "year": rng.integers(2021, 2026, n),
        "province": provinces[rng.integers(0, len(provinces), n)] + np.where(rng.random(n) < 0.5, "省", ""),
        "electricity_kwh": elec, "green_power_kwh": np.round(elec * np.where(rng.random(n) < 0.3, rng.random(n), 0)),
        "coal_t": used(0.1, 6), "natural_gas_m3": used(0.6, 9), "diesel_t": used(0.05, 2),
        "gasoline_t": used(0.05, 1), "heat_gj": used(0.1, 6),
    })


def engine(path: Path, fs: carbon.FactorSet) -> carbon.Account:
    return carbon.account(carbon.records(carbon.read_table(path), set(fs.regions)), fs)


def baseline(path: Path, fs: carbon.FactorSet, limit: int) -> list[tuple]:
    """The same accounting, one row at a time in plain Python."""
    conv = {c: (k.equal, k.equivalent, product_scale((u, k.unit), "tce")) for c, k in fs.conversion.items()
            for u in [{"electricity": "kWh", "natural_gas": "m**3", "heat": "GJ"}.get(c, "t")]}
    fuel = {}
    for f in FUELS:
        p = fs.fuels[f]
        k = (None if None in (p.ncv, p.carbon_content, p.oxidation)
             else p.ncv * p.carbon_content * p.oxidation * CO2_PER_C)  # type: ignore[operator]
        fuel[f] = (k, product_scale((QUANTITIES[f"{f}_{'m3' if f == 'natural_gas' else 't'}"][1], p.ncv_unit,
                                     p.carbon_content_unit), "tC"))
    factors: dict[tuple[str, int], float] = {}
    out = []
    columns = {**QUANTITIES, **OPTIONAL}
    with path.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            if i >= limit:
                break
            q = {}
            for c in columns:
                text = (row.get(c) or "").strip()
                v = float(text) if text else 0.0
                if not (v >= 0 and math.isfinite(v)):
                    raise ValueError(f"第 {i + 2} 行 {c}")
                q[c] = v
            year = int(row["year"])
            province = row["province"].strip()
            for suffix in PROVINCE_SUFFIXES:
                province = province.removesuffix(suffix)
            if province not in fs.regions:
                raise ValueError(f"第 {i + 2} 行 province")
            if (province, year) not in factors:
                f = fs.grid_factor(province, year).factor
                factors[province, year] = f.value * scale(f.unit, "kgCO2/kWh")  # type: ignore[operator]
            net = {"electricity": q["electricity_kwh"] - q["electricity_exported_kwh"], "coal": q["coal_t"],
                   "natural_gas": q["natural_gas_m3"], "diesel": q["diesel_t"], "gasoline": q["gasoline_t"],
                   "heat": q["heat_gj"] - q["heat_exported_gj"], "steam": q["steam_t"]}
            equal = equivalent = 0.0
            for c, (e, eq, s) in conv.items():
                equal += 0.0 if net[c] == 0 else (math.nan if e is None else net[c] * e * s)
                equivalent += 0.0 if net[c] == 0 else (math.nan if eq is None else net[c] * eq * s)
            co2 = [(net["electricity"] - q["green_power_kwh"]) * factors[province, year] / 1000]
            for f in FUELS:
                k, s = fuel[f]
                co2.append(0.0 if net[f] == 0 else (math.nan if k is None else net[f] * k * s))
            co2.append(0.0 if net["heat"] == 0 else math.nan)  # no heat factor in the shipped set
            out.append((equal, equivalent, sum(co2)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=100_000)
    args = ap.parse_args()
    fs = carbon.load()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "records.csv"
        synthetic(args.rows, fs).write_csv(path)
        print(f"{args.rows:,} 条企业年度记录，{path.stat().st_size / 1e6:.1f} MB CSV，因子集 {fs.id}")
        t0 = time.perf_counter()
        c0 = time.process_time()
        acc = engine(path, fs)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"引擎：读取 + 校验 + 核算 {wall:.2f} s（CPU {cpu:.2f} s，目标 < 20 s），峰值内存 {peak:.0f} MB")
        t0 = time.perf_counter()
        base = baseline(path, fs, args.sample)
        bwall = time.perf_counter() - t0
        per_row = bwall / len(base)
        print(f"基准（逐行纯 Python，前 {len(base):,} 行）：{bwall:.2f} s，外推 {args.rows:,} 行 {per_row * args.rows:.1f} s，"
              f"引擎快 {per_row * args.rows / wall:.1f} 倍")
        got = acc.rows.head(len(base)).select("energy_tce", "energy_tce_equivalent", "co2_t").rows()
        for i, (a, b) in enumerate(zip(got, base, strict=True)):
            for x, y in zip(a, b, strict=True):
                same = (x is None and math.isnan(y)) or (x is not None and math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9))
                if not same:
                    sys.exit(f"结果不一致：第 {i + 2} 行 {a} ≠ {b}")
        print(f"前 {len(base):,} 行结果一致（能耗当量值、等价值、二氧化碳）")
        if wall >= 20:
            sys.exit(f"超出目标：{wall:.1f} s ≥ 20 s")


if __name__ == "__main__":
    main()
