import io
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from docx import Document
from openpyxl import load_workbook

from jingkai.accounts.models import OrgUnit, User
from jingkai.measures.models import ProgressReport, Task
from jingkai.testing import make_user


@pytest.fixture
def tasks(zones):
    today = date.today()
    lz = OrgUnit.objects.get(code="zone-gs-lz")
    jc = OrgUnit.objects.get(code="zone-gs-jc")
    return {
        "late": Task.objects.create(item_code="6.1", title="外资项目落地", owner=lz, zone=zones["GS-LZ"],
                                    start=today - timedelta(days=400), deadline=today - timedelta(days=1)),
        "open": Task.objects.create(item_code="10.7", title="经济运行通报", owner=jc, zone=zones["GS-JC"],
                                    start=today - timedelta(days=10), deadline=today + timedelta(days=300)),
    }


def test_dashboard_counts_and_overdue_list(client, tasks, province_user):
    client.force_login(province_user)
    page = client.get("/measures/").content.decode()
    assert "外资项目落地" in page and "催办（已逾期）" in page and "（十）" in page


def test_zone_user_sees_only_its_tasks_and_gets_404_for_others(client, tasks, lz_user):
    client.force_login(lz_user)
    assert "经济运行通报</a></td>" not in client.get("/measures/tasks/").content.decode()  # the other zone's task
    assert client.get(f"/measures/tasks/{tasks['open'].pk}/").status_code == 404
    assert client.get(f"/measures/tasks/{tasks['late'].pk}/").status_code == 200


def test_report_through_the_pages(client, tasks, lz_user, province_user):
    reviewer = make_user("lz-reviewer", "zone-gs-lz")
    reviewer.user_permissions.add(Permission.objects.get(codename="review_progressreport"))
    task = tasks["late"]
    client.force_login(lz_user)
    client.post(f"/measures/tasks/{task.pk}/report/", {"period": "2026-10", "progress": "abc", "text": "x"})
    assert not ProgressReport.objects.exists()
    client.post(f"/measures/tasks/{task.pk}/report/", {"period": "2026-10", "progress": "60", "text": "已签约"})
    report = ProgressReport.objects.get()
    client.post(f"/measures/reports/{report.pk}/submit/")
    client.force_login(User.objects.get(pk=reviewer.pk))
    client.post(f"/measures/reports/{report.pk}/return/", {"comment": ""})
    assert ProgressReport.objects.get().state == "submitted"  # a return needs a comment
    client.post(f"/measures/reports/{report.pk}/approve/")
    client.force_login(province_user)
    page = client.post(f"/measures/reports/{report.pk}/confirm/").content.decode()
    assert ProgressReport.objects.get().state == "reviewed" and "确认后进展报告定稿" in page  # a preview first
    client.post(f"/measures/reports/{report.pk}/confirm/", {"confirmed": "1"})
    assert ProgressReport.objects.get().state == "confirmed"
    history = client.get(f"/measures/tasks/{task.pk}/").content.decode()
    assert "待确认 → 已确认" in history and "submitted" not in history  # states in Chinese, not their codes


def test_outputs_open_and_hold_the_tasks(client, tasks, province_user):
    client.force_login(province_user)
    sheet = load_workbook(io.BytesIO(client.get("/measures/export/progress.xlsx").content)).active
    assert sheet["A1"].value == "措施任务督办进展表" and sheet.print_title_rows == "$3:$3"
    assert [c.value for c in sheet[3]][:3] == ["序号", "措施事项", "任务名称"]
    assert {sheet.cell(r, 3).value for r in (4, 5)} == {"外资项目落地", "经济运行通报"}
    doc = Document(io.BytesIO(client.get("/measures/export/bulletin.docx").content))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == "甘肃省商务厅文件" and "督办通报" in texts[1]
    table = doc.tables[0]  # the item-by-item table, a landscape 附件
    assert len(table.rows) == 3 and table.rows[0].cells[2].text == "任务名称"
    assert doc.sections[-1].page_width > doc.sections[-1].page_height
    assert any("已逾期" in p.text for p in doc.paragraphs)
    from urllib.parse import unquote

    for url, name in (("/measures/export/progress.xlsx", "措施督办进展表_"), ("/measures/export/bulletin.docx", "措施督办通报_")):
        assert name in unquote(client.get(url)["Content-Disposition"])  # Chinese file names like the other exports


def test_task_with_a_target_indicator_but_no_value_says_so(client, tasks, lz_user):
    from jingkai.zones.models import Indicator

    task = tasks["late"]
    task.target_indicator = Indicator.objects.create(key="high_tech_count", name="高新技术企业数", unit="家",
                                                     frequency="year")
    task.save()
    client.force_login(lz_user)
    page = client.get(f"/measures/tasks/{task.pk}/").content.decode()
    assert "高新技术企业数 （未设定目标值）" in page and "None" not in page


def test_a_wrong_report_shows_the_errors_next_to_the_fields(client, tasks, lz_user):
    client.force_login(lz_user)
    url = f"/measures/tasks/{tasks['late'].pk}/report/"
    response = client.post(url, {"period": "2026/10", "progress": "abc", "text": " "})
    page = response.content.decode()
    assert response.status_code == 200 and not ProgressReport.objects.exists()
    assert "报告期“2026/10”应写作 YYYY-MM" in page and "完成进度（%）“abc”不是数字" in page and "请填写进展情况" in page
    assert 'value="2026/10"' in page  # what was typed stays in the form
    page = client.post(url, {"period": "2026-10", "progress": "150", "text": "x"}).content.decode()
    assert "完成进度 150 应在 0—100 之间" in page


def test_a_frozen_report_is_refused_with_the_reason_on_the_page(client, tasks, lz_user):
    client.force_login(lz_user)
    task = tasks["late"]
    ProgressReport.objects.create(task=task, period="2026-10", text="x", progress=10, state="submitted")
    page = client.post(f"/measures/tasks/{task.pk}/report/",
                       {"period": "2026-10", "progress": "20", "text": "改"}).content.decode()
    assert "2026-10 的报告已待审核，不能再修改" in page and ProgressReport.objects.get().progress == 10


def test_a_return_without_a_comment_is_shown_at_the_comment_field(client, tasks, lz_user):
    reviewer = make_user("lz-reviewer", "zone-gs-lz")
    reviewer.user_permissions.add(Permission.objects.get(codename="review_progressreport"))
    report = ProgressReport.objects.create(task=tasks["late"], period="2026-10", text="x", progress=10,
                                           state="submitted", author=lz_user)
    client.force_login(reviewer)
    page = client.post(f"/measures/reports/{report.pk}/return/", {"comment": " "}).content.decode()
    assert 'class="field-error">退回时必须填写修改意见' in page
    assert ProgressReport.objects.get().state == "submitted"
    response = client.post(f"/measures/reports/{report.pk}/return/", {"comment": "x" * 501})
    assert "意见不能超过 500 个字（现为 501 个）" in response.content.decode()


def test_the_author_sees_no_review_buttons_and_is_refused(client, tasks, lz_user):
    lz_user.user_permissions.add(Permission.objects.get(codename="review_progressreport"))
    report = ProgressReport.objects.create(task=tasks["late"], period="2026-10", text="x", progress=10,
                                           state="submitted", author=lz_user)
    client.force_login(lz_user)
    page = client.get(f"/measures/tasks/{tasks['late'].pk}/").content.decode()
    assert "审核通过" not in page
    response = client.post(f"/measures/reports/{report.pk}/approve/", follow=True)
    assert "审核与提交须由不同人员办理" in response.content.decode()
    assert ProgressReport.objects.get().state == "submitted"


def test_an_unknown_action_or_another_units_report_changes_nothing(client, tasks, lz_user):
    report = ProgressReport.objects.create(task=tasks["open"], period="2026-10", text="x", progress=10)
    client.force_login(lz_user)
    assert client.post(f"/measures/reports/{report.pk}/submit/").status_code == 404  # not its unit's task
    own = ProgressReport.objects.create(task=tasks["late"], period="2026-10", text="x", progress=10)
    page = client.post(f"/measures/reports/{own.pk}/publish/", follow=True).content.decode()
    assert "未知的操作“publish”" in page and ProgressReport.objects.get(pk=own.pk).state == "draft"


def test_a_user_without_a_unit_is_refused_the_register(client, tasks):
    client.force_login(make_user("nobody"))
    assert client.get("/measures/").status_code == 403
    assert client.get("/measures/tasks/").status_code == 403


def _docx_text(content: bytes) -> tuple[str, Document]:
    doc = Document(io.BytesIO(content))
    return "\n".join(p.text for p in doc.paragraphs), doc


def test_a_zone_users_bulletin_says_it_covers_only_its_own_tasks(client, tasks, lz_user, province_user):
    # a zone user's 督办通报 read "全省共分解落实任务22项", signed 甘肃省商务厅, though it held only its own tasks
    client.force_login(lz_user)
    text, doc = _docx_text(client.get("/measures/export/bulletin.docx").content)
    unit = lz_user.org_unit.name
    assert unit.endswith("管委会")
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0].startswith(f"{unit}") and "督办任务进展情况" in texts[0].replace("\n", "")  # no 版头
    assert texts[texts.index("附件：" + texts[-1].replace("\n", "")) + 1] == unit  # the unit signs it
    assert f"{unit}共承担督办任务1项" in text and f"本材料仅含{unit}承担的任务" in text
    assert "全省共" not in text and "甘肃省商务厅" not in text and "请各责任单位" not in text
    assert doc.core_properties.author == unit and len(doc.tables[0].rows) == 2

    client.force_login(province_user)  # the province's keeps its wording
    text, doc = _docx_text(client.get("/measures/export/bulletin.docx").content)
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[1].replace("\n", "").endswith("经开区若干措施落实情况的督办通报")
    assert texts[texts.index("附件：" + texts[-1].replace("\n", "")) + 1] == "甘肃省商务厅" and "全省共分解落实任务2项" in text
    assert "本材料仅含" not in text and doc.core_properties.author == "甘肃省商务厅"


def test_task_list_search_paging_and_export_keep_the_filters(client, tasks, province_user):
    owner = OrgUnit.objects.get(code="zone-gs-lz")
    today = date.today()
    for n in range(1, 13):  # 1.1 … 1.12: natural order, 1.10 after 1.9
        Task.objects.create(item_code=f"1.{n}", title=f"任务{n}", owner=owner, start=today - timedelta(days=10),
                            deadline=today + timedelta(days=300))
    client.force_login(province_user)
    page = client.get("/measures/tasks/?size=20").content.decode()
    codes = re.findall(r"<tr class=\"status-[^\"]+\"><td>([\d.]+)</td>", page)
    assert codes[:12] == [f"1.{n}" for n in range(1, 13)] and "共 14 条" in page
    page = client.get("/measures/tasks/?size=20&page=1&q=任务1").content.decode()  # 任务1, 任务10, 11, 12
    assert "共 4 条" in page and 'value="任务1"' in page
    assert "/measures/export/progress.xlsx?size=20" not in page and "progress.xlsx?q=" in page
    second = client.get("/measures/tasks/?size=20&page=99").content.decode()  # beyond the last: the last page
    assert second.count('<tr class="status-') == 14
    assert client.get("/measures/tasks/?size=abc&page=x").status_code == 200
    small = client.get("/measures/tasks/?size=20&q=1.").content.decode()
    assert "共 12 条" in small
    workbook = load_workbook(io.BytesIO(client.get("/measures/export/progress.xlsx?q=外资").content))
    cells = [c for row in workbook.active.iter_rows(values_only=True) for c in row if c]
    assert "外资项目落地" in cells and "任务1" not in cells
