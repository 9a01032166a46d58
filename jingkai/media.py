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
