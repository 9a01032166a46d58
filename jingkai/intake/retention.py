"""Uploaded import files are kept for settings.IMPORT_RETENTION_DAYS, then deleted (`jingkai purge-uploads`).

Each upload has its own folder imports/<sha256>-<random>/ in the media storage (the file and its error
report, services.save_upload): the filesystem under MEDIA_ROOT, or the S3-compatible store, through the same
storage calls. A folder goes when its newest file is older than the retention. Every deletion is audited:
which folder, its files and their sizes, when it was last modified."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
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


def _folders() -> list[_Folder]:
    """The upload folders as stored (a folder exists by its files), from one listing."""
    found: dict[str, list[media.Entry]] = {}
    for entry in media.entries(ROOT):
        folder, _, rest = entry.name.removeprefix(ROOT).partition("/")
        if rest:  # not a stray file right under imports/
            found.setdefault(folder, []).append(entry)
    return [_Folder(name, [e.name for e in files], {e.name.removeprefix(f"{ROOT}{name}/"): e.size for e in files},
                    timezone.localtime(max(e.modified for e in files))) for name, files in sorted(found.items())]


def purge_uploads(user, *, days: int | None = None, now: datetime | None = None) -> Purged:
    """Delete the upload folders untouched for more than `days` (default the setting). `user` must hold
    intake.purge_uploads; it is the actor in the audit."""
    authz.require(user, PURGE_UPLOADS)
    days = settings.IMPORT_RETENTION_DAYS if days is None else days
    if days <= 0:
        return Purged(0, 0, 0, None)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = [f for f in _folders() if f.modified < cutoff]
    changes = [(f.name, {"files": f.sizes, "modified": f.modified.isoformat(timespec="seconds")}, None) for f in old]
    with transaction.atomic():  # the audit first: a folder that fails to go is still on record as meant to
        record_many(user, "delete", AUDIT_MODEL, changes, note=f"上传文件超过保留期 {days} 天，已删除")
    media.delete([name for f in old for name in f.stored], [f"{ROOT}{f.name}/" for f in old])
    return Purged(len(old), sum(len(f.sizes) for f in old), sum(sum(f.sizes.values()) for f in old), cutoff)
