"""Two imports of the same file at the same moment (two browser tabs, a double click, the CLI and the web):
the loser hit the USCC unique constraint (HTTP 500, a traceback in the CLI), because both read the stored
rows before either wrote. Now the second waits for the first and then finds every row unchanged.

Threads against the test database: on PostgreSQL (advisory lock per table) as is; on SQLite the test database
lives in memory, shared between threads by a cache that does not wait for locks, so the SQLite case runs in
two processes of the real CLI on a database file (BEGIN IMMEDIATE with the busy timeout, jingkai.settings)."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from jingkai.enterprises.models import Enterprise
from jingkai.intake import services
from jingkai.intake.tests.test_intake import enterprises_csv
from jingkai.zones.services import ensure_reference_data

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads share the test database on PostgreSQL only")
def test_two_threads_importing_the_same_file(tmp_path, monkeypatch):
    from jingkai.testing import make_zone

    ensure_reference_data()
    for code in ("GS-LZ", "GS-JC"):
        make_zone(code)
    path = enterprises_csv(tmp_path)
    load = services._load_existing

    def slow_load(plan, frame):  # both have read the stored rows before either writes, without the lock
        rows = load(plan, frame)
        time.sleep(0.5)
        return rows

    monkeypatch.setattr(services, "_load_existing", slow_load)
    start = threading.Barrier(2)
    results: list = []

    def run():
        try:
            start.wait(timeout=10)
            results.append(services.run_import("enterprises", path))
        except Exception as exc:  # the failure this test exists for
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(isinstance(r, services.ImportResult) and r.ok for r in results), results
    assert sorted((r.created, r.unchanged) for r in results) == [(0, 3), (3, 0)]
    assert Enterprise.objects.count() == 3


def _cli(var: Path, *args: str) -> subprocess.Popen:
    env = os.environ | {"JINGKAI_VAR_DIR": str(var), "PYTHONPATH": str(ROOT)}
    env.pop("JINGKAI_DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "jingkai.cli", *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite case; PostgreSQL: the threads above")
def test_two_cli_imports_of_the_same_file_on_sqlite(tmp_path, migrated_sqlite):
    from jingkai.testing import copy_sqlite

    var = copy_sqlite(migrated_sqlite, tmp_path / "var")  # the migrate below then finds nothing left to do
    assert _cli(var, "migrate", "-v0").wait(300) == 0
    path = enterprises_csv(tmp_path)
    seed = ("from jingkai.testing import make_zone; from jingkai.zones.services import ensure_reference_data; "
            "ensure_reference_data(); [make_zone(c) for c in ('GS-LZ', 'GS-JC')]; "
            "from jingkai.testing import make_user; make_user('cli-importer', 'province')")
    assert _cli(var, "shell", "-c", seed).wait(120) == 0
    runs = [_cli(var, "import", "enterprises", str(path), "--user", "cli-importer") for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert not any("Traceback" in err for _, err in outputs), outputs
    summaries = sorted(out.strip() for out, _ in outputs)
    assert summaries == ["企业名录导入成功：新增 0 / 更新 0 / 未变 3", "企业名录导入成功：新增 3 / 更新 0 / 未变 0"]


def test_two_uploads_of_the_same_file_are_kept_apart(db, settings, tmp_path, province_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    saved = [services.save_upload(SimpleUploadedFile("企业.csv", b"uscc,name\n"), user=province_user)
             for _ in range(2)]
    (first, a), (second, b) = saved
    assert first != second and a != b and a.read_bytes() == b.read_bytes() == b"uscc,name\n"
    assert first[:64] == second[:64]  # both named after the file's sha256
