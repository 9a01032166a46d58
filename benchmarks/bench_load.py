"""Load: requests per second of `jingkai serve` with 1 gunicorn worker process and with 2, measured in one run
on the same demo database (SQLite, 2,000 enterprises), the same pages and the same number of clients.

    .venv/bin/python benchmarks/bench_load.py [--clients 20] [--seconds 20]

Each client is a thread that signs in as its own demo account (province, zones, departments) and then requests
the home page, the zone list, the enterprise list and the 督办 task list in turn, as fast as the server answers.
The clients run in this process, on the same 2 cores as the server: the figures are what one machine serves
while also generating the load, so the ratio (2 workers / 1 worker) is what to read, not the absolute rate.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["/", "/zones/", "/enterprises/", "/measures/tasks/"]
USERS = ["demo-admin", "demo-gs-lz", "demo-gs-jc", "demo-gs-ts", "demo-gs-zy", "demo-dept-gxt"]
PASSWORD = "pw-bench-1234"


def build(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "jingkai.cli", "demo", "--no-serve", "--enterprises", "2000",
                    "--password", PASSWORD, "-v0"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def login(base: str, username: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    opener.open(urllib.request.Request(f"{base}/login/", data.encode(), headers={"Referer": f"{base}/login/"}))
    return opener


def measure(env: dict[str, str], workers: int, clients: int, seconds: float) -> tuple[float, float, int]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "jingkai.cli", "serve", "--port", str(port), "--workers",
                               str(workers)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        openers = [login(base, USERS[i % len(USERS)]) for i in range(clients)]
        for opener in openers:  # warm every worker's caches before the clock starts
            for page in PAGES:
                opener.open(base + page).read()
        latencies: list[float] = []
        errors = [0]
        stop = time.monotonic() + seconds

        def client(opener: urllib.request.OpenerDirector, offset: int) -> None:
            i = offset
            while time.monotonic() < stop:
                started = time.monotonic()
                try:
                    opener.open(base + PAGES[i % len(PAGES)], timeout=30).read()
                    latencies.append(time.monotonic() - started)
                except OSError:
                    errors[0] += 1
                i += 1

        threads = [threading.Thread(target=client, args=(o, n)) for n, o in enumerate(openers)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.monotonic() - began
        p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 20 else float("nan")
        return len(latencies) / took, p95, errors[0]
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="jk-load-"))
    env = {k: v for k, v in os.environ.items() if k != "JINGKAI_DATABASE_URL"} | {
        "JINGKAI_VAR_DIR": str(tmp), "PYTHONPATH": str(ROOT)}
    try:
        build(env)
        one = measure(env, 1, args.clients, args.seconds)
        two = measure(env, 2, args.clients, args.seconds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for label, (rate, p95, errors) in (("1 worker (baseline)", one), ("2 workers", two)):
        print(f"{label:>20}: {rate:6.1f} requests/s, p95 {p95:.2f} s, {errors} errors "
              f"({args.clients} clients, {args.seconds:.0f} s)")
    print(f"ratio 2 workers / 1 worker: {two[0] / one[0]:.2f} (target ≥ 1.7); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
