"""Attachments of 督办 progress reports (佐证材料): which files are taken, how they are checked and stored.

An office sends documents, spreadsheets, scans and photos: PDF, OFD (GB/T 33190 版式文档, what 电子公文 are
issued in), Word (doc/docx), Excel (xls/xlsx), JPG and PNG. Archives (zip, rar) are not taken: what is inside
them cannot be checked, so they would carry any type past the rule. A file is taken when its extension is one
of these *and* its content is what the extension says (its signature; for docx/xlsx/ofd the parts of the
package), so a renamed program or archive is refused. The size limit is `MEASURES_ATTACHMENT_MAX_BYTES`
(environment variable `JINGKAI_ATTACHMENT_MAX_MB`, default 20 MB).

Files are stored under a random name (`reports/YYYY/MM/<hex>.<ext>`), never the uploaded one; the original
name is kept on the report (`attachment_name`) and given back in the download's Content-Disposition.
"""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file container of doc / xls
ZIP = b"PK\x03\x04"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def _starts(signature: bytes) -> Callable[[IO[bytes]], bool]:
    def check(file: IO[bytes]) -> bool:
        file.seek(0)
        return file.read(len(signature)) == signature
    return check


def _package(*parts: str) -> Callable[[IO[bytes]], bool]:
    """A zip package (OOXML, OFD) holding the named parts."""
    def check(file: IO[bytes]) -> bool:
        if not _starts(ZIP)(file):
            return False
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        return all(part in names for part in parts)
    return check


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    matches: Callable[[IO[bytes]], bool]


KINDS: dict[str, Kind] = {
    ".pdf": Kind("PDF", "application/pdf", _starts(b"%PDF-")),
    ".ofd": Kind("OFD", "application/ofd", _package("OFD.xml")),
    ".doc": Kind("Word", "application/msword", _starts(OLE2)),
    ".docx": Kind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  _package("[Content_Types].xml", "word/document.xml")),
    ".xls": Kind("Excel", "application/vnd.ms-excel", _starts(OLE2)),
    ".xlsx": Kind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  _package("[Content_Types].xml", "xl/workbook.xml")),
    ".jpg": Kind("JPG 图片", "image/jpeg", _starts(b"\xff\xd8\xff")),
    ".jpeg": Kind("JPG 图片", "image/jpeg", _starts(b"\xff\xd8\xff")),
    ".png": Kind("PNG 图片", "image/png", _starts(b"\x89PNG\r\n\x1a\n")),
}
ALLOWED_TEXT = "PDF、OFD、Word（doc、docx）、Excel（xls、xlsx）、JPG、PNG"


def max_bytes() -> int:
    return int(getattr(settings, "MEASURES_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_text(size: int) -> str:
    """1 234 567 bytes → 1.2 MB, as an office reads a file size."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")


def extension(name: str) -> str:
    return PurePath(name).suffix.lower()


def validate(file: Any) -> None:
    """Refuse a file of a type or size the register does not take, with a message naming the file and the rule."""
    name = str(file.name)
    kind = KINDS.get(extension(name))
    if kind is None:
        raise ValidationError(f"附件“{name}”的类型不能上传：只接受 {ALLOWED_TEXT} 文件", code="type")
    limit = max_bytes()
    if file.size > limit:
        raise ValidationError(f"附件“{name}”为 {size_text(file.size)}，超过 {size_text(limit)} 的上限", code="size")
    try:
        matches = kind.matches(file)
    finally:
        file.seek(0)
    if not matches:
        raise ValidationError(f"附件“{name}”的内容不是 {kind.label} 文件（扩展名为 {extension(name)}，"
                              f"内容与之不符），请上传原始文件", code="signature")


def sha256(file: Any) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def content_type(name: str) -> str:
    kind = KINDS.get(extension(name))
    return kind.content_type if kind else "application/octet-stream"


def storage_name(instance: Any, filename: str) -> str:
    """`upload_to` of ProgressReport.attachment: a random name in the month's folder, the extension kept."""
    return f"reports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{extension(filename)}"
