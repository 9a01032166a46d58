"""Backup and restore for real: pg_dump/pg_restore on PostgreSQL, SQLite's online backup API on SQLite; the
restored copy, in a fresh database, has the same row counts and the same audit log, and the media files."""

import sqlite3
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jingkai.audit.services import record
from jingkai.enterprises.models import Enterprise
from jingkai.ops.backup import read_manifest, restore, row_counts
from jingkai.testing import make_user

# Committed rows (pg_dump reads from another session); the data migrations' rows are restored afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
AUDIT = "SELECT id, action, model, object_key, note FROM audit_auditentry ORDER BY id"


@pytest.fixture
def state(zones, settings, tmp_path):
    """Some rows, an audit log and a media file, committed (pg_dump reads another session's view)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "measures").mkdir(parents=True)
    (settings.MEDIA_ROOT / "measures" / "佐证材料.pdf").write_bytes(b"%PDF-1.4 demo")
    Enterprise.objects.create(uscc="91620100MA71234567", name="兰州示例化工有限公司", zone=zones["GS-LZ"])
    record(make_user("backup-clerk"), "测试写入", "enterprises.Enterprise", "91620100MA71234567", after={"名称": "兰州示例化工有限公司"})
    with connection.cursor() as cursor:
        cursor.execute(AUDIT)
        audit = cursor.fetchall()
    return {"rows": row_counts(), "audit": audit}


def _backup(tmp_path) -> Path:
    out = tmp_path / "backup.tar.gz"
    call_command("backup", out=str(out))
    return out


@pytest.mark.skipif("sqlite" not in connection.vendor, reason="SQLite's online backup (PostgreSQL: the test below)")
def test_sqlite_backup_restores_into_a_fresh_database(state, tmp_path):
    archive = _backup(tmp_path)
    assert read_manifest(archive)["rows"] == state["rows"]
    target = tmp_path / "restored.sqlite3"
    restore(archive, {"ENGINE": "django.db.backends.sqlite3", "NAME": str(target)}, media_root=tmp_path / "m2")
    copy = sqlite3.connect(target)
    try:
        assert row_counts(copy) == state["rows"]
        assert [tuple(r) for r in copy.execute(AUDIT).fetchall()] == [tuple(r) for r in state["audit"]]
    finally:
        copy.close()
    assert (tmp_path / "m2" / "measures" / "佐证材料.pdf").read_bytes() == b"%PDF-1.4 demo"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump/pg_restore (SQLite: the test above)")
def test_postgresql_backup_restores_into_a_fresh_database(state, tmp_path):
    import psycopg

    archive = _backup(tmp_path)
    db = dict(connection.settings_dict) | {"NAME": f"jingkai_restore_{uuid.uuid4().hex[:8]}"}
    admin = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                            dbname="postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
    try:
        restore(archive, db, media_root=tmp_path / "m2")
        with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                             dbname=db["NAME"]) as copy:
            assert row_counts(copy) == state["rows"]
            assert copy.execute(AUDIT).fetchall() == [tuple(r) for r in state["audit"]]
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        admin.close()
    assert (tmp_path / "m2" / "measures" / "佐证材料.pdf").read_bytes() == b"%PDF-1.4 demo"


def test_restore_refuses_another_engine_and_needs_confirmation(state, tmp_path):
    archive = _backup(tmp_path)
    other = ({"ENGINE": "django.db.backends.postgresql", "NAME": "x"} if connection.vendor == "sqlite"
             else {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x.sqlite3")})
    with pytest.raises(ValueError, match="不能恢复到"):
        restore(archive, other)
    with pytest.raises(CommandError, match="加 --yes"):
        call_command("restore", str(archive))
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "none.tar.gz"), yes=True)
