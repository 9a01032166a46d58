"""Green and key projects, pushes to banks and the banks' answers: snapshots survive later edits, a bank reads
and answers only the lists pushed to it, every write is audited; the import is all or nothing and scoped."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from jingkai.accounts.models import OrgUnit
from jingkai.audit.models import AuditEntry
from jingkai.enterprises.uscc import make_uscc
from jingkai.finance import catalogue, services
from jingkai.finance.models import Feedback, GreenProject, Push, PushItem
from jingkai.intake.services import run_import, write_template
from jingkai.testing import make_user

GOOD_USCC = make_uscc("620100", "MA00000A")


def data(zone, **overrides) -> services.ProjectData:
    values = {"zone_id": zone.pk, "name": "屋顶分布式光伏项目", "category": "distributed_pv", "borrower": "某新能源有限公司",
              "uscc": GOOD_USCC, "capex": Decimal("5000"), "finance_need": Decimal("3000"),
              "co2_saved": Decimal("4500"), "channels": ("green_loan",)}
    return services.ProjectData(**(values | overrides))


@pytest.fixture
def banks(site_data):
    a = OrgUnit.objects.create(code="bank-test-a", name="测试银行甲分行", kind=OrgUnit.Kind.BANK)
    b = OrgUnit.objects.create(code="bank-test-b", name="测试银行乙分行", kind=OrgUnit.Kind.BANK)
    return {"a": a, "b": b, "user_a": make_user("bank-a", "bank-test-a"), "user_b": make_user("bank-b", "bank-test-b")}


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_catalogue_marks_every_unchecked_category_pending():
    cat = catalogue.current()
    assert {"distributed_pv", "storage", "waste_heat", "recycling", "energy_retrofit"} <= set(cat.categories)
    assert {c.name for c in cat.channels.values()} == {"绿色贷款", "中央预算内投资", "超长期特别国债", "地方政府专项债"}
    assert all(c.status == catalogue.PENDING and c.official_ref is None and c.basis for c in cat.categories.values())
    assert cat.documents and cat.reliability


def test_a_push_keeps_what_the_bank_received(site_data, lz_zone_user, banks):
    project = services.create_project(lz_zone_user, data(site_data["GS-LZ"]))
    [sent] = services.push(lz_zone_user, services.PushRequest([project.pk], [banks["a"].pk], "十一月清单"))
    services.update_project(lz_zone_user, project, data(site_data["GS-LZ"], name="改名后的项目", capex=Decimal("9000")))
    item = PushItem.objects.get(push=sent)
    assert (item.snapshot["name"], item.snapshot["capex"], item.snapshot["category_name"]) == (
        "屋顶分布式光伏项目", 5000.0, "分布式光伏")
    assert item.snapshot["channel_names"] == ["绿色贷款"] and item.snapshot["uscc"] == GOOD_USCC
    sheet = openpyxl.load_workbook(io.BytesIO(client(banks["user_a"]).get(
        reverse("finance:push_export", args=[sent.pk])).content)).worksheets[0]
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert "屋顶分布式光伏项目" in cells and "改名后的项目" not in cells and 5000 in cells
    actions = set(AuditEntry.objects.filter(model__startswith="finance.").values_list("action", flat=True))
    assert actions == {"create", "update", "push"}
    push_entry = AuditEntry.objects.get(action="push")
    assert push_entry.user == lz_zone_user and push_entry.after["bank"] == "测试银行甲分行"
    assert push_entry.after["projects"] == [project.pk]


def test_a_bank_reads_and_answers_only_its_own_lists(site_data, lz_zone_user, prov_user, banks):
    project = services.create_project(lz_zone_user, data(site_data["GS-LZ"]))
    to_a, to_b = (services.push(lz_zone_user, services.PushRequest([project.pk], [banks[k].pk], f"清单{k}"))[0]
                  for k in ("a", "b"))
    bank = client(banks["user_a"])
    assert bank.get(reverse("finance:push", args=[to_a.pk])).status_code == 200
    assert bank.get(reverse("finance:push", args=[to_b.pk])).status_code == 404
    assert bank.get(reverse("api:get_push", args=[to_b.pk])).status_code == 404
    listed = bank.get(reverse("api:list_pushes")).json()
    assert [p["id"] for p in listed["items"]] == [to_a.pk] and listed["items"][0]["bank"] == "测试银行甲分行"
    assert bank.get(reverse("finance:projects")).status_code == 403
    assert bank.get(reverse("finance:project", args=[project.pk])).status_code == 403
    assert bank.get(reverse("api:list_green_projects")).json() == {"count": 0, "items": []}
    item_b = to_b.items.get()
    with pytest.raises(PermissionDenied):
        services.answer(banks["user_a"], item_b, Feedback.CREDITED, "x")
    assert bank.post(reverse("finance:feedback", args=[to_b.pk, item_b.pk]), {"feedback": "credited"}).status_code == 404
    item_a = to_a.items.get()
    response = bank.post(reverse("finance:feedback", args=[to_a.pk, item_a.pk]),
                         {"feedback": "credited", "feedback_note": "授信 2000 万元"})
    assert response.status_code == 302
    item_a.refresh_from_db()
    assert (item_a.feedback, item_a.feedback_note, item_a.feedback_by) == ("credited", "授信 2000 万元", banks["user_a"])
    entry = AuditEntry.objects.get(action="feedback")
    assert entry.user == banks["user_a"] and entry.after["feedback"] == "credited" and entry.before["feedback"] == ""
    # the pushing office sees the answer, on the push and on the project
    office = client(lz_zone_user).get(reverse("finance:push", args=[to_a.pk])).content.decode()
    assert "已授信" in office and "授信 2000 万元" in office
    assert "已授信" in client(prov_user).get(reverse("finance:project", args=[project.pk])).content.decode()
    # an office cannot answer for a bank
    with pytest.raises(PermissionDenied):
        services.answer(lz_zone_user, item_a, Feedback.CONTACTED)


def test_ineligible_needs_a_reason_and_pending_is_no_answer(site_data, lz_zone_user, banks):
    project = services.create_project(lz_zone_user, data(site_data["GS-LZ"]))
    [sent] = services.push(lz_zone_user, services.PushRequest([project.pk], [banks["a"].pk], "清单"))
    item = sent.items.get()
    with pytest.raises(ValidationError):
        services.answer(banks["user_a"], item, Feedback.INELIGIBLE, "  ")
    with pytest.raises(ValidationError):
        services.answer(banks["user_a"], item, Feedback.PENDING, "x")
    assert not AuditEntry.objects.filter(action="feedback").exists()


def test_a_zone_pushes_only_its_own_projects_to_banks(site_data, lz_zone_user, jc_zone_user, banks):
    theirs = services.create_project(jc_zone_user, data(site_data["GS-JC"]))
    with pytest.raises(ValidationError) as refused:
        services.push(lz_zone_user, services.PushRequest([theirs.pk], [banks["a"].pk], "清单"))
    assert "不在您的数据范围内" in str(refused.value)
    mine = services.create_project(lz_zone_user, data(site_data["GS-LZ"]))
    with pytest.raises(ValidationError):  # a zone committee is no bank
        services.push(lz_zone_user, services.PushRequest([mine.pk], [lz_zone_user.org_unit_id], "清单"))
    with pytest.raises(PermissionDenied):
        services.push(banks["user_a"], services.PushRequest([mine.pk], [banks["b"].pk], "清单"))
    assert not Push.objects.exists()


def test_one_push_per_bank_from_the_page(site_data, prov_user, lz_zone_user, banks):
    project = services.create_project(lz_zone_user, data(site_data["GS-LZ"]))
    response = client(prov_user).post(reverse("finance:push_new"), {
        "title": "全省绿色项目清单", "banks": [banks["a"].pk, banks["b"].pk], "projects": [project.pk], "note": ""})
    assert response.status_code == 302
    assert sorted(Push.objects.values_list("bank__code", "owner__code")) == [
        ("bank-test-a", "province"), ("bank-test-b", "province")]
    # the 兰州 committee does not see the province's pushes in its log
    assert client(lz_zone_user).get(reverse("api:list_pushes")).json()["count"] == 0


def test_a_bad_uscc_or_category_is_refused_in_chinese(site_data, lz_zone_user):
    with pytest.raises(ValidationError) as bad:
        services.create_project(lz_zone_user, data(site_data["GS-LZ"], uscc="91620100MA00000A0X"[:17] + "1",
                                                   category="solar", channels=("loan",)))
    errors = bad.value.message_dict
    assert "统一社会信用代码有误" in errors["uscc"][0] and "不在" in errors["category"][0] and "loan" in errors["channels"][0]
    page = client(lz_zone_user).post(reverse("finance:create"), {
        "zone": site_data["GS-LZ"].pk, "name": "x", "category": "distributed_pv", "borrower": "y", "uscc": "123",
        "capex": "1", "finance_need": "1", "status": "reserve"})
    assert page.status_code == 200 and "统一社会信用代码有误" in page.content.decode()
    assert not GreenProject.objects.exists()
    with pytest.raises(PermissionDenied):
        services.create_project(lz_zone_user, data(site_data["GS-JC"]))


def test_the_edit_page_saves_and_audits(site_data, lz_zone_user):
    project = services.create_project(lz_zone_user, data(site_data["GS-LZ"]))
    response = client(lz_zone_user).post(reverse("finance:edit", args=[project.pk]), {
        "zone": site_data["GS-LZ"].pk, "name": project.name, "category": "storage", "borrower": project.borrower,
        "uscc": GOOD_USCC.lower(), "capex": "6000", "finance_need": "3000", "channels": ["green_loan", "special_bonds"],
        "status": "building"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.category, project.capex, project.channels, project.uscc) == (
        "storage", Decimal("6000"), ["green_loan", "special_bonds"], GOOD_USCC)
    entry = AuditEntry.objects.get(action="update")
    assert entry.before == {"category": "分布式光伏", "capex": "5000.00", "channels": ["绿色贷款"], "status": "reserve",
                            "co2_saved": "4500.00"}  # not sent by the form: now empty
    assert entry.after["channels"] == ["绿色贷款", "地方政府专项债"] and entry.after["category"] == "储能"


HEAD = "zone_code,name,category,borrower,uscc,capex,finance_need,co2_saved,channels,status\n"


def test_import_is_all_or_nothing_scoped_and_names_each_bad_cell(site_data, lz_zone_user, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(HEAD + f"GS-LZ,甲项目,分布式光伏,甲公司,{GOOD_USCC},5000,3000,4000,绿色贷款;超长期特别国债,在建\n"
                 f"GS-JC,乙项目,储能,乙公司,{GOOD_USCC},100,50,,绿色贷款,谋划储备\n"
                 "GS-LZ,丙项目,光伏,丙公司,91620100MA00000A01,-5,50,,银行承兑,在建\n", encoding="utf-8")
    result = run_import("green-projects", f, user=lz_zone_user)
    assert not result.ok and not GreenProject.objects.exists()
    messages = {(e.row, e.column.split("（")[0]): (e.value, e.message) for e in result.errors}
    assert "无权导入园区 GS-JC" in messages[(3, "所在园区")][1]
    assert messages[(4, "项目类别")][0] == "光伏" and "分布式光伏" in messages[(4, "项目类别")][1]
    assert "统一社会信用代码有误" in messages[(4, "融资主体统一社会信用代码")][1]
    assert (4, "总投资") in messages
    assert messages[(4, "拟申请融资渠道")][0] == "银行承兑"
    good = tmp_path / "good.csv"
    good.write_text(HEAD + f"GS-LZ,甲项目,分布式光伏,甲公司,{GOOD_USCC},5000,3000,4000,绿色贷款;超长期特别国债,在建\n",
                    encoding="utf-8")
    result = run_import("green-projects", good, user=lz_zone_user)
    assert result.ok and result.created == 1, result.errors
    project = GreenProject.objects.get()
    assert (project.category, project.channels, project.status, project.catalogue) == (
        "distributed_pv", ["green_loan", "ultra_long_bonds"], "building", catalogue.current().id)


def test_template_has_chinese_headings_with_units(db, tmp_path):
    path = write_template("green-projects", tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]
    headings = {c.value for row in sheet.iter_rows(max_row=6) for c in row if c.value}
    assert {"总投资（万元）", "融资需求（万元）", "预计年减排二氧化碳（吨二氧化碳/年）", "项目类别"} <= headings


def test_a_malformed_choice_is_a_form_error(site_data, prov_user, banks):
    response = client(prov_user).post(reverse("finance:push_new"), {
        "title": "x", "banks": ["99999999999999999999"], "projects": ["abc"]})
    assert response.status_code == 200 and "不是可选的" in response.content.decode()
    assert not Push.objects.exists()
