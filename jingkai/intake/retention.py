"""Uploaded import files are kept for settings.IMPORT_RETENTION_DAYS, then deleted (`jingkai purge-uploads`).

Each upload has its own folder imports/<sha256>-<random>/ in the media storage (the file and its error
report, services.save_upload): the filesystem under MEDIA_ROOT, or the S3-compatible store, through the same
storage calls. A folder goes when its newest file is older than the retention. Every deletion is audited:
which folder, its files and their sizes, when it was last modified."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from jingkai import media
from jingkai.accounts import authz
from jingkai.audit.services import record_many
from jingkai.intake.capabilities import PURGE_UPLOADS

AUDIT_MODEL = "intake.upload"
ROOT = "imports/"


@dataclass(frozen=True)
class Purged:
    folders: int
    files: int
    bytes: int
    cutoff: datetime | None  # None: retention 0, nothing deleted


@dataclass(frozen=True)
class _Folder:
    name: str  # <sha256>-<random>
    stored: list[str]  # its files' names in the storage
    sizes: dict[str, int]  # by name inside the folder
    modified: datetime  # its newest file's


def _folder(name: str) -> _Folder | None:
    """A folder as stored; None when it holds no file (nothing to date it by, nothing to delete)."""
    prefix = f"{ROOT}{name}/"
    stored = media.names(prefix)
    if not stored:
        return None
    sizes = {n.removeprefix(prefix): default_storage.size(n) for n in stored}
    modified = max(default_storage.get_modified_time(n) for n in stored)
    return _Folder(name, stored, sizes, timezone.localtime(modified))


def purge_uploads(user, *, days: int | None = None, now: datetime | None = None) -> Purged:
    """Delete the upload folders untouched for more than `days` (default the setting). `user` must hold
    intake.purge_uploads; it is the actor in the audit."""
    authz.require(user, PURGE_UPLOADS)
    days = settings.IMPORT_RETENTION_DAYS if days is None else days
    if days <= 0:
        return Purged(0, 0, 0, None)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = [f for f in map(_folder, media.folders(ROOT)) if f is not None and f.modified < cutoff]
    changes = [(f.name, {"files": f.sizes, "modified": f.modified.isoformat(timespec="seconds")}, None) for f in old]
    with transaction.atomic():  # the audit first: a folder that fails to go is still on record as meant to
        record_many(user, "delete", AUDIT_MODEL, changes, note=f"上传文件超过保留期 {days} 天，已删除")
    for f in old:
        media.delete_folder(f"{ROOT}{f.name}/", f.stored)
    return Purged(len(old), sum(len(f.sizes) for f in old), sum(sum(f.sizes.values()) for f in old), cutoff)
