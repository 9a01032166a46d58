"""Runs every benchmark script in this folder, one after the other, prints what each reports and writes it all
to benchmarks/results.md (the README links it: figures are never copied by hand)."""

import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

here = Path(__file__).resolve().parent
failed = []
sections = []
for script in sorted(here.glob("bench_*.py")):
    print(f"\n=== {script.name} ===", flush=True)
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(script)], cwd=here.parent, capture_output=True, text=True)
    print(done.stdout, end="")
    print(done.stderr, end="", file=sys.stderr)
    took = time.monotonic() - started
    state = "ok" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
    if done.returncode != 0:
        failed.append(script.name)
    sections.append(f"## {script.name}\n\n{state}, {took:.0f} s wall\n\n```\n{done.stdout.strip()}\n```\n")
load = os.getloadavg()
header = (f"# Benchmark results\n\nWritten by `make bench` ({Path(__file__).name}) on "
          f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {platform.platform()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}. "
          "Each script measures its path and a baseline doing the same work in the same run; other processes "
          "on the machine slow the wall times.\n\n")
(here / "results.md").write_text(header + "\n".join(sections), encoding="utf-8")
print(f"\n结果已写入 {here / 'results.md'}")
if failed:
    sys.exit(f"失败的基准测试：{', '.join(failed)}")
