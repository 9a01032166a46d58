"""Stateless app servers: media on an S3-compatible store (django-storages' S3 backend, configured as
JINGKAI_S3_ENDPOINT does), tested against a real S3 server running here (moto's server mode): an upload, an
import job reading its file from the store, a job's result file, and a backup that includes the stored media."""

import tarfile
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jingkai import media
from jingkai.enterprises.models import Enterprise
from jingkai.enterprises.uscc import make_uscc
from jingkai.jobs import services
from jingkai.jobs.models import Job
from jingkai.ops.backup import backup, restore_media
from jingkai.s3_fixtures import BUCKET
from jingkai.s3_fixtures import stored_keys as keys
from jingkai.testing import run_queued_jobs

pytestmark = pytest.mark.django_db

CSV = ("uscc,name,zone_code,industry_code,size_class,above_scale\n"
       f"{make_uscc('620100', '00000001')},兰州示例化工有限公司,GS-LZ,C2614,small,是\n"
       f"{make_uscc('620100', '00000002')},兰州示例二有限公司,GS-LZ,C2614,small,是\n")


def test_an_upload_goes_to_the_store_and_the_import_job_reads_it_from_there(client, s3, zones, lz_user, settings,
                                                                           django_capture_on_commit_callbacks):
    assert not media.on_filesystem()
    settings.IMPORT_INLINE_ROWS = 1
    client.force_login(lz_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:import"), {
            "kind": "enterprises", "file": SimpleUploadedFile("企业.csv", CSV.encode(), "text/csv")})
    assert response.status_code == 302
    stored = keys(s3)
    assert len(stored) == 1 and stored[0].startswith("imports/") and stored[0].endswith("/企业.csv")
    assert s3.get_object(Bucket=BUCKET, Key=stored[0])["Body"].read() == CSV.encode()
    run_queued_jobs()
    job = Job.objects.get()
    assert job.state == Job.State.DONE and job.message == "企业名录导入成功：新增 2 / 更新 0 / 未变 0", job.message
    assert Enterprise.objects.count() == 2


def test_a_job_result_file_is_kept_in_the_store_and_downloads(client, s3, zones, province_user,
                                                              django_capture_on_commit_callbacks):
    Enterprise.objects.create(uscc="91620100MA71234567", name="兰州示例化工有限公司", zone=zones["GS-LZ"])
    with django_capture_on_commit_callbacks(execute=True):
        job = services.submit(province_user, "intake.export", {"kind": "enterprises", "fmt": "xlsx"}, "企业名录导出")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and keys(s3) == [job.result_file] and job.result_file.startswith(f"jobs/{job.pk}/")
    client.force_login(province_user)
    response = client.get(reverse("jobs:download", args=[job.pk]))
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert "兰州示例化工有限公司" in [c.value for row in sheet.iter_rows() for c in row]
    from datetime import timedelta

    from django.utils import timezone
    assert services.purge_expired(timezone.now() + timedelta(days=30)) == 1 and keys(s3) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the database backup reads committed rows
def test_a_backup_includes_the_stored_media_and_a_restore_puts_it_back(s3, tmp_path):
    s3.put_object(Bucket=BUCKET, Key="measures/佐证材料.pdf", Body=b"%PDF-1.4 demo")
    s3.put_object(Bucket=BUCKET, Key="jobs/7/导出.csv", Body=b"a,b\n")
    archive = tmp_path / "backup.tar.gz"
    backup(archive)
    with tarfile.open(archive, "r:gz") as tar:
        names = set(tar.getnames())
        assert {"media/measures/佐证材料.pdf", "media/jobs/7/导出.csv"} <= names
        member = tar.extractfile("media/measures/佐证材料.pdf")
        assert member is not None and member.read() == b"%PDF-1.4 demo"
        tar.extractall(tmp_path / "unpacked", filter="data")
    s3.delete_object(Bucket=BUCKET, Key="measures/佐证材料.pdf")
    s3.put_object(Bucket=BUCKET, Key="imports/after-the-backup/企业.csv", Body=b"uscc\n")
    restore_media(tmp_path / "unpacked" / "media", tmp_path / "not-used")  # what restore() does with the media
    assert keys(s3) == ["jobs/7/导出.csv", "measures/佐证材料.pdf"]  # the archive's files, and only those
    assert s3.get_object(Bucket=BUCKET, Key="measures/佐证材料.pdf")["Body"].read() == b"%PDF-1.4 demo"
