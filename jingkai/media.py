"""Media files (uploads, job results, attachments) live in Django's default storage: the filesystem under
MEDIA_ROOT, or an S3-compatible store (MinIO) through django-storages when JINGKAI_S3_ENDPOINT is set, so
that several app servers and job workers share them. Code that needs a local file (polars reads a path)
asks for one here."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage

COPY_PREFIX = "jingkai-media-"


def local_file(name: str, into: Path | None = None) -> Path:
    """A stored file as a local path: the file itself on the filesystem, else a copy in `into` (default: a
    new temporary folder, which the caller removes)."""
    try:
        return Path(default_storage.path(name))
    except NotImplementedError:  # an object store has no paths
        folder = into or Path(tempfile.mkdtemp(prefix=COPY_PREFIX))
        target = folder / Path(name).name
        with default_storage.open(name, "rb") as src, target.open("wb") as out:
            shutil.copyfileobj(src, out)
        return target


def release(path: Path) -> None:
    """Remove the temporary folder local_file copied `path` into; a stored file itself (the filesystem) stays."""
    if path.parent.name.startswith(COPY_PREFIX) and path.parent.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(path.parent, ignore_errors=True)


def store(local: Path, name: str) -> str:
    """Keep a local file in the storage under `name`, replacing what is there; the stored name. On the
    filesystem a file written in place (`local` is that name's path) is already stored."""
    if on_filesystem() and Path(default_storage.path(name)).resolve() == local.resolve():
        return name
    if default_storage.exists(name):
        default_storage.delete(name)
    with local.open("rb") as f:
        return default_storage.save(name, File(f))


def on_filesystem() -> bool:
    try:
        default_storage.path("")
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class Entry:
    name: str
    size: int
    modified: datetime  # aware


def _s3() -> Any:
    """The S3-compatible store the media are on (django-storages' S3Storage), None on the filesystem."""
    from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]  # boto3: only when asked

    return default_storage if isinstance(default_storage, S3Storage) else None


def _key(store: Any, name: str) -> str:
    """A stored name's key in the bucket (under JINGKAI_S3_PREFIX, the storage's location)."""
    location = store.location.strip("/")
    return f"{location}/{name}" if location else name


def entries(prefix: str) -> list[Entry]:
    """Every stored file under `prefix` ("imports/") with its size and modified time: on an S3-compatible
    store from one paged listing (not two requests a file), on the filesystem from the files themselves."""
    if (store := _s3()) is None:
        return [Entry(n, default_storage.size(n), default_storage.get_modified_time(n)) for n in names(prefix)]
    skip = len(_key(store, ""))
    return sorted((Entry(o.key[skip:], o.size, o.last_modified)
                   for o in store.bucket.objects.filter(Prefix=_key(store, prefix))), key=lambda e: e.name)


def names(prefix: str = "") -> list[str]:
    """Every stored file's name under `prefix` ("" or a folder ending in "/"), recursively."""
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return []
    found = [f"{prefix}{f}" for f in files]
    for folder in folders:
        found += names(f"{prefix}{folder}/")
    return sorted(found)


def delete(stored: list[str], folders: list[str]) -> None:
    """Delete the stored files `stored` (on a store a thousand a request), then on the filesystem the
    `folders` ("imports/<sha>/") once empty (a store has no folders of its own). A file added meanwhile stays,
    with its folder."""
    if (store := _s3()) is not None:
        for start in range(0, len(stored), 1000):
            done = store.bucket.delete_objects(Delete={"Quiet": True, "Objects": [
                {"Key": _key(store, name)} for name in stored[start:start + 1000]]})
            if failed := done.get("Errors"):
                raise OSError(f"对象存储未能删除 {len(failed)} 个文件，如 {failed[0].get('Key')}：{failed[0].get('Message')}")
        return
    for name in stored:
        default_storage.delete(name)
    for prefix in folders:
        top = Path(default_storage.path(prefix))
        for folder in sorted((p for p in top.rglob("*") if p.is_dir()), reverse=True) + [top]:
            try:
                os.rmdir(folder)
            except OSError:  # not empty, or gone
                pass


def copy_out(folder: Path) -> int:
    """Copy every stored file into `folder` (its names as paths); the number of files."""
    stored = names()
    for name in stored:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as src, target.open("wb") as out:
            shutil.copyfileobj(src, out)
    return len(stored)


def copy_in(folder: Path, *, prune: bool = False) -> int:
    """Store every file under `folder` under its relative name, replacing what is there; with `prune`, then
    delete the stored files that are not in `folder` (the storage holds what `folder` holds, as a restore
    wants). The number of files stored."""
    count, kept = 0, set()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if default_storage.exists(name):
            default_storage.delete(name)
        with path.open("rb") as src:
            kept.add(default_storage.save(name, src))
        count += 1
    for name in names() if prune else []:
        if name not in kept:
            default_storage.delete(name)
    return count
