"""Attachments of progress reports: served by a scope-checked view under their original names, limited in
type (by content, not only the extension) and size, and audited (name, size, SHA-256)."""

import hashlib
import io
import zipfile
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import Workbook

from jingkai.accounts.models import OrgUnit
from jingkai.audit.models import AuditEntry
from jingkai.measures.models import ProgressReport, Task
from jingkai.testing import make_user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EXE = b"MZ\x90\x00" + b"\x00" * 60
NAME = "兰州经开区外资项目签约佐证材料（2026年10月）.pdf"


def _docx() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _zip(**parts: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def tasks(zones):
    today = date.today()
    lz = OrgUnit.objects.get(code="zone-gs-lz")
    jc = OrgUnit.objects.get(code="zone-gs-jc")
    return {
        "lz": Task.objects.create(item_code="6.1", title="外资项目落地", owner=lz, zone=zones["GS-LZ"],
                                  start=today - timedelta(days=100), deadline=today + timedelta(days=100)),
        "jc": Task.objects.create(item_code="10.7", title="经济运行通报", owner=jc, zone=zones["GS-JC"],
                                  start=today - timedelta(days=10), deadline=today + timedelta(days=300)),
    }


def _upload(client, task, name: str, data: bytes, period: str = "2026-10"):
    return client.post(f"/measures/tasks/{task.pk}/report/", {
        "period": period, "progress": "40", "text": "已签约", "attachment": SimpleUploadedFile(name, data)})


def test_an_attachment_is_served_under_its_original_name_to_whoever_sees_the_task(client, tasks, lz_user,
                                                                                   province_user):
    client.force_login(lz_user)
    assert _upload(client, tasks["lz"], NAME, PDF).status_code == 302
    report = ProgressReport.objects.get()
    assert report.attachment_name == NAME and report.attachment_size == len(PDF)
    assert "兰州" not in report.attachment.name and report.attachment.name.endswith(".pdf")  # stored by a random name
    url = reverse("measures:attachment", args=[report.pk])
    page = client.get(f"/measures/tasks/{tasks['lz'].pk}/").content.decode()
    assert f'<a href="{url}">{NAME}</a>' in page  # the link is the view and reads the original name
    assert report.attachment.name not in page and 'href="/reports/' not in page  # not the storage path
    for user in (lz_user, province_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(NAME)}"


def test_an_attachment_outside_the_users_scope_is_404(client, tasks, lz_user, department_user):
    jc_user = make_user("jc-clerk", "zone-gs-jc")
    client.force_login(jc_user)
    _upload(client, tasks["jc"], "金昌.pdf", PDF)
    url = reverse("measures:attachment", args=[ProgressReport.objects.get().pk])
    for user in (lz_user, department_user):  # another zone; a department that owns no zone task
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(jc_user)
    assert client.get(url).status_code == 200


def test_a_report_without_an_attachment_or_a_lost_file_is_404(client, tasks, lz_user):
    client.force_login(lz_user)
    report = ProgressReport.objects.create(task=tasks["lz"], period="2026-09", text="x", progress=10)
    assert client.get(reverse("measures:attachment", args=[report.pk])).status_code == 404
    _upload(client, tasks["lz"], NAME, PDF)
    uploaded = ProgressReport.objects.get(period="2026-10")
    uploaded.attachment.delete(save=False)  # the file is gone from storage, the row still names it
    ProgressReport.objects.filter(pk=uploaded.pk).update(attachment="reports/2026/10/gone.pdf")
    response = client.get(reverse("measures:attachment", args=[uploaded.pk]))
    assert response.status_code == 404 and "页面不存在" in response.content.decode()  # the Chinese 404 page


@pytest.mark.parametrize(("name", "data"), [
    ("佐证.pdf", PDF), ("报表.xlsx", _xlsx()), ("报告.docx", _docx()), ("旧报表.xls", OLE2), ("旧报告.doc", OLE2),
    ("现场照片.jpg", JPG), ("现场照片.JPEG", JPG), ("截图.png", PNG),
    ("电子公文.ofd", _zip(**{"OFD.xml": b"<ofd:OFD/>"})),
])
def test_the_types_an_office_sends_are_taken(client, tasks, lz_user, name, data):
    client.force_login(lz_user)
    assert _upload(client, tasks["lz"], name, data).status_code == 302
    assert ProgressReport.objects.get().attachment_name == name


@pytest.mark.parametrize(("name", "data", "message"), [
    ("setup.exe", EXE, "附件“setup.exe”的类型不能上传：只接受 PDF、OFD、Word（doc、docx）、Excel（xls、xlsx）、JPG、PNG 文件"),
    ("材料.zip", _zip(**{"a.pdf": PDF}), "附件“材料.zip”的类型不能上传"),
    ("报告", PDF, "附件“报告”的类型不能上传"),  # no extension
    ("通知.pdf", EXE, "附件“通知.pdf”的内容不是 PDF 文件（扩展名为 .pdf，内容与之不符）"),  # a renamed program
    ("报告.docx", _zip(**{"a.exe": EXE}), "附件“报告.docx”的内容不是 Word 文件"),  # a zip renamed .docx
    ("报表.xlsx", _docx(), "附件“报表.xlsx”的内容不是 Excel 文件"),  # a Word package named .xlsx
    ("照片.png", JPG, "附件“照片.png”的内容不是 PNG 图片 文件"),
    ("空.pdf", b"", "附件“空.pdf”是空文件"),
])
def test_other_types_and_mislabelled_files_are_refused_naming_the_file_and_the_rule(client, tasks, lz_user, name,
                                                                                    data, message):
    client.force_login(lz_user)
    response = _upload(client, tasks["lz"], name, data)
    page = response.content.decode()
    assert response.status_code == 200 and message in page and "进展未保存" in page
    assert not ProgressReport.objects.exists()


def test_the_size_limit_is_a_setting_and_its_refusal_names_both_sizes(client, tasks, lz_user, settings, media):
    settings.MEASURES_ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(lz_user)
    big = PDF + b"0" * (1024 * 1024 + 200 * 1024)
    page = _upload(client, tasks["lz"], "扫描件.pdf", big).content.decode()
    assert "附件“扫描件.pdf”为 1.2 MB，超过 1 MB 的上限" in page and "不超过 1 MB" in page
    assert not ProgressReport.objects.exists() and not any(p.is_file() for p in media.rglob("*"))
    settings.MEASURES_ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    assert _upload(client, tasks["lz"], "扫描件.pdf", big).status_code == 302


def test_the_default_limit_is_20_mb():
    from django.conf import settings

    assert settings.MEASURES_ATTACHMENT_MAX_BYTES == 20 * 1024 * 1024


def test_the_service_refuses_what_the_form_refuses(tasks, lz_user):
    from django.core.exceptions import ValidationError

    from jingkai.measures.services import save_draft

    with pytest.raises(ValidationError) as error:
        save_draft(lz_user, task=tasks["lz"], period="2026-10", text="x", progress=10,
                   attachment=SimpleUploadedFile("通知.pdf", EXE))
    assert "附件“通知.pdf”的内容不是 PDF 文件" in str(error.value.message_dict["attachment"])
    assert not ProgressReport.objects.exists()


def test_the_upload_is_audited_with_name_size_and_sha256(client, tasks, lz_user):
    client.force_login(lz_user)
    _upload(client, tasks["lz"], NAME, PDF)
    entry = AuditEntry.objects.get(model="measures.ProgressReport", action="create")
    assert entry.after["attachment"] == {"name": NAME, "size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest()}
    png = _upload(client, tasks["lz"], "照片.png", PNG)  # a replacement: the entry has the old and the new file
    assert png.status_code == 302
    entry = AuditEntry.objects.get(model="measures.ProgressReport", action="update")
    assert entry.before["attachment"]["name"] == NAME and entry.after["attachment"] == {
        "name": "照片.png", "size": len(PNG), "sha256": hashlib.sha256(PNG).hexdigest()}
    report = ProgressReport.objects.get()
    assert report.attachment_sha256 == hashlib.sha256(PNG).hexdigest()
    client.post(f"/measures/tasks/{tasks['lz'].pk}/report/", {"period": "2026-10", "progress": "50", "text": "续"})
    kept = AuditEntry.objects.filter(action="update").order_by("id").last()  # an edit without a file keeps it
    assert kept is not None and kept.after["attachment"]["name"] == "照片.png"
    assert ProgressReport.objects.get().attachment_name == "照片.png"
