"""Import benchmark: 100,000- and 1,000,000-row × 30-column enterprise-year CSVs into fresh SQLite databases.

    .venv/bin/python benchmarks/bench_import.py [--rows 100000 1000000]

Each size runs in its own process (its peak memory is its own) with its own temporary folder, removed at the end
(database and files: ~3 GB at 1M rows). Measures validate+import of the new file (all rows created; peak RSS
right after it), then in the same process the baseline writing the same rows: the imported fact rows deleted,
the same file read by polars, typed plainly and inserted into the same six fact tables by executemany in one
transaction (no validation, no comparison, no audit); then the same file imported again (all unchanged).
Targets (issues 2, 16): under 20 s for 100,000 rows; 1M rows with peak memory under 1.5 GB. Prints wall and
CPU time of each phase and the load average (the machine is shared: wall times vary with it). Asserts nothing.
"""

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = [  # 30 columns: the key pair and 28 facts
    "uscc", "year", "revenue", "main_revenue", "main_revenue_prev", "main_revenue_prev2", "net_profit",
    "total_assets", "total_liabilities", "tax_paid", "value_added", "rd_expense", "rd_expense_prev",
    "employees", "rd_staff", "land_area_mu", "floor_area_m2", "energy_tce", "electricity_mwh",
    "pollutant_emissions_t", "exports", "ip_class1", "ip_class2", "strategic_emerging", "years_in_niche",
    "niche_market_share", "digital_level", "rd_institution_level", "quality_items", "honors",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--one", action="store_true", help="one size in this process (what each size runs as)")
    args = parser.parse_args()
    if not args.one:
        for n in args.rows:
            subprocess.run([sys.executable, __file__, "--one", "--rows", str(n)], check=True)
        return
    tmp = Path(tempfile.mkdtemp(prefix="jk-bench-import-"))
    try:
        run(args.rows[0], tmp)
    finally:  # the database and files are ~300 MB per 100,000 rows: never left behind
        from django.db import connections

        connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"temporary folder removed: {not tmp.exists()}")


def write_files(n_rows: int, tmp: Path, zones, years=(2021, 2022, 2023, 2024)) -> tuple[Path, Path]:
    """An enterprises CSV and an enterprise-years CSV of `n_rows` rows (n_rows / len(years) enterprises)."""
    from jingkai.enterprises.uscc import ALPHABET, make_uscc

    rng = random.Random(2024)
    n_ent = n_rows // len(years)
    ent_csv, year_csv = tmp / "enterprises.csv", tmp / "enterprise_years.csv"
    usccs = []
    with ent_csv.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["uscc", "name", "zone_code", "industry_code", "size_class", "above_scale"])
        for i in range(n_ent):
            zone = zones[i % len(zones)]
            body = "".join(ALPHABET[(i // 31 ** k) % 31] for k in range(5))
            uscc = make_uscc(zone.division_code, "MA0" + body)
            usccs.append(uscc)
            w.writerow([uscc, f"演示企业{i:06d}有限公司", zone.code, rng.choice(["C3841", "C3213", "C2614"]),
                        rng.choice(["large", "medium", "small", "micro"]), rng.choice(["是", "否"])])
    with year_csv.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for uscc in usccs:
            for year in years:
                rev = round(rng.uniform(100, 500_000), 2)
                w.writerow([
                    uscc, year, rev, round(rev * 0.9, 2), round(rev * 0.8, 2), round(rev * 0.7, 2),
                    round(rev * rng.uniform(-0.05, 0.15), 2), round(rev * 1.5, 2), round(rev * 0.6, 2),
                    round(rev * 0.04, 2), round(rev * 0.25, 2), round(rev * 0.03, 2), round(rev * 0.025, 2),
                    rng.randint(10, 5000), rng.randint(0, 300), round(rng.uniform(5, 500), 1),
                    round(rng.uniform(500, 90_000), 1), round(rng.uniform(10, 90_000), 1),
                    round(rng.uniform(10, 50_000), 1), round(rng.uniform(0, 200), 2), round(rev * 0.1, 2),
                    rng.randint(0, 40), rng.randint(0, 80), rng.choice(["是", "否", ""]), rng.randint(0, 20),
                    round(rng.uniform(0, 0.6), 3), rng.randint(0, 4),
                    rng.choice(["none", "city", "provincial", "national"]), rng.randint(0, 4),
                    rng.choice(["", "high_tech_enterprise", "high_tech_enterprise;ip_advantage"]),
                ])
    return ent_csv, year_csv


def plain_write(year_csv: Path) -> None:
    """The baseline: the file's rows typed by polars and inserted into the fact tables as they are."""
    import polars as pl
    from django.db import transaction

    from jingkai.bulk import insert_rows
    from jingkai.enterprises.models import YEAR_TABLES, Enterprise

    ids = pl.DataFrame(list(Enterprise.objects.values_list("uscc", "id")), schema=["uscc", "enterprise_id"],
                       orient="row")
    df = pl.read_csv(year_csv, infer_schema_length=0).join(ids, on="uscc")
    yes = pl.col("strategic_emerging").replace_strict({"是": True, "否": False, "": None}, default=None,
                                                      return_dtype=pl.Boolean)
    honors = pl.col("honors").fill_null("").str.split(";").list.eval(pl.element().filter(pl.element() != ""))
    df = df.with_columns(yes, pl.struct(honors.alias("h")).struct.json_encode().str.slice(5).str.strip_suffix("}")
                         .alias("honors"), pl.col("rd_institution_level").fill_null(""))
    with transaction.atomic():
        for table in YEAR_TABLES:
            fields = [f for f in table.fact_fields() if f.name in df.columns]
            cols = ["enterprise_id", "year", *[f.name for f in fields]]
            typed = df.select(pl.col("enterprise_id"), pl.col("year").cast(pl.Int64), *[
                pl.col(f.name) if f.name in ("honors", "rd_institution_level", "strategic_emerging") else
                pl.col(f.name).cast(pl.Int64 if "Integer" in f.get_internal_type() else pl.Float64) for f in fields])
            missing = [f for f in table.fact_fields() if f.name not in df.columns and not f.null]
            insert_rows(table._meta.db_table, [*cols, *[f.column for f in missing]],
                        (r + tuple(f.get_default() for f in missing) for r in typed.iter_rows()))


def run(n_rows: int, tmp: Path) -> None:
    os.environ["JINGKAI_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("JINGKAI_VAR_DIR", str(tmp / "var"))
    os.environ.setdefault("JINGKAI_IMPORT_MAX_MB", "1024")  # the 1M-row CSV is ~215 MB (the default limit 100 MB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from jingkai.enterprises.models import YEAR_TABLES
    from jingkai.intake.services import run_import
    from jingkai.testing import make_zone

    call_command("migrate", verbosity=0)
    zones = [make_zone(code) for code in ("GS-LZ", "GS-JC", "GS-TS", "GS-ZY")]
    ent_csv, year_csv = write_files(n_rows, tmp, zones)
    n_ent = n_rows // 4
    size_mb = year_csv.stat().st_size / 1e6

    def timed(kind, path):
        t, c = time.perf_counter(), time.process_time()
        result = run_import(kind, path)
        assert result.ok, result.errors[:5]
        return result, time.perf_counter() - t, time.process_time() - c

    ent, t_ent, c_ent = timed("enterprises", ent_csv)
    first, t_first, c_first = timed("enterprise-years", year_csv)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = YEAR_TABLES[0].objects.count()  # every row of the file is in every fact table
    for table in YEAR_TABLES:
        table.objects.all().delete()
    t, c = time.perf_counter(), time.process_time()
    plain_write(year_csv)
    t_plain, c_plain = time.perf_counter() - t, time.process_time() - c
    assert all(table.objects.count() == rows for table in YEAR_TABLES)
    again, t_again, c_again = timed("enterprise-years", year_csv)

    print(f"data: {n_ent:,} enterprises; {rows:,} enterprise-year rows × {len(COLUMNS)} columns ({size_mb:.1f} MB CSV)")
    print(f"enterprises import ({n_ent:,} rows, created):        {t_ent:6.2f} s  (CPU {c_ent:.2f} s)")
    print(f"enterprise-years validate+import (created):      {t_first:6.2f} s  (CPU {c_first:.2f} s)  {first.summary()}")
    print(f"peak memory of the process after the import:     {peak_mb:6.0f} MB (target < 1500 MB at 1,000,000 rows)")
    print(f"baseline: the same rows written plainly:         {t_plain:6.2f} s  (CPU {c_plain:.2f} s)  "
          f"polars read + executemany into the {len(YEAR_TABLES)} tables, one transaction")
    print(f"ratio import / plain write of the same rows:     {t_first / t_plain:6.2f} (CPU {c_first / c_plain:.2f})")
    print(f"the same file again (all unchanged):             {t_again:6.2f} s  (CPU {c_again:.2f} s)  {again.summary()}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other processes slow the wall times)")
    target = (f"target < 20 s for 100,000 rows: {'met' if t_first < 20 else 'NOT met'}" if n_rows == 100_000 else
              f"target peak < 1500 MB: {'met' if peak_mb < 1500 else 'NOT met'}" if n_rows == 1_000_000 else "")
    print(f"throughput: {first.created / t_first:,.0f} rows/s; {target}")


if __name__ == "__main__":
    main()
