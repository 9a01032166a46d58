"""Rule engine speed, three parts, each against a baseline doing the same work in the same run.

    .venv/bin/python benchmarks/bench_rules.py [--rows 1000000] [--sample 20000] [--small 10000] [--db-rows 20000]

1. The engine: three programmes over 1,000,000 synthetic enterprise-year rows (polars, POLARS_MAX_THREADS=2),
   against the plain-Python row-by-row backend on a random sample, extrapolated linearly.
2. The whole command `jingkai assess --program sme-innovative-2022 --format csv --data FILE --out FILE`
   (a process: reading the CSV, evaluating, the explanations, writing the CSV) on --small and --rows rows:
   the 1M-row command within 15× the 10k-row one; baseline a straightforward polars implementation of the
   same file to file path in this process (read, evaluate, the per-criterion points or pass/fail columns
   selected, written), without the gap texts.
3. A programme run's input from the database (SQLite, --db-rows enterprise-years): the loader
   (`load_enterprise_years`, tags included) against a raw fetch of the same columns (the loader's own SQL,
   cursor.fetchall, no tags, nothing typed); the rules' time beside it.
Temporary files and the database are removed. Peak memory is the process's maximum RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
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
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--db-rows", type=int, default=20_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="jk-bench-rules-"))
    try:
        engine(args)
        command(args, tmp)
        database(args, tmp)
    finally:  # the CSV files are ~0.5 GB at 1M rows: never left behind
        shutil.rmtree(tmp, ignore_errors=True)


def engine(args):
    print("1. 规则引擎（向量化 polars 与逐行 Python）")
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


CLI_PROGRAMME = "sme-innovative-2022"


def as_csv(df: pl.DataFrame, path: Path) -> None:
    df.fill_nan(None).with_columns(pl.col("honors").list.join(";"), pl.col("tags").list.join(";")).write_csv(path)


def straightforward(data: Path, out: Path) -> int:
    """The baseline: the same file to file path written plainly with polars: read, evaluate, per criterion the
    points or else pass/fail, written (no gap texts)."""
    from jingkai.engines.rules import Explainer

    rs = select(CLI_PROGRAMME, ON)
    table = evaluate(rs, pl.read_csv(data, infer_schema_length=0), ON)
    cols = [pl.col(c) for c in ("uscc", "year", "eligible", "score") if c in table.columns]
    for n in Explainer(rs).nodes:
        pt, ok = f"pt:{n.code}", f"ok:{n.code}"
        cols.append((pl.col(pt) if pt in table.columns else pl.col(ok) if ok in table.columns else pl.lit(None)).alias(n.code))
    table.select(cols).write_csv(out)
    return table.height


def command(args, tmp: Path):
    print(f"\n2. 整条命令 jingkai assess --program {CLI_PROGRAMME} --format csv（读文件、评价、解释、写文件）")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
           "JINGKAI_DATABASE_URL": f"sqlite:///{tmp / 'cli.sqlite3'}"}
    times = {}
    for n in (args.small, args.rows):
        data, out = tmp / f"data-{n}.csv", tmp / f"out-{n}.csv"
        as_csv(synthetic(n, seed=7), data)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "jingkai.cli", "assess", "--program", CLI_PROGRAMME, "--format", "csv",
                        "--date", ON.isoformat(), "--data", str(data), "--out", str(out)], env=env, check=True,
                       stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        t, c = time.perf_counter(), time.process_time()
        straightforward(data, tmp / "baseline.csv")
        base_wall, base_cpu = time.perf_counter() - t, time.process_time() - c
        times[n] = (wall, cpu)
        print(f"  {n:>9,} 行：命令 墙钟 {wall:6.2f} s，CPU {cpu:6.2f} s，子进程峰值内存 {after.ru_maxrss / 1024:.0f} MB；"
              f"基线（polars 直写，无差距文字）墙钟 {base_wall:6.2f} s，CPU {base_cpu:6.2f} s；"
              f"命令 / 基线 墙钟 {wall / base_wall:.1f}×，CPU {cpu / base_cpu:.1f}×")
        data.unlink()
        out.unlink()
    (w1, c1), (w2, c2) = times[args.small], times[args.rows]
    print(f"  {args.rows:,} 行 / {args.small:,} 行：墙钟 {w2 / w1:.1f}×，CPU {c2 / c1:.1f}×（目标 ≤ 15×），"
          f"负载 {os.getloadavg()[0]:.1f}")


def database(args, tmp: Path):
    print(f"\n3. 从数据库评价（SQLite，{args.db_rows:,} 条企业年度数据）：加载器与原始查询")
    os.environ["JINGKAI_DATABASE_URL"] = f"sqlite:///{tmp / 'db.sqlite3'}"
    os.environ.setdefault("JINGKAI_VAR_DIR", str(tmp / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai.settings")
    import django

    django.setup()
    from bench_import import write_files
    from django.core.management import call_command
    from django.db import connection

    from jingkai.accounts.scope import PROVINCE
    from jingkai.engines.rules import input_keys
    from jingkai.enterprises.models import YEAR_TABLES, tables_holding
    from jingkai.enterprises.selectors import YearRows
    from jingkai.intake.services import run_import
    from jingkai.programmes.loaders import ENTERPRISE_KEYS, load_enterprise_years
    from jingkai.testing import make_zone

    call_command("migrate", verbosity=0)
    zones = [make_zone(code) for code in ("GS-LZ", "GS-JC", "GS-TS", "GS-ZY")]
    ent_csv, year_csv = write_files(args.db_rows, tmp, zones, years=(2024,))
    assert run_import("enterprises", ent_csv).ok and run_import("enterprise-years", year_csv).ok
    rs = select(CLI_PROGRAMME, ON)
    keys = input_keys(rs, ON)

    def raw() -> list[tuple]:
        found = YearRows(PROVINCE, tables_holding(keys) or YEAR_TABLES, fields=sorted(keys),
                         enterprise_fields=[*ENTERPRISE_KEYS[1:], "zone_code", "enterprise_id"], year=2024,
                         order_by_id=True)
        query = found.query()
        assert query is not None
        sql, params, _, _ = query
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def best(fn, repeat=5):
        out, times = None, []
        for _ in range(repeat):
            t = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t)
        return out, min(times)
    frame, t_load = best(lambda: load_enterprise_years(2024, keys=keys))
    plain, t_raw = best(raw)
    _, t_rules = best(lambda: evaluate(rs, frame, ON))
    print(f"  加载器 load_enterprise_years：{t_load:.3f} s（{frame.height:,} 行 × {frame.width} 列，含标签查询）")
    print(f"  基线：同一 SQL 的原始查询 fetchall：{t_raw:.3f} s（{len(plain):,} 行 × {len(plain[0])} 列，不含标签）")
    print(f"  加载器 / 原始查询：{t_load / t_raw:.2f}×（目标 ≤ 2×）")
    print(f"  规则评价 {t_rules:.3f} s；从数据库评价合计 {t_load + t_rules:.3f} s，其中加载占 {t_load / (t_load + t_rules):.0%}")
    connection.close()


if __name__ == "__main__":
    main()
