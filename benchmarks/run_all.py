"""Runs every benchmark script in this folder, one after the other, and prints what each reports."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
failed = []
for script in sorted(here.glob("bench_*.py")):
    print(f"\n=== {script.name} ===", flush=True)
    if subprocess.run([sys.executable, str(script)], cwd=here.parent).returncode != 0:
        failed.append(script.name)
if failed:
    sys.exit(f"失败的基准测试：{', '.join(failed)}")
