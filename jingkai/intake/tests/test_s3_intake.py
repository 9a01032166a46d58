"""Imports with the media on an S3-compatible store (moto's real server, jingkai.s3_fixtures): a failed
import's error report is kept in the bucket beside its upload and served from there (the page's link for
the session that ran it, the job's page for its owner), and purge-uploads deletes old upload folders from
the bucket, audited."""

import tempfile
import time
from datetime import timedelta
from io import BytesIO
from pathlib import PurePosixPath

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jingkai.audit.models import AuditEntry
from jingkai.enterprises.models import Enterprise
from jingkai.enterprises.uscc import make_uscc
from jingkai.intake.retention import purge_uploads
from jingkai.jobs.models import Job
from jingkai.s3_fixtures import BUCKET, stored_keys
from jingkai.testing import make_user, run_queued_jobs, zone_user

pytestmark = pytest.mark.django_db
GOOD_USCC, BAD_USCC = make_uscc("620100", "00000001"), "91620100MA00000000"  # a wrong check digit
CSV = ("uscc,name,zone_code,industry_code,size_class,above_scale\n"
       f"{GOOD_USCC},兰州示例化工有限公司,GS-LZ,C2614,small,是\n{BAD_USCC},兰州示例二有限公司,GS-LZ,C2614,small,是\n")


@pytest.fixture
def scratch(monkeypatch, tmp_path):
    """The temporary folder local copies of stored files go to: empty again after each request."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _post(client, name: str, body: str = CSV):
    return client.post(reverse("intake:import"), {"kind": "enterprises",
                                                  "file": SimpleUploadedFile(name, body.encode(), "text/csv")})


def _problems(content: bytes) -> list:
    sheet = openpyxl.load_workbook(BytesIO(content))["错误清单"]
    return [c.value for row in sheet.iter_rows() for c in row]


def test_a_failed_page_import_keeps_its_report_in_the_store_for_that_session(client, s3, scratch, zones, lz_user):
    client.force_login(lz_user)
    response = _post(client, "企业.csv")
    assert response.status_code == 400 and not Enterprise.objects.exists()
    upload, report = stored_keys(s3)  # the upload and its report, side by side in the bucket
    assert PurePosixPath(upload).parent == PurePosixPath(report).parent and upload.startswith("imports/")
    assert upload.endswith("/企业.csv") and report.endswith("/企业.errors.xlsx")
    url = response.context["report_url"]
    assert f'href="{url}"' in response.content.decode() and "下载错误报告" in response.content.decode()
    download = client.get(url)
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert BAD_USCC in _problems(b"".join(download.streaming_content))
    assert list(scratch.iterdir()) == []  # the local copy the import read is gone
    # only the files' reports, never the upload itself, and only for the session that ran the import
    sha = PurePosixPath(upload).parent.name
    assert url == reverse("intake:report", args=[sha, "企业.errors.xlsx"])
    assert client.get(reverse("intake:report", args=[sha, "企业.csv"])).status_code == 404
    other = Client()
    other.force_login(lz_user)
    assert other.get(url).status_code == 404


def test_a_failed_import_job_keeps_its_report_in_the_store_for_its_owner(client, s3, scratch, zones, lz_user, settings,
                                                                         django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_ROWS = 1  # a job
    client.force_login(lz_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, "企业.csv").status_code == 302
    assert list(scratch.iterdir()) == []
    run_queued_jobs()
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and "未写入任何数据" in job.message and BAD_USCC in job.message
    upload, report = stored_keys(s3)
    assert job.result_file == report and report == upload.replace("企业.csv", "企业.errors.xlsx")
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert f'href="{reverse("jobs:download", args=[job.pk])}"' in page and "下载错误报告（企业.errors.xlsx）" in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert BAD_USCC in _problems(b"".join(download.streaming_content))
    other = Client()
    other.force_login(zone_user(zones["GS-LZ"], "lz-other"))  # same zone, not the job's owner
    assert other.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_failed_import_job_keeps_its_report_on_the_filesystem_too(client, settings, tmp_path, zones, lz_user,
                                                                    django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT, settings.IMPORT_INLINE_ROWS = tmp_path, 1
    client.force_login(lz_user)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, "企业.csv")
    run_queued_jobs()
    job = Job.objects.get()
    (folder,) = (tmp_path / "imports").iterdir()
    assert job.result_file == f"imports/{folder.name}/企业.errors.xlsx"
    assert {p.name for p in folder.iterdir()} == {"企业.csv", "企业.errors.xlsx"}
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert BAD_USCC in _problems(b"".join(download.streaming_content))


def test_purge_uploads_deletes_old_folders_from_the_store(client, s3, zones, lz_user):
    province = make_user("prov", "province")
    client.force_login(lz_user)
    _post(client, "old.csv")
    old = stored_keys(s3)
    time.sleep(1.1)  # the store dates objects to the second
    _post(client, "new.csv")
    new = sorted(set(stored_keys(s3)) - set(old))
    assert len(old) == len(new) == 2  # each upload with its error report
    stamp = {k: s3.head_object(Bucket=BUCKET, Key=k) for k in old + new}
    old_at = max(stamp[k]["LastModified"] for k in old)
    assert old_at < min(stamp[k]["LastModified"] for k in new)
    purged = purge_uploads(province, days=30, now=old_at + timedelta(days=30, milliseconds=500))
    assert stored_keys(s3) == new and (purged.folders, purged.files) == (1, 2)
    assert purged.bytes == sum(stamp[k]["ContentLength"] for k in old)
    entry = AuditEntry.objects.get(model="intake.upload")
    assert entry.user == province and entry.action == "delete" and entry.object_key == PurePosixPath(old[0]).parent.name
    assert entry.before["files"] == {PurePosixPath(k).name: stamp[k]["ContentLength"] for k in old}
    assert entry.before["modified"].startswith(old_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%dT%H:%M:%S"))
    assert purge_uploads(province, days=30, now=old_at + timedelta(days=30, milliseconds=500)).folders == 0


def test_purge_uploads_keeps_to_its_prefix_of_a_shared_bucket(s3, settings, zones):
    """JINGKAI_S3_PREFIX: the platform's files under a folder of a bucket other systems use too."""
    default = settings.STORAGES["default"]
    settings.STORAGES = {**settings.STORAGES, "default": {**default, "OPTIONS": {**default["OPTIONS"], "location": "jingkai"}}}
    for key in ("jingkai/imports/aaa-1/a.csv", "jingkai/imports/aaa-1/a.errors.xlsx", "other/imports/bbb-2/b.csv",
                "jingkai/measures/x.pdf"):
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"1234")
    purged = purge_uploads(make_user("prov", "province"), days=1, now=timezone.now() + timedelta(days=2))
    assert (purged.folders, purged.files, purged.bytes) == (1, 2, 8)
    assert stored_keys(s3) == ["jingkai/measures/x.pdf", "other/imports/bbb-2/b.csv"]
    assert AuditEntry.objects.get(model="intake.upload").before["files"] == {"a.csv": 4, "a.errors.xlsx": 4}
