"""涉企检查 pages: the stored draws in the user's scope, one draw with its certificate (for 公示) and its
抽查计划 (Excel), the start-draw form; the departments' annual plans and their approval flow."""

import json
import re
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jingkai import lists
from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required, has
from jingkai.downloads import DOCX, XLSX, download
from jingkai.engines import inspections as engine
from jingkai.engines.inspections import UNCLASSIFIED
from jingkai.enterprises.models import Enterprise
from jingkai.inspections import exports, selectors, services
from jingkai.inspections.capabilities import EDIT_PLANS, RUN_DRAWS, VIEW_INSPECTIONS
from jingkai.inspections.forms import DrawForm, PlanForm, ResultForm
from jingkai.inspections.models import Draw, InspectionItem, InspectionPlan, Visit
from jingkai.inspections.workflows import PLAN_FLOW, quota_used, special_quota
from jingkai.jobs.pages import start
from jingkai.spreadsheets import INTEGER
from jingkai.zones.models import Zone

CLASS_LABELS = {"A": "A 类（信用风险低）", "B": "B 类（一般）", "C": "C 类（较高）", "D": "D 类（高）",
                UNCLASSIFIED: "未分类"}


def _draw(request: AuthenticatedHttpRequest, draw_id: int) -> Draw:
    draw = request.user.scope.filter(Draw.objects.select_related("zone", "created_by")).filter(pk=draw_id).first()
    if draw is None:
        raise Http404("没有这次抽取，或不在您的查看范围内")
    return draw


DRAW_COLUMNS = (  # the draws list: sort keys, headings, the list export's columns
    lists.Column("zone", "园区", "zone.name", field="zone__code,period"),
    lists.Column("period", "计划期间", field="period"),
    lists.Column("seed", "随机种子", field="seed"),
    lists.Column("joint", "联合入企（户）", lambda d: d.result.get("summary", {}).get("visits_joint"), kind=INTEGER,
                 sortable=False),
    lists.Column("created_at", "抽取时间", lambda d: d.created_at.strftime("%Y-%m-%d %H:%M"), field="created_at"),
)


@capability_required(VIEW_INSPECTIONS)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:50]  # 查询: a zone's name or a period
    draws = request.user.scope.filter(Draw.objects.select_related("zone"))
    if q:
        draws = draws.filter(Q(zone__name__contains=q) | Q(period__startswith=q))
    table = lists.listing(draws, request.GET, DRAW_COLUMNS, default_sort="-created_at")
    if lists.wants_export(request.GET):
        return lists.export(table, title="双随机抽取记录", filename="双随机抽取记录")
    items = InspectionItem.objects.all()
    return render(request, "inspections/index.html", {"listing": table, "page": table.page, "q": q, "items": items,
                                                      "can_draw": has(request.user, RUN_DRAWS)})


def certificate_of(draw: Draw) -> dict:
    r = draw.result
    return {"seed": r["seed"], "algorithm": r["algorithm"], "pool_hash": r["pool_hash"], "rules": r["rules"],
            "period": r["period"], "draws": r["draws"]}


@capability_required(VIEW_INSPECTIONS)
def draw_detail(request: AuthenticatedHttpRequest, draw_id: int) -> HttpResponse:
    draw = _draw(request, draw_id)
    r = draw.result
    item_names = {(i.department, i.item_code): i.name for i in InspectionItem.objects.all()}
    code_names = {code: name for (_, code), name in item_names.items()}
    strata = [d | {"class_label": CLASS_LABELS.get(d["credit_class"], d["credit_class"]),
                   "item_name": item_names.get((d["department"], d["item"]), d["item"]),
                   "percent": f"{d['ratio']:.0%}"} for d in r["draws"]]
    skipped = [s | {"item_name": item_names.get((s["department"], s["item"]), s["item"])}
               for s in r["summary"]["skipped_items"]]
    shown = r["visits"][:300]
    names = dict(Enterprise.objects.filter(uscc__in=[v["uscc"] for v in shown]).values_list("uscc", "name"))
    visits = [v | {"name": names.get(v["uscc"], "—"), "item_names": [code_names.get(c, c) for c in v["items"]]}
              for v in shown]
    reasons = Counter(e["reason"] for e in r["excluded"])
    return render(request, "inspections/draw.html", {
        "draw": draw, "r": r, "strata": strata, "reasons": sorted(reasons.items()),
        "reduction": f"{r['summary']['reduction']:.1%}", "visits": visits, "skipped": skipped,
    })


@capability_required(VIEW_INSPECTIONS)
def certificate(request: AuthenticatedHttpRequest, draw_id: int) -> HttpResponse:
    draw = _draw(request, draw_id)
    blob = json.dumps(certificate_of(draw), ensure_ascii=False, indent=1).encode()
    return download(blob, "application/json", f"抽取证书-{draw.zone.code}-{draw.period}.json")


@capability_required(VIEW_INSPECTIONS)
def draw_xlsx(request: AuthenticatedHttpRequest, draw_id: int) -> HttpResponse:
    draw = _draw(request, draw_id)
    return download(exports.draw_plan_xlsx(draw), XLSX, f"抽查计划-{draw.zone.name}-{draw.period}.xlsx")


@capability_required(RUN_DRAWS)
def draw_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if (n := Enterprise.objects.filter(zone=data["zone"]).count()) > settings.DRAW_INLINE_ENTERPRISES:
            return start(request, "inspections.draw", {
                "zone": data["zone"].code, "period": data["period"].code, "seed": data["seed"],
                "items": [i.pk for i in data["items"]]}, f"{data['zone'].name}{data['period'].code}双随机抽取",
                f"该园区有 {n} 家企业，抽取耗时较长")
        try:
            draw = services.start_draw(request.user, data["zone"], data["period"], data["seed"], list(data["items"]),
                                       timezone.localdate())
        except ValidationError as error:
            form.add_error(None, "；".join(error.messages))
        else:
            messages.success(request, f"已完成{draw.zone.name}{draw.period}双随机抽取")
            return redirect("inspections:draw", draw_id=draw.pk)
    return render(request, "inspections/draw_new.html", {"form": form})


def _plan(request: AuthenticatedHttpRequest, pk: int) -> InspectionPlan:
    plan = services.visible_plans(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404("没有这项检查计划，或不在您的查看范围内")
    return plan


@capability_required(VIEW_INSPECTIONS)
def plans(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = services.visible_plans(request.user).prefetch_related("items")[:300]
    return render(request, "inspections/plans.html", {"plans": rows, "can_edit": has(request.user, EDIT_PLANS),
                                                      "quota": special_quota()})


@capability_required(EDIT_PLANS)
def plan_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    department = request.user.org_unit
    assert department is not None  # EDIT_PLANS is a department's
    form = PlanForm(department.name, request.POST or None,
                    initial={"year": timezone.localdate().year + 1, "kind": InspectionPlan.Kind.ROUTINE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = services.create_plan(request.user, year=data["year"], kind=data["kind"], title=data["title"],
                                    starts_on=data["starts_on"], ends_on=data["ends_on"], reason=data["reason"],
                                    items=list(data["items"]))
        messages.success(request, f"已保存检查计划“{plan.title}”，可提交审批")
        return redirect("inspections:plan", pk=plan.pk)
    return render(request, "inspections/plan_new.html", {"form": form, "department": department})


@capability_required(VIEW_INSPECTIONS)
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    used = quota_used(plan.department_id, plan.year)
    return render(request, "inspections/plan.html", {
        "plan": plan, "items": plan.items.all(), "transitions": PLAN_FLOW.allowed(request.user, plan),
        "quota": special_quota(), "used": used,
    })


@capability_required(VIEW_INSPECTIONS)
@require_POST
def plan_action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        action = request.POST.get("action", "")
        moved = services.advance_plan(request.user, plan, action, request.POST.get("comment", ""))
        messages.success(request, f"已办理“{PLAN_FLOW.transition(action).label}”，计划现为“{moved.get_state_display()}”")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error) or "您无权办理此项")
    return redirect("inspections:plan", pk=pk)


def _pct(x: float | None) -> str:
    return "—（无可比数据）" if x is None else f"{x:.1%}"


def _change(x: float | None) -> str:
    if x is None:
        return "无上年同期数据"
    return f"{'增加' if x > 0 else '减少' if x < 0 else '持平'}{'' if x == 0 else f' {abs(x):.1%}'}"


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


VISIT_COLUMNS = (  # the visit list: sort keys, headings, the list export's columns
    lists.Column("visit_no", "检查编号", "visit.visit_no", natural=True),
    lists.Column("enterprise", "企业", "visit.enterprise.name"),
    lists.Column("zone", "园区", "visit.zone.name"),
    lists.Column("departments", "检查部门", lambda r: "、".join(r.visit.departments)),
    lists.Column("visited_on", "检查日期", lambda r: _day(r.visit.visited_on)),
    lists.Column("kind", "检查类型", lambda r: r.visit.get_kind_display()),
    lists.Column("result", "检查结果", lambda r: r.visit.get_result_display() if r.visit.result else "待录入"),
    lists.Column("due", "公示截止", lambda r: _day(r.due)),
    lists.Column("status", "公示情况", "status"),
    lists.Column("published_on", "公示日期", lambda r: _day(r.visit.published_on)),
)


@capability_required(VIEW_INSPECTIONS)
def visits(request: AuthenticatedHttpRequest) -> HttpResponse:
    overdue_only = request.GET.get("overdue") == "1"
    q = (request.GET.get("q") or "").strip()[:40]
    today = timezone.localdate()
    rows = selectors.visit_rows(request.user.scope, today, overdue_only=overdue_only, query=q)
    table = lists.listing(rows, request.GET, VISIT_COLUMNS, default_sort="visited_on")
    if lists.wants_export(request.GET):
        return lists.export(table, title="入企检查记录" + ("（逾期未公示）" if overdue_only else ""),
                            filename="入企检查记录", as_of=today)
    return render(request, "inspections/visits.html", {
        "table": table, "page": table.page, "q": q, "overdue_only": overdue_only,
        "days": engine.load().publication_days, "table_keys": [c.key for c in VISIT_COLUMNS[1:]]})


@capability_required(VIEW_INSPECTIONS)
def results_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.visit_rows(request.user.scope, today)
    return download(exports.results_xlsx(rows, today), XLSX, f"涉企行政检查结果公示清单（{today:%Y年%m月%d日}）.xlsx")


@capability_required(VIEW_INSPECTIONS)
def visit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = request.user.scope.filter(Visit.objects.select_related("zone", "enterprise")).filter(pk=pk).first()
    if visit is None:
        raise Http404("没有这条入企检查记录，或不在您的查看范围内")
    form = None
    if services.may_record(request.user, visit):
        form = ResultForm(request.POST or None, instance=visit)
        if request.method == "POST" and form.is_valid():
            services.record_result(request.user, visit, result=form.cleaned_data["result"],
                                   result_text=form.cleaned_data["result_text"],
                                   published_on=form.cleaned_data["published_on"])
            messages.success(request, "已保存检查结果")
            return redirect("inspections:visit", pk=pk)
    elif request.method == "POST":
        raise PermissionDenied("只有实施检查的部门或园区管委会可以录入检查结果")
    rules = engine.load()
    row = selectors.visit_row(visit, timezone.localdate(), rules)
    names = dict(InspectionItem.objects.filter(item_code__in=visit.items).values_list("item_code", "name"))
    return render(request, "inspections/visit.html", {
        "visit": visit, "form": form, "due": row.due, "status": row.status, "days": rules.publication_days,
        "item_names": [names.get(c, c) for c in visit.items]})


@capability_required(VIEW_INSPECTIONS)
def notice(request: AuthenticatedHttpRequest, draw_id: int, uscc: str) -> HttpResponse:
    draw = _draw(request, draw_id)
    if not any(v["uscc"] == uscc for v in draw.result["visits"]):
        raise Http404("这次抽取没有安排该企业")
    return download(exports.notice_docx(draw, uscc), DOCX, f"检查通知书-{uscc}-{draw.period}.docx")


@capability_required(VIEW_INSPECTIONS)
def report(request: AuthenticatedHttpRequest) -> HttpResponse:
    zones = list(request.user.scope.filter(Zone.objects.filter(enterprises__isnull=False).distinct(), "self")
                 .order_by("code"))
    if not zones:
        raise Http404("您的查看范围内没有园区")
    zone = next((z for z in zones if z.code == request.GET.get("zone")), zones[0])
    today = timezone.localdate()
    year, month = today.year, today.month
    if m := re.fullmatch(r"(\d{4})-(\d{2})", request.GET.get("month", "")):
        if 1 <= int(m[2]) <= 12:
            year, month = int(m[1]), int(m[2])
    r = selectors.zone_month(zone, year, month)
    facts = [
        ("本月入企检查", f"{r.visits_month} 次（上年同月 {r.visits_month_last_year} 次）"),
        ("本年累计入企", f"{r.visits_ytd} 次（上年同期 {r.visits_ytd_last_year} 次，{_change(r.change)}）"),
        ("联合检查占比", f"{_pct(r.joint_rate)}（多部门“综合查一次”的入企次数占比）"),
        ("抽查计划完成率", f"{_pct(r.completion_rate)}（已到期计划 {r.planned} 户次，已完成 {r.planned_done} 户次）"),
        ("结果按时公示率", f"{_pct(r.publication_rate)}（应公示 {r.due_for_publication} 次，按时 {r.published_on_time} 次）"),
        ("A 类未检查占比", f"{_pct(r.a_not_visited_share)}（A 类 {r.a_firms} 户，未检查 {r.a_not_visited} 户）"),
    ]
    per_class = [(CLASS_LABELS.get(c, c), n, v, f"{p:.2f}") for c, n, v, p in r.per_class]
    return render(request, "inspections/report.html", {"r": r, "zones": zones, "facts": facts,
                                                       "per_class": per_class, "month_value": f"{year}-{month:02d}"})
