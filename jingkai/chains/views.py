"""Chain pages: the catalogue with the province's zone × chain matrix, a chain's map for a zone (links coloured
by status, with the rule and the firms), a link's firms and targets, the 链主 and target registries, and the
zone's confirmations. Reads go through the scoped selectors; another zone's data is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jingkai import lists
from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required, has
from jingkai.chains import capabilities as caps
from jingkai.chains import exports
from jingkai.chains.forms import PurchaseForm
from jingkai.chains.models import ChainLeader, LeaderPurchase, LinkAssignment, TargetCompany
from jingkai.chains.selectors import (
    committee_name,
    link_teams,
    local_supply,
    matrix,
    target_entries,
    zone_gap_list,
    zone_gaps,
    zone_targets,
)
from jingkai.chains.services import (
    DEFAULT_CATALOGUE,
    add_link,
    catalogue,
    decide,
    run_assignment,
    save_purchase,
)
from jingkai.downloads import DOCX, XLSX, download
from jingkai.engines.chains import Catalogue
from jingkai.enterprises.selectors import enterprise_get
from jingkai.paging import record_id
from jingkai.redirects import next_or
from jingkai.spreadsheets import INTEGER
from jingkai.zones.models import Zone

PAGE_SIZE = 50
STATUS_COLORS = {"missing": "#c0392b", "risk": "#d48806", "weak": "#e6a23c", "covered": "#1f5aa6",
                 "strong": "#1e7e34"}


def _zone(request: AuthenticatedHttpRequest) -> Zone:
    """The zone the page shows: ?zone= within the scope, else the user's own, else 兰州 (the first Gansu
    national zone of the scope)."""
    scope = request.user.scope
    zones = scope.filter(Zone.objects.filter(province="甘肃省"), "self").order_by("level", "code")
    code = request.GET.get("zone")
    if code:
        return get_object_or_404(zones, code=code.upper())
    zone = zones.filter(code="GS-LZ").first() or zones.first()
    if zone is None:
        raise Http404("没有可查看的园区")
    return zone


def _cat() -> Catalogue:
    return catalogue(DEFAULT_CATALOGUE)


@dataclass(frozen=True)
class TreeRow:
    """A link of the catalogue tree with the chosen zone's status and who answers for it."""

    chain: Any  # engines.chains.Chain
    gap: Any  # engines.chains LinkGap
    owner: str


TREE_COLUMNS = (  # the catalogue tree's export (the filtered links), through jingkai.lists
    lists.Column("chain", "产业链", "chain.name"),
    lists.Column("link", "环节", "gap.link.name"),
    lists.Column("stage", "链上位置", "gap.link.stage"),
    lists.Column("key", "关键环节", lambda r: "是" if r.gap.link.key else "否"),
    lists.Column("status", "本园区状态", "gap.label"),
    lists.Column("enterprises", "本地企业（家）", "gap.enterprises", INTEGER),
    lists.Column("owner", "责任单位", "owner"),
    lists.Column("codes", "行业代码", lambda r: "、".join(r.gap.link.industry_codes)),
)


def _tree(gaps: list, teams: list, committee: str, query: dict[str, str]) -> list[TreeRow]:
    """Every link of the zone's chains, filtered by name (chain, link or product word), stage, owner and chain."""
    rows = []
    for g in gaps:
        for lg in g.links:
            covering = [t.label for t in teams if t.covers(g.chain.code, lg.link.code)]
            rows.append(TreeRow(g.chain, lg, "、".join(covering) or committee))
    name, stage, owner, chain = (query.get(k, "") for k in ("name", "stage", "owner", "chain"))
    return [r for r in rows
            if (not name or name in r.chain.name or name in r.gap.link.name or any(name in w for w in r.gap.link.keywords))
            and (not stage or r.gap.link.stage == stage) and (not owner or owner in r.owner)
            and (not chain or r.chain.code == chain)]


@capability_required(caps.VIEW_CHAINS)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = request.user.scope
    cat = _cat()
    zone = _zone(request)
    gaps = zone_gaps(scope, zone)
    query = {k: request.GET.get(k, "").strip()[:50] for k in ("name", "stage", "owner", "chain")}
    tree = lists.listing(_tree(gaps, link_teams(zone), committee_name(zone), query), request.GET, TREE_COLUMNS)
    if lists.wants_export(request.GET):
        return lists.export(tree, title=f"{zone.name}产业链目录（{cat.status_label}）", filename=f"{zone.name}产业链目录")
    context = {"catalogue": cat, "zone": zone, "gaps": gaps, "tree": tree, "query": query, "listing": tree,
               "stages": ("上游", "中游", "下游"), "filtered": any(query.values()),
               "rows": matrix(scope) if scope.zone_ids is None or len(scope.zone_ids) > 1 else [],
               "can_run": has(request.user, caps.RUN_ASSIGNMENT)}
    return render(request, "chains/index.html", context)


def _graph(gap, zone: Zone) -> dict:
    """ECharts graph data of one chain: a node per link (stage columns, coloured by status), supply edges."""
    x = {"上游": 0, "中游": 1, "下游": 2}
    per_stage: dict[str, int] = {}
    nodes, edges = [], []
    for lg in gap.links:
        row = per_stage.get(lg.link.stage, 0)
        per_stage[lg.link.stage] = row + 1
        nodes.append({"id": lg.link.code, "name": lg.link.name, "x": x[lg.link.stage] * 300, "y": row * 90,
                      "status": lg.label, "firms": lg.enterprises, "key": lg.link.key,
                      "color": STATUS_COLORS.get(lg.status, "#6b7785"),
                      "url": reverse("chains:link", args=[gap.chain.code, lg.link.code]) + f"?zone={zone.code}"})
        edges += [{"source": lg.link.code, "target": t} for t in lg.link.supplies
                  if any(o.link.code == t for o in gap.links)]
    return {"nodes": nodes, "edges": edges, "title": gap.chain.name}


@capability_required(caps.VIEW_CHAINS)
def chain(request: AuthenticatedHttpRequest, chain: str) -> HttpResponse:
    cat = _cat()
    try:
        cat.chain(chain)
    except KeyError:
        raise Http404("没有该产业链") from None
    zone = _zone(request)
    [gap] = zone_gaps(request.user.scope, zone, chain_code=chain)
    return render(request, "chains/chain.html", {"catalogue": cat, "zone": zone, "gap": gap,
                                                 "graph": _graph(gap, zone), "colors": STATUS_COLORS})


@capability_required(caps.VIEW_CHAINS)
def link(request: AuthenticatedHttpRequest, chain: str, link: str) -> HttpResponse:
    cat = _cat()
    found = cat.links.get(link)
    if found is None or found.chain != chain:
        raise Http404("没有该环节")
    zone = _zone(request)
    scope = request.user.scope
    [gap] = zone_gaps(scope, zone, chain_code=chain)
    lg = next(g for g in gap.links if g.link.code == link)
    rows = (LinkAssignment.objects.filter(catalogue=cat.id, link=link, enterprise__zone=zone)
            .select_related("enterprise", "decided_by").order_by("decision", "-score", "enterprise__name"))
    targets = [t for t in zone_targets(scope, zone, chain_code=chain) if t["link"] == link]
    leaders = ChainLeader.objects.filter(catalogue=cat.id, chain=chain, enterprise__zone=zone).select_related("enterprise")
    return render(request, "chains/link.html", {
        "catalogue": cat, "zone": zone, "chain": cat.chain(chain), "gap": lg, "targets": targets,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "leaders": leaders, "can_decide": has(request.user, caps.CONFIRM_LINKS) and scope.can_write_zone(zone.id)})


@capability_required(caps.CONFIRM_LINKS)
@require_POST
def decide_view(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    row = get_object_or_404(request.user.scope.filter(LinkAssignment.objects.select_related("enterprise"),
                                                      "enterprise__zone"), pk=assignment_id)
    try:
        decide(request.user, row, request.POST.get("decision", ""), request.POST.get("note", ""))
        messages.success(request, f"已{'确认' if request.POST.get('decision') == 'confirmed' else '否定'}：{row.enterprise.name}")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(next_or(request, reverse("enterprises:detail", args=[row.enterprise.uscc])))


@capability_required(caps.CONFIRM_LINKS)
@require_POST
def add_link_view(request: AuthenticatedHttpRequest, uscc: str) -> HttpResponse:
    enterprise = enterprise_get(request.user.scope, uscc)
    try:
        add_link(request.user, enterprise, request.POST.get("link", "").strip(), request.POST.get("note", ""))
        messages.success(request, "已添加所属环节")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(next_or(request, reverse("enterprises:detail", args=[uscc])))


@capability_required(caps.RUN_ASSIGNMENT)
@require_POST
def run_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    out = run_assignment(request.user)
    messages.success(request, f"已归链：{out['enterprises']} 家企业中 {out['placed']} 家在链上，保留园区已处理的 {out['kept']} 条")
    return redirect("chains:index")


@capability_required(caps.VIEW_CHAINS)
def leaders(request: AuthenticatedHttpRequest) -> HttpResponse:
    cat = _cat()
    rows = (request.user.scope.filter(ChainLeader.objects.filter(catalogue=cat.id), "enterprise__zone")
            .select_related("enterprise", "enterprise__zone").order_by("chain", "enterprise__zone__code"))
    names = {c.code: c.name for c in cat.chains}
    supply = local_supply([r.pk for r in rows])
    return render(request, "chains/leaders.html", {"catalogue": cat, "rows": [
        (r, names.get(r.chain, r.chain), supply.get(r.pk)) for r in rows]})


@capability_required(caps.VIEW_CHAINS)
def targets(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = [(t, target_entries(t)) for t in TargetCompany.objects.order_by("name")]
    labels = _cat().params["targets"]["list_labels"]
    return render(request, "chains/targets.html", {"rows": rows, "labels": labels,
                                                   "can_manage": has(request.user, caps.MANAGE_REGISTRY)})


def _gap_export(request: AuthenticatedHttpRequest) -> tuple[Zone, list, str]:
    zone = _zone(request)
    return zone, zone_gap_list(request.user.scope, zone), _cat().label


@capability_required(caps.VIEW_CHAINS)
def gaps_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    zone, rows, label = _gap_export(request)
    today = timezone.localdate()
    return download(exports.gaps_xlsx(zone.name, rows, today, label), XLSX, f"{zone.name}补链清单（{today:%Y年%m月%d日}）.xlsx")


@capability_required(caps.VIEW_CHAINS)
def gaps_word(request: AuthenticatedHttpRequest) -> HttpResponse:
    zone, rows, label = _gap_export(request)
    today = timezone.localdate()
    return download(exports.gaps_docx(zone.name, committee_name(zone), rows, today, label), DOCX,
                    f"{zone.name}补链清单（{today:%Y年%m月%d日}）.docx")


def _purchases(request: AuthenticatedHttpRequest) -> Any:
    return request.user.scope.filter(LeaderPurchase.objects.select_related("leader__enterprise__zone"),
                                     "leader__enterprise__zone")


@capability_required(caps.VIEW_CHAINS)
def purchases(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = _purchases(request).order_by("leader__enterprise__name", "leader__chain", "-year", "-amount", "id")
    leader = record_id(request.GET.get("leader"))
    if leader is not None:
        rows = rows.filter(leader_id=leader)
    names = {c.code: c.name for c in _cat().chains}
    return render(request, "chains/purchases.html", {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "names": names,
        "can_manage": has(request.user, caps.MANAGE_PURCHASES)})


def _purchase_page(request: AuthenticatedHttpRequest, row: LeaderPurchase, title: str) -> HttpResponse:
    if row.pk and not request.user.scope.can_write_zone(row.leader.enterprise.zone_id):
        raise PermissionDenied("您无权修改该链主的采购数据")
    initial = {"leader": request.GET["leader"]} if record_id(request.GET.get("leader")) is not None else None
    form = PurchaseForm(request.user, request.POST or None, instance=row, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_purchase(request.user, form)
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            messages.success(request, f"已保存 {saved.year} 年向“{saved.supplier}”的采购额")
            return redirect(f"{reverse('chains:purchases')}?leader={saved.leader_id}")
    return render(request, "chains/purchase_form.html", {"form": form, "title": title},
                  status=400 if form.errors else 200)


@capability_required(caps.MANAGE_PURCHASES)
def purchase_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _purchase_page(request, LeaderPurchase(), "登记链主采购")


@capability_required(caps.MANAGE_PURCHASES)
def purchase_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _purchase_page(request, get_object_or_404(_purchases(request), pk=pk), "修改链主采购")
