"""Every output Jingkai hands out (issue 11's closing note): its size on the demo data and the time to produce it.

    jingkai demo --no-serve            # builds the demo database first (README)
    .venv/bin/python benchmarks/bench_outputs.py [--out DIR] [--figures FILE.md]

For each output of `jingkai/tests/outputs.py`, produced as `demo-admin` (web) or by the command: the time to
produce it (best of two), its pages as LibreOffice prints it (Word, and Excel files up to PRINT_ROWS rows,
converted to PDF), and for Excel its sheets and rows. Baseline, measured in the same run: LibreOffice's conversion of the same file to PDF
(what a reader's office suite spends opening and printing it). Figures go to stdout and `--figures`.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai.settings")
# every document written in the request, as the job worker writes it (large lists and exports go to a job on the site)
os.environ["JINGKAI_LIST_INLINE_ROWS"] = os.environ["JINGKAI_EXPORT_INLINE_ROWS"] = "10000000"

import django

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from jingkai import pdfcheck  # noqa: E402
from jingkai.accounts.models import User  # noqa: E402
from jingkai.tests.outputs import OUTPUTS  # noqa: E402

PRINT_ROWS = 2000  # Excel files up to this many rows are converted to PDF to count their printed pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, help="keep the produced files and PDFs here")
    parser.add_argument("--figures", type=Path, help="write the table (Markdown) here")
    args = parser.parse_args()
    if "accounts_user" not in connection.introspection.table_names() or \
            not User.objects.filter(username="demo-admin").exists():
        print("未运行：没有演示数据库，请先执行 jingkai demo --no-serve")
        return
    setup_test_environment()  # the test client's host
    # large exports go to the job worker on the site; here each is written in this process, as the job does
    settings.EXPORT_INLINE_ROWS = 10**9
    client = Client()
    client.force_login(User.objects.get(username="demo-admin"))
    out = args.out or Path(tempfile.mkdtemp(prefix="jingkai-outputs-"))
    out.mkdir(parents=True, exist_ok=True)
    lines = ["| 输出 | 文件 | 页数（LibreOffice 打印） | 工作表 / 数据行 | 生成用时 | 基线：LibreOffice 转 PDF |",
             "|---|---|---|---|---|---|"]
    for n, o in enumerate(OUTPUTS, start=1):
        times, blob = [], b""
        for _ in range(2):
            start = time.perf_counter()
            blob = o.make(client, out)
            times.append(time.perf_counter() - start)
        size, rows = "", 0
        if o.suffix == ".xlsx":
            wb = openpyxl.load_workbook(io.BytesIO(blob), read_only=True)
            rows = sum(ws.max_row for ws in wb.worksheets)
            size = "；".join(f"{ws.title} {ws.max_row}行" for ws in wb.worksheets)
        pages, render = "—", "—（不转换）"
        if rows <= PRINT_ROWS:  # a long export is read on screen, not printed (and converting it takes minutes)
            start = time.perf_counter()
            pages = str(len(pdfcheck.read(pdfcheck.render(blob, o.suffix, out, f"{n:02d}"))))
            render = f"{time.perf_counter() - start:.2f} s"
        line = (f"| {o.name} | {o.suffix[1:]}，{len(blob) / 1024:.0f} KB | {pages} | {size or '—'} | "
                f"{min(times):.2f} s | {render} |")
        print(line, flush=True)
        lines.append(line)
    if args.figures:
        args.figures.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"文件与 PDF：{out}")


if __name__ == "__main__":
    main()
