"""Rule engine speed: three programmes over 1,000,000 synthetic enterprise-year rows.

    .venv/bin/python benchmarks/bench_rules.py [--rows 1000000] [--sample 20000]

Vectorised path: polars (POLARS_MAX_THREADS=2). Baseline: the same rule files evaluated by the plain-Python
row-by-row backend on a random sample, extrapolated linearly to the full row count (every cohort aggregate
is one pass over the rows, so its cost is linear too). Peak memory is the process's maximum RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("POLARS_MAX_THREADS", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import polars as pl

from jingkai.engines.rules import evaluate, select

PROGRAMMES = ["sme-specialized-2022", "mujun-gansu-default-2", "innovation-points-provisional-2"]
ON = dt.date(2025, 6, 1)
HONORS = ["", "own_brand", "sci_award_provincial", "six_basics;own_brand", "maker_china_500", "chain_key_link"]
TAGS = ["", "innovative_sme@2024-01-01/2026-12-31", "high_tech_enterprise", "specialized_sme@2020-01-01/2024-12-31"]


def synthetic(n: int, seed: int = 42) -> pl.DataFrame:
    rng = np.random.default_rng(seed)

    def money(scale, miss=0.03):
        v = rng.lognormal(np.log(scale), 1.0, n)
        v[rng.random(n) < miss] = np.nan
        return v
    revenue = money(3000)
    zones = np.array([f"GS-{i:03d}" for i in range(60)])
    industries = np.array(["C3841", "C2614", "C3911", "D4411", "I6510", "F5211", "E4710", "C1311"])
    return pl.DataFrame({
        "uscc": [f"9162{i:014d}" for i in range(n)],
        "year": np.full(n, 2024),
        "zone_code": zones[rng.integers(0, len(zones), n)],
        "industry_code": industries[rng.integers(0, len(industries), n)],
        "established": [f"{y}-06-01" for y in rng.integers(2000, 2024, n)],
        "above_scale": rng.random(n) < 0.6,
        "employees": rng.integers(3, 3000, n).astype(float),
        "rd_staff": rng.integers(0, 300, n).astype(float),
        "revenue": revenue, "revenue_prev": revenue * rng.uniform(0.7, 1.2, n),
        "main_revenue": revenue * rng.uniform(0.4, 1.0, n),
        "main_revenue_prev": revenue * rng.uniform(0.5, 1.0, n),
        "main_revenue_prev2": revenue * rng.uniform(0.4, 1.0, n),
        "net_profit": revenue * rng.normal(0.05, 0.08, n),
        "total_assets": money(5000), "total_liabilities": money(2500),
        "tax_paid": money(150), "value_added": money(1000), "rd_expense": money(120), "rd_expense_prev": money(110),
        "land_area_mu": money(40), "energy_tce_equivalent": money(800), "electricity_mwh": money(2000),
        "pollutant_emissions_t": money(2, miss=0.3), "exports": money(200, miss=0.5),
        "equity_financing_2y": money(300, miss=0.5), "equity_financing_3y": money(400, miss=0.5),
        "ip_class1": rng.poisson(1.5, n), "ip_class1_self": rng.poisson(0.8, n),
        "ip_class1_high_value": rng.poisson(0.2, n), "ip_class2": rng.poisson(3, n),
        "strategic_emerging": rng.random(n) < 0.3,
        "years_in_niche": rng.uniform(0, 15, n), "niche_market_share": rng.uniform(0, 0.3, n),
        "digital_level": rng.integers(0, 5, n), "quality_items": rng.integers(0, 5, n),
        "rd_institution_level": np.array(["none", "below_city", "city", "provincial", "national"])[
            rng.integers(0, 5, n)],
        "credit_class": np.array(["A", "B", "C", "D"])[rng.integers(0, 4, n)],
        "honors": pl.Series(np.array(HONORS)[rng.integers(0, len(HONORS), n)]).str.split(";"),
        "tags": pl.Series(np.array(TAGS)[rng.integers(0, len(TAGS), n)]).str.split(";"),
    })


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=20_000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    df = synthetic(args.rows)
    print(f"合成数据 {args.rows:,} 行 × {df.width} 列：{time.perf_counter() - t0:.1f} s，峰值内存 {rss_mb():.0f} MB")
    print(f"polars {pl.__version__}，线程 {pl.thread_pool_size()}，CPU {os.cpu_count()}")

    total_fast, total_cpu, fast = 0.0, 0.0, {}
    for rid in PROGRAMMES:
        rs = select(rid)
        t, c = time.perf_counter(), time.process_time()
        out = evaluate(rs, df, ON)
        fast[rid] = time.perf_counter() - t
        total_fast += fast[rid]
        total_cpu += time.process_time() - c
        key = "eligible" if "eligible" in out.columns else ("class" if "class" in out.columns else "stage")
        dist = dict(out[key].value_counts().sort(key).rows())
        print(f"  {rid:32s} 向量化 {fast[rid]:6.2f} s   {key}: {dist}")
        del out
    print(f"三个项目合计（向量化）：墙钟 {total_fast:.2f} s（目标 < 15 s），CPU {total_cpu:.2f} s（两线程合计），"
          f"负载 {os.getloadavg()[0]:.1f}，峰值内存 {rss_mb():.0f} MB（目标 < 3 GB）")

    sample = df.sample(args.sample, seed=1)
    total_slow = 0.0
    for rid in PROGRAMMES:
        rs = select(rid)
        t = time.perf_counter()
        slow = evaluate(rs, sample, ON, backend="python")
        per_row = (time.perf_counter() - t) / args.sample
        check = evaluate(rs, sample, ON)
        for col in ("score", "eligible", "class"):
            if col in check.columns:
                a, b = check[col].to_list(), slow[col].to_list()
                same = all(x == y or (isinstance(x, float) and y is not None and abs(x - y) < 1e-6)
                           for x, y in zip(a, b, strict=True))
                assert same, f"{rid} {col}: 向量化与逐行结果不一致"
        est = per_row * args.rows
        total_slow += est
        print(f"  {rid:32s} 逐行 Python：样本 {args.sample:,} 行 {per_row * 1e6:6.1f} µs/行，外推 {args.rows:,} 行 "
              f"{est:7.1f} s，倍数 {est / fast[rid]:5.0f}×")
    print(f"逐行 Python 外推合计 {total_slow:.0f} s；向量化快 {total_slow / total_fast:.0f} 倍（目标 ≥ 50 倍）")
    print(f"进程峰值内存 {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
