"""`jingkai serve` for real: gunicorn with two worker processes and the job worker beside it, in a subprocess on
a database of its own (SQLite in a temporary directory), answering /healthz."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _children(pid: int) -> list[str]:
    """Command lines of the process tree below `pid`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            if int(stat[1]) == pid:
                found.append((proc / "cmdline").read_text().replace("\0", " "))
                found += _children(int(proc.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


@pytest.fixture
def own_site(tmp_path, migrated_sqlite):
    from jingkai.testing import copy_sqlite

    copy_sqlite(migrated_sqlite, tmp_path)  # the migrate below then finds nothing left to do
    env = {k: v for k, v in os.environ.items() if k != "JINGKAI_DATABASE_URL"} | {
        "JINGKAI_VAR_DIR": str(tmp_path), "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    subprocess.run([sys.executable, "-m", "jingkai.cli", "migrate", "-v0"], env=env, check=True, timeout=600)
    return env


def test_gunicorn_serves_with_two_processes_and_the_job_worker(own_site):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "jingkai.cli", "serve", "--port", str(port), "--workers", "2",
                               "--with-worker"], env=own_site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        deadline, status, body = time.monotonic() + 120, 0, ""
        while time.monotonic() < deadline:
            status, body = (_get(f"http://127.0.0.1:{port}/healthz") if _port_open(port) else (0, ""))
            if status == 200:
                break
            time.sleep(0.5)
        assert status == 200, body  # database, migrations and a fresh worker heartbeat
        assert json.loads(body)["checks"]["worker"]["ok"] is True
        tree = _children(server.pid)
        assert sum("gunicorn" in c or "jingkai" in c for c in tree) >= 3, tree  # two web workers + the job worker
        assert any(c.endswith("jingkai.cli worker ") for c in tree), tree
        login, page = _get(f"http://127.0.0.1:{port}/login/")
        assert login == 200 and "登录" in page
    finally:
        os.killpg(server.pid, signal.SIGINT)
        out = server.communicate(timeout=60)[0].decode()
    assert "gunicorn，2 个进程" in out and "后台任务进程已随网站启动" in out


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
