"""涉企检查 pages: the stored draws in the user's scope, one draw with its certificate (for 公示)."""

import json
from collections import Counter

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render

from jingkai import lists
from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required
from jingkai.downloads import download
from jingkai.engines.inspections import UNCLASSIFIED
from jingkai.enterprises.models import Enterprise
from jingkai.inspections.capabilities import VIEW_INSPECTIONS
from jingkai.inspections.models import Draw, InspectionItem
from jingkai.spreadsheets import INTEGER

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
    return render(request, "inspections/index.html", {"listing": table, "page": table.page, "q": q, "items": items})


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
