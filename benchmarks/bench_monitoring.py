"""Benchmark of the monitoring engine (issue 6): derived figures and data-quality rules.

    .venv/bin/python benchmarks/bench_monitoring.py [--zones 232] [--months 36]

Synthetic data (seeded): `--zones` zones × the 10 cumulative money flows × `--months` months of
cumulative values (from January 2022), 1% of cells missing. Figures printed (median of `--repeat` runs):
1. derive (当月值, 累计/当月同比, 比重, 排名) with polars, against a plain-Python dictionary loop that
   computes only 当月值 and the two growth rates, measured in the same process;
2. check (logical, cumulative, statistical rules with leave-one-out robust z-scores).
Timings on a shared 2-core machine are noisy; the script prints what it measured.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jingkai.engines.monitoring import canonical, check, default_flows, derive


def synthetic(zones: int, months: int, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    flows = sorted(default_flows())
    z, p, i, v = [], [], [], []
    for k in range(zones):
        for ind in flows:
            level, growth = rng.lognormal(8, 1), rng.normal(0.06, 0.08)
            for t in range(months):
                year, month = 2022 + t // 12, t % 12 + 1
                cum = level * month * (1 + growth) ** (year - 2022) * rng.uniform(0.98, 1.02)
                z.append(f"Z{k:03d}"), p.append(f"{year}-{month:02d}"), i.append(ind), v.append(cum)
    wide = pl.DataFrame({"zone_code": z, "period": p, "indicator": i, "value": v}).pivot(
        "indicator", index=["zone_code", "period"], values="value")
    wide = wide.with_columns((pl.col("exports") + pl.col("imports")).alias("trade_total"),  # consistent figures
                             (pl.col("industrial_output") * 0.3).alias("industrial_value_added"))
    long = wide.unpivot(index=["zone_code", "period"], variable_name="indicator")
    drop = pl.Series(rng.random(long.height) < 0.01)
    return long.with_columns(pl.when(drop).then(None).otherwise(pl.col("value")).alias("value"))


def baseline(rows: list[dict]) -> dict:
    """当月值, 累计同比, 当月同比 by dictionary look-ups, one row at a time."""
    values = {(r["zone_code"], r["indicator"], r["year"], r["seq"]): r["value"] for r in rows}
    month = {}
    for (zone, ind, year, m), v in values.items():
        prev = values.get((zone, ind, year, m - 1)) if m > 1 else 0.0
        month[zone, ind, year, m] = None if v is None or prev is None else v - prev
    out = {}
    for key, v in values.items():
        zone, ind, year, m = key
        base, base_m = values.get((zone, ind, year - 1, m)), month.get((zone, ind, year - 1, m))
        yoy = v / base - 1 if v is not None and base else None
        yoy_m = month[key] / base_m - 1 if month[key] is not None and base_m and base_m > 0 else None
        out[key] = (month[key], yoy, yoy_m)
    return out


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zones", type=int, default=232)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = synthetic(args.zones, args.months)
    print(f"数据：{args.zones} 个园区 × 10 个累计指标 × {args.months} 个月 = {data.height:,} 行")
    derive(data)  # warm-up (catalogue, polars)
    t_derive = timed(lambda: derive(data), args.repeat)
    rows = canonical(data).to_dicts()
    t_base = timed(lambda: baseline(rows), args.repeat)
    print(f"derive（polars，含比重、排名）：{t_derive * 1000:.0f} ms")
    print(f"基线（纯 Python 字典循环，仅当月值和两个同比）：{t_base * 1000:.0f} ms；比值 基线/derive = {t_base / t_derive:.1f}")
    t_check = timed(lambda: check(data), max(1, args.repeat // 2))
    found = check(data)
    print(f"check（逻辑、累计、统计规则）：{t_check * 1000:.0f} ms，发现 {found.height} 条（"
          + "，".join(f"{k} {v}" for k, v in found.group_by("rule").len().sort("rule").iter_rows()) + "）")


if __name__ == "__main__":
    main()
