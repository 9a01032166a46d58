"""`jingkai backup` / `jingkai restore`: the whole service state in one archive — the database (pg_dump's custom
format on PostgreSQL, SQLite's online backup API on SQLite, both consistent while the service runs) and the
media files (attachments, import files, job results) — with a manifest of row counts to check a restore by.

The archive is a tar.gz: manifest.json, database.pgdump or database.sqlite3, media/…"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from jingkai import media

FORMAT = 1


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def row_counts(conn: Any = None) -> dict[str, int]:
    """Rows per table of Django's database, or of another open DB-API connection to a restored copy."""
    if conn is None:
        with connection.cursor() as cursor:
            return {t: _count(cursor, connection.ops.quote_name(t)) for t in _tables()}
    cursor = conn.cursor()
    return {t: _count(cursor, f'"{t}"') for t in _tables()}


def _count(cursor: Any, quoted: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {quoted}")
    return int(cursor.fetchone()[0])


def _pg_env(db: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432), "-U", str(db["USER"])]
    env = os.environ | ({"PGPASSWORD": str(db["PASSWORD"])} if db.get("PASSWORD") else {})
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} 执行失败：{done.stderr.strip()[:500]}")


def backup(out: Path) -> dict[str, Any]:
    """Write the archive; return its manifest."""
    db = connection.settings_dict
    with tempfile.TemporaryDirectory(prefix="jingkai-backup-") as tmp:
        work = Path(tmp)
        if connection.vendor == "postgresql":
            dump = work / "database.pgdump"
            args, env = _pg_env(db)
            _run(["pg_dump", *args, "-Fc", "--no-owner", "-f", str(dump), str(db["NAME"])], env)
        elif connection.vendor == "sqlite":
            dump = work / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                connection.connection.backup(target)  # consistent while others write
            finally:
                target.close()
        else:
            raise RuntimeError(f"不支持备份 {connection.vendor} 数据库")
        manifest = {"format": FORMAT, "engine": connection.vendor, "created": timezone.now().isoformat(),
                    "rows": row_counts()}
        (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / "manifest.json", "manifest.json")
            tar.add(dump, dump.name)
            if not media.on_filesystem():  # an S3-compatible store: its files, through the storage
                media.copy_out(work / "media")
            folder = Path(settings.MEDIA_ROOT) if media.on_filesystem() else work / "media"
            if folder.is_dir():
                tar.add(folder, "media")
        partial.replace(out)  # never a half-written archive under the final name
    return manifest


def read_manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise ValueError("备份文件缺少 manifest.json")
        manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise ValueError(f"不认识的备份格式：{manifest.get('format')}")
    return manifest


def restore(archive: Path, db: Mapping[str, Any] | None = None, media_root: Path | None = None) -> dict[str, Any]:
    """Restore the archive into `db` (Django's DATABASES entry; default: the configured database, which must
    not be in use) and `media_root`. The database engine must be the archive's. Returns the manifest."""
    db = db or connection.settings_dict
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = read_manifest(archive)
    engine = "postgresql" if "postgresql" in db["ENGINE"] else "sqlite" if "sqlite" in db["ENGINE"] else db["ENGINE"]
    if engine != manifest["engine"]:
        raise ValueError(f"备份来自 {manifest['engine']} 数据库，不能恢复到 {engine} 数据库")
    with tempfile.TemporaryDirectory(prefix="jingkai-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")  # no absolute paths, no links out of the directory
        if engine == "postgresql":
            args, env = _pg_env(db)
            _run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                  "-d", str(db["NAME"]), str(work / "database.pgdump")], env)
        else:
            if db is connection.settings_dict:
                connection.close()  # the file is replaced under it
            target = Path(db["NAME"])
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(work / "database.sqlite3", target)
        if (work / "media").is_dir():
            restore_media(work / "media", media_root)
    return manifest


def restore_media(folder: Path, media_root: Path) -> None:
    """The media files become the archive's (`folder`): `media_root` replaced on the filesystem; on an
    S3-compatible store, the archive's files stored and the others deleted."""
    if media.on_filesystem():
        shutil.rmtree(media_root, ignore_errors=True)
        shutil.copytree(folder, media_root)
    else:
        media.copy_in(folder, prune=True)
