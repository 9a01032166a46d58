"""Uploaded files are deleted after the retention (`jingkai purge-uploads`), audited; newer ones stay."""

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from jingkai.audit.models import AuditEntry
from jingkai.intake.retention import purge_uploads

DAY = 24 * 3600


def _upload(client: Client, name: str, body: bytes) -> Path:
    """An upload through the import page (a bad file: stored with its error report)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = set(_folders())
    client.post("/import/", {"kind": "enterprises", "file": SimpleUploadedFile(name, body)})
    (new,) = set(_folders()) - before
    return new


def _folders() -> list[Path]:
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(root.iterdir()) if root.exists() else []


def _age(folder: Path, days: float) -> None:
    at = time.time() - days * DAY
    for p in (*folder.iterdir(), folder):
        os.utime(p, (at, at))


@pytest.fixture
def uploads(settings, tmp_path, zones, province_user):
    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_RETENTION_DAYS = 30
    client = Client()
    client.force_login(province_user)
    bad = ("uscc,name,zone_code,industry_code,size_class,above_scale,established\n"  # a bad USCC: an error report
           "91620100MA00000000,某企业,GS-LZ,C3841,medium,是,\n").encode()
    old, edge, new = (_upload(client, f"{n}.csv", bad) for n in ("old", "edge", "new"))
    assert {p.name for p in old.iterdir()} == {"old.csv", "old.errors.xlsx"}  # the file and its error report
    _age(old, 45)
    _age(edge, 29.9)  # inside the retention: kept
    return {"old": old, "edge": edge, "new": new}


def test_command_deletes_what_is_older_than_the_retention(uploads, province_user, capsys):
    size = sum(p.stat().st_size for p in uploads["old"].iterdir())
    call_command("purge-uploads", "--user", province_user.username)
    assert "已删除" in capsys.readouterr().out
    assert not uploads["old"].exists() and uploads["edge"].exists() and uploads["new"].exists()
    entry = AuditEntry.objects.get(model="intake.upload")
    assert entry.user == province_user and entry.action == "delete" and entry.object_key == uploads["old"].name
    assert set(entry.before["files"]) == {"old.csv", "old.errors.xlsx"}
    assert sum(entry.before["files"].values()) == size and "30 天" in entry.note


def test_days_option_and_zero_keeps_everything(uploads, province_user, capsys):
    call_command("purge-uploads", "--user", province_user.username, "--days", "0")
    assert "永久保留" in capsys.readouterr().out and len(_folders()) == 3
    call_command("purge-uploads", "--user", province_user.username, "--days", "20")
    assert _folders() == [uploads["new"]]
    assert AuditEntry.objects.filter(model="intake.upload").count() == 2


def test_retention_boundary(uploads, province_user):
    from django.utils import timezone

    # a folder exactly as old as the retention is kept (older than, not as old as)
    modified = uploads["edge"].stat().st_mtime
    now = timezone.datetime.fromtimestamp(modified, tz=timezone.get_current_timezone()) + timedelta(days=30)
    assert purge_uploads(province_user, now=now).folders == 1  # only "old"
    assert uploads["edge"].exists()


def test_only_the_province_may_purge(uploads, lz_user, department_user):
    for user in (lz_user, department_user):
        with pytest.raises(PermissionDenied):
            purge_uploads(user)
    with pytest.raises(CommandError):
        call_command("purge-uploads", "--user", lz_user.username)
    assert len(_folders()) == 3 and not AuditEntry.objects.filter(model="intake.upload").exists()
