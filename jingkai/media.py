"""Media files (uploads, job results, attachments) live in Django's default storage: the filesystem under
MEDIA_ROOT, or an S3-compatible store (MinIO) through django-storages when JINGKAI_S3_ENDPOINT is set, so
that several app servers and job workers share them. Code that needs a local file (polars reads a path)
asks for one here."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.core.files.storage import default_storage


def local_file(name: str, into: Path | None = None) -> Path:
    """A stored file as a local path: the file itself on the filesystem, else a copy in `into` (default: a
    new temporary folder, which the caller removes)."""
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:  # an object store has no paths
        folder = into or Path(tempfile.mkdtemp(prefix="jingkai-media-"))
        target = folder / Path(name).name
        with default_storage.open(name, "rb") as src, target.open("wb") as out:
            shutil.copyfileobj(src, out)
        return target


def on_filesystem() -> bool:
    try:
        default_storage.path("")
    except NotImplementedError:
        return False
    return True


def names(prefix: str = "") -> list[str]:
    """Every stored file's name under `prefix` (recursively), for backups."""
    folders, files = default_storage.listdir(prefix)
    found = [f"{prefix}{f}" for f in files]
    for folder in folders:
        found += names(f"{prefix}{folder}/")
    return sorted(found)


def copy_out(folder: Path) -> int:
    """Copy every stored file into `folder` (its names as paths); the number of files."""
    stored = names()
    for name in stored:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as src, target.open("wb") as out:
            shutil.copyfileobj(src, out)
    return len(stored)


def copy_in(folder: Path) -> int:
    """Store every file under `folder` under its relative name, replacing what is there; the number of files."""
    count = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if default_storage.exists(name):
            default_storage.delete(name)
        with path.open("rb") as src:
            default_storage.save(name, src)
        count += 1
    return count
