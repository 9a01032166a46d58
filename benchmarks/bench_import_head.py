"""The heading check of an import reads the first rows only: peak memory and time on a large .xlsx.

    .venv/bin/python benchmarks/bench_import_head.py [--rows 300000]

Fast path: `jingkai.intake.xlsx.head_rows` (the sheet's XML streamed, stopping after the heading rows; shared
strings read only as far as the highest one those rows use), as `services._header_errors` does before anything
else is read. Baseline, in the same run: fastexcel's `load_sheet(..., n_rows=8)`, what the check used before
(fastexcel loads the whole sheet even for n_rows). Also timed: the scan for formula cells without a cached value
(`uncalculated_formulas`, run on every .xlsx whose headings pass) against fastexcel's full read of the same sheet.
Each measurement runs in a fresh process, so that peak RSS is its own.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parents[1]
MEASURE = """
import resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
path, what = Path(sys.argv[1]), sys.argv[2]
t = time.perf_counter()
if what == "stream-head":
    from jingkai.intake import xlsx
    rows = len(xlsx.head_rows(path, "数据", 8))
elif what == "fastexcel-head":
    import fastexcel
    rows = fastexcel.read_excel(str(path)).load_sheet("数据", header_row=None, dtypes="string", n_rows=8).to_polars().height
elif what == "formula-scan":
    from jingkai.intake import xlsx
    rows = len(xlsx.uncalculated_formulas(path, "数据"))
else:
    import fastexcel
    rows = fastexcel.read_excel(str(path)).load_sheet("数据", header_row=None, dtypes="string").to_polars().height
print(rows, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def measure(path: Path, what: str) -> tuple[int, float, int]:
    out = subprocess.run([sys.executable, "-c", MEASURE.format(root=str(ROOT)), str(path), what],
                         check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]), float(out[1]), int(out[2])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "大.xlsx"
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        ws = book.add_worksheet("数据")
        ws.write_row(0, 0, [f"列{i}" for i in range(10)])
        for r in range(1, args.rows + 1):
            ws.write_row(r, 0, [f"文字{r}-{i}" for i in range(10)])
        book.close()
        print(f"{args.rows:,} 行 × 10 列，文件 {path.stat().st_size / 2**20:.1f} MB")
        results = {what: measure(path, what) for what in ("stream-head", "fastexcel-head", "formula-scan", "fastexcel-all")}
    for what, (rows, seconds, rss) in results.items():
        print(f"{what:15s} 行数 {rows:>8,}  {seconds:6.2f} s  峰值内存 {rss:5d} MB")
    head, base = results["stream-head"], results["fastexcel-head"]
    print(f"表头检查：内存 {base[2] / head[2]:.1f} 倍更少，时间 {base[1] / max(head[1], 1e-6):.0f} 倍更快；"
          f"公式扫描占完整读取的 {results['formula-scan'][1] / results['fastexcel-all'][1]:.0%}")


if __name__ == "__main__":
    main()
