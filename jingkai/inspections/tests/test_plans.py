"""The annual plan's flow on the real workflow helper: the department drafts and submits, another person of the
department holding the approval permission approves (never the submitter), the province files, the department
publishes; 专项 plans stop at the annual quota (the boundary included); unpublished or other departments' items
never pass; the draw page executes only published routine plans."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import override_settings
from openpyxl import load_workbook

from jingkai.accounts.models import User
from jingkai.audit.models import AuditEntry
from jingkai.engines import inspections as engine
from jingkai.inspections import demo, services
from jingkai.inspections.models import Draw, InspectionItem, InspectionPlan
from jingkai.inspections.workflows import PLAN_FLOW
from jingkai.site_fixtures import build_site_data
from jingkai.testing import make_user

TODAY = dt.date(2026, 11, 25)
SCJG = "dept-scjgj"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The site and the inspections demo, built once for this module inside a transaction rolled back at the end;
    each test runs in a savepoint inside it (`people` asks for `db`), so its writes are undone."""
    with (django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic()):
        build_site_data()
        demo.build(7, TODAY)
        clerk = make_user("scjg-clerk", SCJG)
        head = make_user("scjg-head", SCJG)
        head.user_permissions.add(Permission.objects.get(codename="approve_inspectionplan"))
        users = {"clerk": clerk, "head": head, "province": make_user("prov", "province"),
                 "other_dept": make_user("sthj-clerk", "dept-sthjt")}
        yield {name: user.pk for name, user in users.items()}
        transaction.set_rollback(True)


@pytest.fixture
def people(built, db):
    """Fresh user objects each test: the scope and permissions are cached per object."""
    return {name: User.objects.get(pk=pk) for name, pk in built.items()}


def fresh(user):
    """A new user object: the scope and permissions are cached per object (per request)."""
    return type(user).objects.get(pk=user.pk)


def new_plan(clerk, kind=InspectionPlan.Kind.SPECIAL, codes=("SJ-003",), year=2026):
    return services.create_plan(fresh(clerk), year=year, kind=kind, title=f"{kind}计划", starts_on=dt.date(year, 12, 1),
                                ends_on=dt.date(year, 12, 31), reason="演示事由",
                                items=list(InspectionItem.objects.filter(item_code__in=codes)))


def walk(plan, people, until="published"):
    steps = [("submit", "clerk"), ("approve", "head"), ("file", "province"), ("publish", "clerk")]
    for action, who in steps:
        plan = services.advance_plan(fresh(people[who]), plan, action)
        if plan.state == until:
            break
    return plan


def test_plan_walks_draft_to_published_with_audit(people):
    plan = walk(new_plan(people["clerk"], InspectionPlan.Kind.ROUTINE, ("SJ-001", "SJ-002")), people)
    assert plan.state == "published" and plan.approved_by == people["head"] and plan.filed_on and plan.published_on
    actions = list(AuditEntry.objects.filter(model="inspections.InspectionPlan", object_key=str(plan.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["create", "submit", "approve", "file", "publish"]


def test_submitter_may_not_approve_and_only_the_own_department_acts(people):
    head = people["head"]
    plan = services.advance_plan(fresh(head), new_plan(head), "submit")  # the head drafts and submits himself
    with pytest.raises(PermissionDenied, match="本人提交"):
        services.advance_plan(fresh(head), plan, "approve")
    with pytest.raises(PermissionDenied):  # a clerk without the permission
        services.advance_plan(fresh(people["clerk"]), plan, "approve")
    with pytest.raises(PermissionDenied):  # another department
        services.advance_plan(fresh(people["other_dept"]), plan, "approve")
    assert "approve" not in PLAN_FLOW.allowed_actions(fresh(head), plan)
    with pytest.raises(ValidationError, match="待审批"):  # 备案 only after approval
        services.advance_plan(fresh(people["province"]), plan, "file")
    other_head = make_user("scjg-head-2", SCJG)
    other_head.user_permissions.add(Permission.objects.get(codename="approve_inspectionplan"))
    plan = services.advance_plan(fresh(other_head), plan, "approve")  # another person of the department
    with pytest.raises(PermissionDenied):  # 备案 is the province's
        services.advance_plan(fresh(people["clerk"]), plan, "file")
    with pytest.raises(PermissionDenied):  # publishing is the own department's
        services.advance_plan(fresh(people["other_dept"]), services.advance_plan(fresh(people["province"]), plan,
                                                                                 "file"), "publish")


def test_return_needs_a_reason_and_goes_back_to_the_department(people):
    plan = services.advance_plan(fresh(people["clerk"]), new_plan(people["clerk"]), "submit")
    with pytest.raises(ValidationError, match="退回原因"):
        services.advance_plan(fresh(people["head"]), plan, "return")
    plan = services.advance_plan(fresh(people["head"]), plan, "return", "事由不充分")
    assert plan.state == "returned" and plan.comment == "事由不充分"
    assert services.advance_plan(fresh(people["clerk"]), plan, "submit").state == "submitted"


def test_special_quota_allows_exactly_the_quota(people):
    quota = engine.load().special_quota
    assert quota == 3  # the shipped example (待确认)
    for _ in range(quota):  # up to and including the quota: approved
        assert walk(new_plan(people["clerk"]), people, until="approved").state == "approved"
    extra = services.advance_plan(fresh(people["clerk"]), new_plan(people["clerk"]), "submit")
    with pytest.raises(ValidationError, match="年度数量上限为 3 项"):
        services.advance_plan(fresh(people["head"]), extra, "approve")
    # routine plans and other years do not count
    assert walk(new_plan(people["clerk"], InspectionPlan.Kind.ROUTINE), people, until="approved").state == "approved"
    assert walk(new_plan(people["clerk"], year=2027), people, until="approved").state == "approved"


def test_unpublished_and_other_departments_items_are_refused(people):
    other = InspectionItem.objects.get(item_code="HB-001")
    plan = new_plan(people["clerk"])
    plan.items.add(other)
    with pytest.raises(ValidationError, match="省生态环境厅的检查事项"):
        services.advance_plan(fresh(people["clerk"]), plan, "submit")
    unpublished = InspectionItem.objects.create(department="省市场监督管理局", item_code="SJ-099", name="拟公布事项")
    plan.items.set([unpublished])
    with pytest.raises(ValidationError, match="未经公布"):
        services.advance_plan(fresh(people["clerk"]), plan, "submit")
    late = InspectionItem.objects.create(department="省市场监督管理局", item_code="SJ-098", name="年底才公布的事项",
                                         published_on=dt.date(2026, 12, 15))
    plan.items.set([late])  # published after the plan starts (12-01): still refused
    with pytest.raises(ValidationError, match="未经公布"):
        services.advance_plan(fresh(people["clerk"]), plan, "submit")


def test_plan_pages_create_and_act(client, people):
    client.force_login(people["clerk"])
    page = client.get("/inspections/plans/new/").content.decode()
    assert "特种设备使用单位监督检查" in page and "排污许可证执行情况检查" not in page  # own published items only
    item = InspectionItem.objects.get(item_code="SJ-002")
    bad = client.post("/inspections/plans/new/", {"title": "专项", "year": 2026, "kind": "special",
                                                  "starts_on": "2026-12-01", "ends_on": "2026-11-01",
                                                  "items": [item.pk]}).content.decode()
    assert "截止日期不能早于起始日期" in bad and "专项检查计划须写明事由" in bad
    response = client.post("/inspections/plans/new/", {"title": "锅炉专项检查", "year": 2026, "kind": "special",
                                                       "starts_on": "2026-12-01", "ends_on": "2026-12-31",
                                                       "reason": "冬季供暖", "items": [item.pk]})
    plan = InspectionPlan.objects.get(title="锅炉专项检查")
    assert response.status_code == 302 and plan.created_by == people["clerk"]
    client.post(f"/inspections/plans/{plan.pk}/action/", {"action": "submit"})
    client.force_login(people["head"])
    detail = client.get(f"/inspections/plans/{plan.pk}/").content.decode()
    assert "审批通过" in detail and "上限 3 项（示例值，待确认）" in detail and "None" not in detail
    client.post(f"/inspections/plans/{plan.pk}/action/", {"action": "approve"})
    assert InspectionPlan.objects.get(pk=plan.pk).state == "approved"
    client.force_login(people["other_dept"])  # another department: not visible until published
    assert client.get(f"/inspections/plans/{plan.pk}/").status_code == 404
    listing = client.get("/inspections/plans/").content.decode()
    assert "锅炉专项检查" not in listing and "2026年度“双随机、一公开”抽查计划" in listing


def test_start_draw_executes_only_published_routine_plans(client, people):
    province = people["province"]
    client.force_login(province)
    form = client.get("/inspections/draws/new/").content.decode()
    assert "特种设备使用单位监督检查" in form and "环境信息依法披露检查（拟公布）" not in form
    zone = Draw.objects.order_by("id").first().zone
    items = [i.pk for i in InspectionItem.objects.filter(item_code__in=["SJ-002", "RS-001"])]
    bad = client.post("/inspections/draws/new/", {"zone": zone.pk, "period": "2026Q5", "seed": 5, "items": items})
    assert "期间“2026Q5”应写作" in bad.content.decode()
    response = client.post("/inspections/draws/new/", {"zone": zone.pk, "period": "2026Q4", "seed": 20261201,
                                                        "items": items})
    draw = Draw.objects.get(seed=20261201)
    assert response.status_code == 302 and draw.created_by == province
    assert {c for v in draw.result["visits"] for c in v["items"]} <= {"SJ-002", "RS-001"}
    with pytest.raises(ValidationError, match="不在覆盖 2027Q1 的已公布年度检查计划中"):
        services.start_draw(fresh(province), zone, engine.parse_period("2027Q1"), 1,
                            list(InspectionItem.objects.filter(item_code="GX-001")), TODAY)  # 2027's plan: a draft
    with pytest.raises(PermissionDenied):
        services.start_draw(fresh(people["clerk"]), zone, engine.parse_period("2026Q4"), 1, [], TODAY)
    # the 抽查计划 workbook: one row per visit, with names and inspectors
    book = load_workbook(__import__("io").BytesIO(client.get(f"/inspections/draws/{draw.pk}/plan.xlsx").content))
    sheet = book["抽查计划"]
    assert "双随机抽查计划" in sheet["A1"].value and sheet["A3"].value == "序号"
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert len(rows) == len(draw.result["visits"]) and all(r[6] and "：" in r[6] for r in rows)


def test_draw_form_refuses_malformed_item_keys(client, people):
    client.force_login(people["province"])
    page = client.post("/inspections/draws/new/", {"items": ["99999999999999999999"], "period": "2026Q4", "seed": 1})
    assert page.status_code == 200 and "不是可选的检查事项" in page.content.decode()
