"""Uploaded import files are kept for settings.IMPORT_RETENTION_DAYS, then deleted (`jingkai purge-uploads`).

Each upload has its own folder MEDIA_ROOT/imports/<sha256>-<random>/ (the file and its error report,
services.save_upload); a folder goes when its newest file is older than the retention. Every deletion is
audited: which folder, its files and their sizes."""

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jingkai.accounts import authz
from jingkai.audit.services import record_many
from jingkai.intake.capabilities import PURGE_UPLOADS

AUDIT_MODEL = "intake.upload"


@dataclass(frozen=True)
class Purged:
    folders: int
    files: int
    bytes: int
    cutoff: datetime | None  # None: retention 0, nothing deleted


def _modified(folder: Path) -> datetime:
    stamps = [p.stat().st_mtime for p in (folder, *folder.rglob("*"))]
    return datetime.fromtimestamp(max(stamps), tz=timezone.get_current_timezone())


def purge_uploads(user, *, days: int | None = None, now: datetime | None = None) -> Purged:
    """Delete the upload folders untouched for more than `days` (default the setting). `user` must hold
    intake.purge_uploads; it is the actor in the audit."""
    authz.require(user, PURGE_UPLOADS)
    days = settings.IMPORT_RETENTION_DAYS if days is None else days
    if days <= 0:
        return Purged(0, 0, 0, None)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    root = Path(settings.MEDIA_ROOT) / "imports"
    old = [(f, _modified(f)) for f in sorted(root.iterdir()) if f.is_dir()] if root.is_dir() else []
    old = [(f, at) for f, at in old if at < cutoff]
    changes, files, size = [], 0, 0
    for folder, at in old:
        contents = {p.name: p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}
        changes.append((folder.name, {"files": contents, "modified": at.isoformat(timespec="seconds")}, None))
        files += len(contents)
        size += sum(contents.values())
    with transaction.atomic():  # the audit first: a folder that fails to go is still on record as meant to
        record_many(user, "delete", AUDIT_MODEL, changes, note=f"上传文件超过保留期 {days} 天，已删除")
    for folder, _ in old:
        shutil.rmtree(folder)
    return Purged(len(old), files, size, cutoff)
