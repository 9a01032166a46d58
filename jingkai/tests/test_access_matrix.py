"""Every URL and API endpoint × every role: the status each gets. A page or endpoint without a row in RULES
fails the suite, so nobody adds one without deciding who may use it.

Roles: anonymous, an account without an organisation (none), the province (省商务厅, not a superuser), a
department (工信厅), a city (兰州市), a zone committee (兰州经开区) and a bank (演示银行甲分行: it sees the lists
pushed to it and nothing else; everywhere else it gets what an account without an organisation gets). Objects come in two variants: `own`
(兰州's zone, enterprise, task, submission …) and `other` (金昌's), so a zone user reaching another zone by
URL is tested (404: existence is not disclosed). Built on the small demo database (every domain's data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jingkai.accounts.models import OrgUnit, User
from jingkai.demo import generate as gen
from jingkai.demo.build import build_demo

ROLES = ("anonymous", "none", "province", "department", "city", "zone", "bank")
TODAY = dt.date(2026, 11, 25)
SMALL = gen.DemoSize(enterprises=200, east=4, central=3, west=5)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SKIPPED_NAMESPACES = ("admin:",)  # Django's admin: staff only, its own permission model (tested in audit)


def statuses(anonymous: int = 302, none: int = 403, province: int = 200, department: int = 200,
             city: int = 200, zone: int = 200, bank: int | None = None) -> dict[str, int]:
    """`bank` defaults to `none`'s: a bank holds no right outside the finance lists and sees no zone."""
    return {"anonymous": anonymous, "none": none, "province": province, "department": department,
            "city": city, "zone": zone, "bank": none if bank is None else bank}


PAGE = statuses()  # every signed-in role with an organisation
API = statuses(anonymous=401, none=200)  # a user without an organisation sees empty lists


@dataclass(frozen=True)
class Rule:
    expected: dict[str, int]
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda s: {}
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
    query: str = ""


def _urls(patterns, namespace: str = "") -> list[str]:
    names: list[str] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            names += _urls(p.url_patterns, namespace + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern) and p.name:
            names.append(namespace + p.name)
    return names


def every_url_name() -> list[str]:
    return sorted({n for n in _urls(get_resolver().url_patterns) if not n.startswith(SKIPPED_NAMESPACES)})


def _own_assignment() -> int:
    from jingkai.chains.models import LinkAssignment

    return LinkAssignment.objects.filter(enterprise__zone__code="GS-LZ").order_by("id").values_list("pk", flat=True)[0]


def _purchase(zone: str) -> int:
    """A 链主采购 of the zone (the small demo gives purchase data to some 链主 only)."""
    from jingkai.chains.models import ChainLeader, LeaderPurchase
    from jingkai.enterprises.models import Enterprise

    found = LeaderPurchase.objects.filter(leader__enterprise__zone__code=zone).order_by("id").first()
    if found is None:
        leader = ChainLeader.objects.filter(enterprise__zone__code=zone).order_by("id").first() or (
            ChainLeader.objects.create(enterprise=Enterprise.objects.filter(zone__code=zone).order_by("uscc").first(),
                                       catalogue="gansu-key-chains", chain="GS-NE", demo=True))
        found = LeaderPurchase.objects.create(leader=leader, year=2025, supplier="演示供应商", amount=100.0, demo=True)
    return found.pk


def _samples() -> dict[str, Any]:
    """The objects the URLs name, own (兰州) and other (金昌)."""
    from jingkai.enterprises.models import Enterprise
    from jingkai.finance.models import GreenProject, Push
    from jingkai.inspections.models import Draw, InspectionPlan, Visit
    from jingkai.investment.models import CoBuild, Event, Project, Team
    from jingkai.jobs.models import Job
    from jingkai.measures.models import ProgressReport, Task
    from jingkai.monitoring.models import Bulletin, Submission

    lz, jc = "GS-LZ", "GS-JC"
    own_task = Task.objects.filter(zone__code=lz).order_by("id").first()
    other_task = Task.objects.filter(zone__code=jc).order_by("id").first()
    return {
        "own_zone": lz, "other_zone": jc,
        "own_uscc": Enterprise.objects.filter(zone__code=lz).order_by("uscc").values_list("uscc", flat=True)[0],
        "other_uscc": Enterprise.objects.filter(zone__code=jc).order_by("uscc").values_list("uscc", flat=True)[0],
        "own_task": own_task.pk, "other_task": other_task.pk,
        "own_report": ProgressReport.objects.filter(task=own_task).values_list("pk", flat=True).first(),
        "own_attached_report": ProgressReport.objects.get(task=own_task, attachment_name="佐证材料.pdf").pk,
        "other_attached_report": ProgressReport.objects.get(task=other_task, attachment_name="佐证材料.pdf").pk,
        "own_submission_id": Submission.objects.filter(zone__code=lz).order_by("id").first().pk,
        "other_submission_id": Submission.objects.filter(zone__code=jc).order_by("id").first().pk,
        "published_bulletin": Bulletin.objects.get(period="2026-09", state=Bulletin.State.PUBLISHED).pk,
        "draft_bulletin": Bulletin.objects.get(period="2026-09", state=Bulletin.State.DRAFT).pk,
        "own_project": Project.objects.filter(zone__code=lz).order_by("id").first().pk,
        "other_project": Project.objects.filter(zone__code=jc).order_by("id").first().pk,
        "own_event": Event.objects.filter(zone__code=lz).order_by("id").first().pk,
        "own_co_build": CoBuild.objects.filter(zone__code=lz).order_by("id").first().pk,
        "other_co_build": CoBuild.objects.filter(zone__code=jc).order_by("id").first().pk,
        "own_purchase": _purchase(lz), "other_purchase": _purchase(jc),
        "own_team": Team.objects.filter(zone__code=lz).order_by("id").first().pk,
        "other_team": Team.objects.filter(zone__code=jc).order_by("id").first().pk,
        "other_event": Event.objects.filter(zone__code=jc).order_by("id").first().pk,
        "own_draw": Draw.objects.get(zone__code=lz).pk, "other_draw": Draw.objects.get(zone__code=jc).pk,
        # a job is its submitter's alone: this one is demo-admin's, who is none of the roles tested
        "stranger_job": Job.objects.create(kind="intake.export", title="导出", user=User.objects.get(username="demo-admin")).pk,
        # plans belong to departments: the matrix's department (工信厅) drafts one; 市场监管局's 专项 awaits approval
        "published_plan": InspectionPlan.objects.filter(state="published").order_by("id").first().pk,
        "own_plan": InspectionPlan.objects.get(department__code="dept-gxt", state="draft").pk,
        "other_plan": InspectionPlan.objects.get(department__code="dept-scjgj", state="submitted").pk,
        "own_visit": Visit.objects.filter(zone__code=lz).order_by("id").first().pk,
        "other_visit": Visit.objects.filter(zone__code=jc).order_by("id").first().pk,
        "own_notice": {"draw_id": (d := Draw.objects.get(zone__code=lz)).pk, "uscc": d.result["visits"][0]["uscc"]},
        "other_notice": {"draw_id": (d := Draw.objects.get(zone__code=jc)).pk, "uscc": d.result["visits"][0]["uscc"]},
        "own_user": User.objects.get(username="demo-gs-lz").pk,
        # finance: the demo's push (兰州 → 演示银行甲分行, the matrix's bank) and one by 金昌 to 乙分行
        "own_green": GreenProject.objects.filter(zone__code=lz).order_by("id").first().pk,
        "other_green": GreenProject.objects.filter(zone__code=jc).order_by("id").first().pk,
        "own_push": (p := Push.objects.get(owner__code="zone-gs-lz", bank__code="bank-demo-a")).pk,
        "own_item": {"pk": p.pk, "item": p.items.order_by("position").first().pk},
        "other_push": (q := Push.objects.get(owner__code="zone-gs-jc", bank__code="bank-demo-b")).pk,
        "other_item": {"pk": q.pk, "item": q.items.order_by("position").first().pk},
    }


@pytest.fixture(scope="module")
def matrix_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small demo and the matrix's extra rows, built once per module inside a transaction rolled back at the
    end; each test runs in a savepoint inside it (`matrix_users` asks for `db`), so its writes are undone."""
    from django.core.files.base import ContentFile

    from jingkai.measures.models import ProgressReport, Task
    from jingkai.monitoring.models import Bulletin
    from jingkai.testing import make_user

    media = tmp_path_factory.mktemp("matrix-media")
    with (django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=media),
          transaction.atomic()):
        build_demo(seed=3, size=SMALL, password="pw-demo-123", today=TODAY, progress=False)
        for state in (Bulletin.State.PUBLISHED, Bulletin.State.DRAFT):  # the demo publishes no bulletin
            Bulletin.objects.create(period="2026-09", state=state, document=b"PK", sha256="0" * 64)
        for zone in ("GS-LZ", "GS-JC"):  # a report with an attachment on the own and the other zone's task
            task = Task.objects.filter(zone__code=zone).order_by("id").first()
            report = ProgressReport.objects.create(task=task, period="2000-01", text="x", progress=0,
                                                   attachment_name="佐证材料.pdf")
            report.attachment.save("x.pdf", ContentFile(b"%PDF-1.4\n"))
        _push_from_jinchang()
        city = OrgUnit.objects.get(kind=OrgUnit.Kind.CITY, name="兰州市")
        users = {
            "none": make_user("matrix-none"),
            "province": make_user("matrix-province", "province"),
            "department": User.objects.get(username="demo-dept-gxt"),
            "city": make_user("matrix-city", city.code),
            "zone": User.objects.get(username="demo-gs-lz"),
            "bank": User.objects.get(username="demo-bank-a"),
        }
        yield {role: user.pk for role, user in users.items()}
        transaction.set_rollback(True)


@pytest.fixture
def matrix_users(matrix_data, db):
    """Fresh user objects each test (no permission cache carried over from another test)."""
    return {role: User.objects.get(pk=pk) for role, pk in matrix_data.items()}


def _push_from_jinchang() -> None:
    """A list another zone (金昌) pushed to another bank (乙分行): outside the 兰州 users' and 甲分行's reach."""
    from jingkai.finance import services
    from jingkai.finance.models import GreenProject

    sender = User.objects.get(username="demo-gs-jc")
    bank = OrgUnit.objects.get(code="bank-demo-b")
    ids = list(GreenProject.objects.filter(zone__code="GS-JC").values_list("pk", flat=True)[:2])
    services.push(sender, services.PushRequest(ids, [bank.pk], "金昌经开区项目清单"))


def _client(role: str, users: dict[str, User], handler: ClientHandler | None = None) -> Client:
    """A fresh client (its own cookies) signed in as `role`. `handler`: one shared by a test's many clients; each
    new one loads the middleware again (WhiteNoise's scan of the static files: ~0.05 s a client)."""
    client = Client(raise_request_exception=False)
    if handler is not None:
        client.handler = handler
    if role != "anonymous":
        client.force_login(users[role])
    return client



def own(key: str, arg: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda s: {arg: s[f"own_{key}"]}


def other(key: str, arg: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda s: {arg: s[f"other_{key}"]}


OTHER = statuses(city=404, zone=404)  # another zone's object: outside a city's or a zone's scope
POST_ONLY = statuses(none=403, province=405, department=405, city=405, zone=405)
POST_ONLY_OPEN = statuses(none=405, province=405, department=405, city=405, zone=405)
PROVINCE_ONLY = statuses(department=403, city=403, zone=403)


def zone_pages(kwargs_arg: str, key: str = "zone") -> list[Rule]:
    return [Rule(PAGE, own(key, kwargs_arg)), Rule(OTHER, other(key, kwargs_arg))]


RULES = {
    # core
    "login": [Rule(statuses(anonymous=200, none=200))],
    "logout": [Rule(statuses(anonymous=405, none=405, province=405, department=405, city=405, zone=405)),
               Rule(statuses(anonymous=302, none=302, province=302, department=302, city=302, zone=302),
                    method="post")],
    "home": [Rule(statuses(zone=302, bank=302))],  # a zone committee goes to its own zone, a bank to its lists
    "todo": [Rule(statuses(none=200))],
    "account": [Rule(statuses(none=200))],  # 我的账户: an account without a unit reads that it sees nothing
    "dictionary": [Rule(statuses(none=200))],
    # no login, no data; 503 here since no job worker runs beside the test (tested in jobs)
    "healthz": [Rule(dict.fromkeys(ROLES, 503))],
    # jobs: only the submitter's own
    "jobs:list": [Rule(PAGE)],
    **{f"jobs:{name}": [Rule(statuses(province=404, department=404, city=404, zone=404),
                             lambda s: {"pk": s["stranger_job"]})] for name in ("detail", "download")},
    "jobs:cancel": [Rule(POST_ONLY, lambda s: {"pk": s["stranger_job"]}),
                    Rule(statuses(province=404, department=404, city=404, zone=404),
                         lambda s: {"pk": s["stranger_job"]}, method="post")],  # 数据字典: definitions only, no figures  # 我的待办: an account without a unit reads that nothing waits
    # zones
    "zones:list": [Rule(statuses(zone=302))],
    "zones:mine": [Rule(statuses(province=302, department=302, city=302, zone=302))],
    "zones:detail": zone_pages("code"),
    "zones:entry": [Rule(PAGE)],  # a department reads why it cannot enter zone data
    # enterprises
    "enterprises:list": [Rule(PAGE)],
    "enterprises:detail": zone_pages("uscc", "uscc"),
    # intake
    "intake:import": [Rule(PAGE)],  # a department reads why it cannot import
    "intake:template": [Rule(PAGE, lambda s: {"kind": "enterprises"})],
    "intake:report": [Rule(statuses(province=404, department=404, city=404, zone=404),
                           lambda s: {"sha": "0" * 64, "name": "x.errors.xlsx"})],  # only the importing session's
    "intake:export": [Rule(PAGE, lambda s: {"kind": "enterprises", "fmt": "csv"}),
                      Rule(OTHER, lambda s: {"kind": "enterprises", "fmt": "csv"}, query="?zone=GS-JC")],
    # evaluation
    "evaluation:ranking": [Rule(PAGE)],
    "evaluation:export_ranking": [Rule(PAGE)],
    "evaluation:scorecard": zone_pages("code"),
    "evaluation:export_scorecard": zone_pages("code"),
    "evaluation:compute": [Rule(POST_ONLY), Rule(PROVINCE_ONLY | {"province": 302}, method="post")],
    "evaluation:what_if": [Rule(POST_ONLY, own("zone", "code")),
                           Rule(statuses(), own("zone", "code"), method="post")],
    "evaluation:target": [Rule(POST_ONLY, own("zone", "code")),
                          Rule(statuses(), own("zone", "code"), method="post")],
    # investment (a department reads the pipeline, does not enter it)
    "investment:board": [Rule(PAGE)],
    "investment:create": [Rule(statuses(department=403))],
    "investment:landing": [Rule(PAGE)],
    "investment:key_foreign": [Rule(PAGE)],
    "investment:key_foreign_export": [Rule(PAGE), Rule(PAGE, query="?month=2026-13")],
    "investment:ledger_export": [Rule(PAGE)],
    "investment:events": [Rule(PAGE)],
    "investment:event": zone_pages("pk", "event"),
    "investment:co_builds": [Rule(PAGE)],
    "investment:event_create": [Rule(statuses(department=403))],
    "investment:event_edit": [Rule(statuses(department=403), own("event", "pk")),
                              Rule(statuses(department=403, city=404, zone=404), other("event", "pk"))],
    "investment:co_build_create": [Rule(statuses(department=403))],
    "investment:co_build_edit": [Rule(statuses(department=403), own("co_build", "pk")),
                                 Rule(statuses(department=403, city=404, zone=404), other("co_build", "pk"))],
    "investment:teams": [Rule(PAGE)],
    "investment:team_create": [Rule(statuses(department=403))],
    "investment:team_edit": [Rule(statuses(department=403), own("team", "pk")),
                             Rule(statuses(department=403, city=404, zone=404), other("team", "pk"))],
    "investment:performance_export": [Rule(PAGE)],
    "investment:project": zone_pages("pk", "project"),
    **{f"investment:{name}": [Rule(POST_ONLY | {"department": 403}, own("project", "pk")),
                              Rule(statuses(province=302, department=403, city=302, zone=302), own("project", "pk"),
                                   method="post"),
                              Rule(statuses(province=302, department=403, city=404, zone=404), other("project", "pk"),
                                   method="post")]
       for name in ("follow_up", "agreement", "transition", "fdi_receipt")},
    # finance: a department reads the projects; a bank only the lists pushed to it (404 for another bank's)
    "finance:projects": [Rule(PAGE), Rule(PAGE, query="?category=storage&channel=green_loan&q=x&sort=capex")],
    "finance:export": [Rule(PAGE)],
    "finance:create": [Rule(statuses(department=403))],
    "finance:project": zone_pages("pk", "green"),
    "finance:edit": [Rule(statuses(department=403), own("green", "pk")),
                     Rule(statuses(department=403, city=404, zone=404), other("green", "pk"))],
    "finance:pushes": [Rule(statuses(department=403, bank=200))],
    "finance:push_new": [Rule(statuses(department=403))],
    **{f"finance:{name}": [Rule(statuses(department=403, bank=200), own("push", "pk")),
                           Rule(statuses(department=403, city=404, zone=404, bank=404), other("push", "pk"))]
       for name in ("push", "push_export")},
    "finance:feedback": [Rule(statuses(province=403, department=403, city=403, zone=403, bank=405),
                              lambda s: s["own_item"]),
                         Rule(statuses(none=403, province=403, department=403, city=403, zone=403, bank=302),
                              lambda s: s["own_item"], method="post", data={"feedback": "contacted"}),
                         Rule(statuses(none=403, province=403, department=403, city=403, zone=403, bank=404),
                              lambda s: s["other_item"], method="post", data={"feedback": "contacted"})],
    # carbon
    "carbon:index": [Rule(PAGE)],
    "carbon:zone": zone_pages("code"),
    "carbon:certificates": [Rule(PAGE)],
    "carbon:report": zone_pages("code"),
    # the zone's committee or the province confirms the gate, runs and freezes accounts (its own zone only)
    "carbon:gate": [Rule(statuses(department=403, city=403), own("zone", "code")),
                    Rule(statuses(department=403, city=403, zone=404), other("zone", "code"))],
    "carbon:account": [Rule(statuses(province=405, department=403, city=403, zone=405), own("zone", "code"))],
    "carbon:freeze": [Rule(statuses(province=405, department=403, city=403, zone=405), own("zone", "code"))],
    # 核算 every zone in scope: a job (province and zone committees hold carbon.compute)
    "carbon:compute": [Rule(statuses(province=405, department=403, city=403, zone=405)),
                       Rule(statuses(province=302, department=403, city=403, zone=302), method="post",
                            data={"year": "2025"})],
    # inspections
    "inspections:index": [Rule(PAGE)],
    "inspections:draw": zone_pages("draw_id", "draw"),
    "inspections:certificate": zone_pages("draw_id", "draw"),
    "inspections:draw_xlsx": zone_pages("draw_id", "draw"),
    "inspections:draw_new": [Rule(PROVINCE_ONLY)],
    "inspections:plans": [Rule(PAGE)],
    "inspections:notice": [Rule(PAGE, lambda s: s["own_notice"]), Rule(OTHER, lambda s: s["other_notice"])],
    "inspections:visits": [Rule(PAGE), Rule(PAGE, query="?overdue=1")],
    "inspections:results_xlsx": [Rule(PAGE)],
    "inspections:visit": zone_pages("pk", "visit"),
    "inspections:report": [Rule(PAGE), Rule(PAGE, query="?zone=GS-JC&month=2026-13")],  # outside scope: own zone
    "inspections:plan_new": [Rule(statuses(province=403, city=403, zone=403))],  # a department drafts its own
    "inspections:plan": [Rule(PAGE, lambda s: {"pk": s["published_plan"]}),
                         Rule(statuses(city=404, zone=404), own("plan", "pk")),
                         Rule(statuses(department=404, city=404, zone=404), other("plan", "pk"))],
    "inspections:plan_action": [Rule(POST_ONLY, own("plan", "pk")),
                                Rule(statuses(none=403, province=302, department=302, city=302, zone=302),
                                     lambda s: {"pk": s["published_plan"]}, method="post", data={"action": "publish"}),
                                Rule(statuses(none=403, province=302, department=404, city=404, zone=404),
                                     other("plan", "pk"), method="post", data={"action": "approve"})],
    # programmes
    "programmes:index": [Rule(PAGE)],
    "programmes:page": [Rule(PAGE, lambda s: {"slug": "mujun"})],
    "programmes:export": [Rule(PAGE, lambda s: {"slug": "mujun"})],
    # 运行评价: a job for the province and the departments (programmes.run); a GET goes back to the page
    "programmes:run": [Rule(statuses(province=302, department=302, city=403, zone=403), lambda s: {"slug": "mujun"}),
                       Rule(statuses(province=302, department=302, city=403, zone=403), lambda s: {"slug": "mujun"},
                            method="post", data={"year": "2024"})],
    "programmes:enterprise": zone_pages("uscc", "uscc"),
    "programmes:zone_mujun": zone_pages("code"),
    # measures
    "measures:dashboard": [Rule(PAGE)],
    "measures:catalogue": [Rule(PAGE)],
    "measures:item": [Rule(PAGE, lambda s: {"code": "1.1"})],
    "measures:tasks": [Rule(PAGE)],
    "measures:task": [Rule(statuses(department=404), own("task", "task_id")),
                      Rule(statuses(department=404, city=404, zone=404), other("task", "task_id"))],
    "measures:report_save": [Rule(POST_ONLY, own("task", "task_id"))],
    "measures:report_action": [Rule(POST_ONLY, lambda s: {"report_id": s["own_report"], "action": "submit"})],
    "measures:attachment": [Rule(statuses(department=404), own("attached_report", "report_id")),
                            Rule(statuses(department=404, city=404, zone=404), other("attached_report", "report_id"))],
    "measures:export_progress": [Rule(PAGE)],
    "measures:export_bulletin": [Rule(PAGE)],
    # monitoring
    "monitoring:dashboard": [Rule(PAGE)],
    "monitoring:indicator": [Rule(PAGE, lambda s: {"key": "industrial_output"})],  # rows of the user's zones
    "monitoring:zone_indicator": [Rule(PAGE, lambda s: {"key": "industrial_output", "zone_code": s["own_zone"]}),
                                  Rule(OTHER, lambda s: {"key": "industrial_output", "zone_code": s["other_zone"]})],
    "monitoring:submissions": [Rule(PAGE)],
    "monitoring:submission": zone_pages("submission_id", "submission_id"),
    "monitoring:correction_request": [Rule(POST_ONLY, own("submission_id", "submission_id"))],
    "monitoring:withdraw": [Rule(statuses(none=403, province=403, department=403, city=405, zone=405),
                                 own("submission_id", "submission_id")),  # only a zone or its city withdraws
                            # another zone's report by URL: outside a city's or a zone's scope (nothing disclosed)
                            Rule(statuses(none=403, province=403, department=403, city=404, zone=404),
                                 other("submission_id", "submission_id"), method="post", data={"reason": "测试"})],
    "monitoring:batch_review": [Rule(statuses(none=403, province=405, department=403, city=403, zone=403)),
                                Rule(PROVINCE_ONLY | {"none": 403, "province": 302}, method="post")],
    "monitoring:correction_review": [Rule(POST_ONLY, lambda s: {"correction_id": 1})],  # GET: 405 before the lookup
    "monitoring:submit": [Rule(POST_ONLY, lambda s: {"zone_code": "GS-LZ", "period": "2026-10"})],
    "monitoring:bulletins": [Rule(PAGE)],
    "monitoring:bulletin_download": [
        Rule(PAGE, lambda s: {"bulletin_id": s["published_bulletin"]}),
        Rule(statuses(department=404, city=404, zone=404), lambda s: {"bulletin_id": s["draft_bulletin"]})],
    "monitoring:bulletin_advance": [Rule(POST_ONLY, lambda s: {"bulletin_id": s["draft_bulletin"]})],
    # chains
    "chains:index": [Rule(PAGE)],
    "chains:chain": [Rule(PAGE, lambda s: {"chain": "GS-NE"}, query="?zone=GS-LZ"),
                     Rule(OTHER, lambda s: {"chain": "GS-NE"}, query="?zone=GS-JC")],
    "chains:link": [Rule(PAGE, lambda s: {"chain": "GS-NE", "link": "GS-NE-03"}, query="?zone=GS-LZ"),
                    Rule(OTHER, lambda s: {"chain": "GS-NE", "link": "GS-NE-03"}, query="?zone=GS-JC")],
    "chains:leaders": [Rule(PAGE)],
    "chains:targets": [Rule(PAGE)],
    "chains:purchases": [Rule(PAGE)],
    "chains:purchase_create": [Rule(statuses(department=403))],
    "chains:purchase_edit": [Rule(statuses(department=403), own("purchase", "pk")),
                             Rule(statuses(department=403, city=404, zone=404), other("purchase", "pk"))],
    "chains:gaps_export": [Rule(PAGE, query="?zone=GS-LZ"), Rule(OTHER, query="?zone=GS-JC")],
    "chains:gaps_word": [Rule(PAGE, query="?zone=GS-LZ"), Rule(OTHER, query="?zone=GS-JC")],
    "chains:run": [Rule(PROVINCE_ONLY | {"province": 405})],  # POST (the whole assignment) is tested in chains
    "chains:decide": [Rule(POST_ONLY | {"department": 403}, lambda s: {"assignment_id": _own_assignment()})],
    "chains:add_link": [Rule(POST_ONLY | {"department": 403}, own("uscc", "uscc"))],
    # 系统管理: the province's only (writes are POST; their effects are tested in sysadmin)
    **{f"sysadmin:{name}": [Rule(PROVINCE_ONLY)] for name in ("users", "user_create", "roles", "units", "codes", "log")},
    "sysadmin:user": [Rule(PROVINCE_ONLY, own("user", "user_id"))],
    **{f"sysadmin:{name}": [Rule(PROVINCE_ONLY | {"province": 405}, own("user", "user_id"))]
       for name in ("user_active", "user_password")},
    # API: bearer token or session; a user without an organisation sees empty lists
    "api:api-root": [Rule(dict.fromkeys(ROLES, 404))],
    "api:openapi-json": [Rule(statuses(none=200))],  # signed-in only (settings.API_DOCS_PUBLIC)
    "api:openapi-view": [Rule(statuses(none=200))],
    "api:me": [Rule(API)],
    "api:list_zones": [Rule(API)],
    "api:list_indicators": [Rule(API)],
    "api:list_indicator_values": [Rule(API)],
    "api:list_enterprises": [Rule(API)],
    "api:list_projects": [Rule(API)],
    "api:list_enterprise_years": [Rule(API)],
    "api:get_zone": [Rule(API | {"none": 404, "bank": 404}, own("zone", "zone_code")),
                     Rule(API | {"none": 404, "bank": 404, "city": 404, "zone": 404}, other("zone", "zone_code"))],
    "api:get_enterprise": [Rule(API | {"none": 404, "bank": 404}, own("uscc", "uscc")),
                           Rule(API | {"none": 404, "bank": 404, "city": 404, "zone": 404}, other("uscc", "uscc"))],
    "api:get_catalogue": [Rule(API)],
    "api:get_gaps": [Rule(API | {"none": 404, "bank": 404}, own("zone", "zone_code")),
                     Rule(API | {"none": 404, "bank": 404, "city": 404, "zone": 404}, other("zone", "zone_code"))],
    "api:get_targets": [Rule(API | {"none": 404, "bank": 404}, own("zone", "zone_code")),
                        Rule(API | {"none": 404, "bank": 404, "city": 404, "zone": 404}, other("zone", "zone_code"))],
    "api:list_pushes": [Rule(API)],  # a bank: the lists pushed to it; others: their units' pushes
    "api:get_push": [Rule(API | {"none": 404, "department": 404}, own("push", "push_id")),
                     Rule(API | {"none": 404, "department": 404, "city": 404, "zone": 404, "bank": 404},
                          other("push", "push_id"))],
    "api:list_green_projects": [Rule(API)],
    "api:get_enterprise_links": [Rule(API | {"none": 404, "bank": 404}, own("uscc", "uscc")),
                                 Rule(API | {"none": 404, "bank": 404, "city": 404, "zone": 404}, other("uscc", "uscc"))],
}


def test_every_url_has_a_rule():
    missing = [name for name in every_url_name() if name not in RULES]
    assert not missing, f"these URLs have no access rule in {__name__}.RULES: {missing}"


def test_every_role_gets_the_expected_status(matrix_users):
    samples = _samples()
    handler = ClientHandler(enforce_csrf_checks=False)
    wrong = []
    for name, rules in RULES.items():
        for rule in rules:
            url = reverse(name, kwargs=rule.kwargs(samples)) + rule.query
            for role in ROLES:
                response = getattr(_client(role, matrix_users, handler), rule.method)(url, rule.data)
                if response.status_code != rule.expected[role]:
                    wrong.append(f"{rule.method.upper()} {url} as {role}: {response.status_code}, "
                                 f"expected {rule.expected[role]}")
                if "Content-Security-Policy" not in response.headers:  # every answer, pages and API alike
                    wrong.append(f"{rule.method.upper()} {url} as {role}: no Content-Security-Policy header")
    assert not wrong, "\n".join(wrong)
