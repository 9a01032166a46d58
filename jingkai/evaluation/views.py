"""Evaluation pages: the ranking, the zone scorecard with what-if and target path, and the exports.

Who sees what (selectors): every account holding `evaluation.view` sees the whole ranking; a zone's
scorecard, what-if, target path and Word export only for zones in the user's scope (anything else is 404).
Computing runs needs `evaluation.compute` (services). Views parse input with forms, call one selector or
service and render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from jingkai import lists
from jingkai.accounts import authz
from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required
from jingkai.downloads import DOCX, XLSX, download
from jingkai.engines.evaluation import EvaluationError
from jingkai.evaluation import capabilities as caps
from jingkai.evaluation import exports, selectors, services
from jingkai.evaluation.forms import (
    REGIONS,
    SENSITIVITY_CHOICES,
    TARGET_KINDS,
    ComputeForm,
    SelectionForm,
    TargetForm,
    WhatIfForm,
    error_texts,
)
from jingkai.evaluation.models import EvaluationRun
from jingkai.jobs.pages import start
from jingkai.spreadsheets import INTEGER, NUMBER
from jingkai.zones.models import Zone
from jingkai.zones.selectors import zone_list


def _query(**params: str | int | None) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


# ---------------------------------------------------------------- ranking


def _ranking_columns(ranking: selectors.Ranking) -> list[lists.Column]:
    """The ranking table's columns: sort keys, headings and the list export's columns."""
    groups = [lists.Column(f"group-{g.code}", f"{g.name}（权重 {g.weight:g}{'，口径待核实' if g.unverified else ''}）",
                           f"scores.{g.code}", kind=NUMBER) for g in ranking.groups]
    return [lists.Column("rank", "全国排名", kind=INTEGER), lists.Column("region_rank", "地区排名", kind=INTEGER),
            lists.Column("name", "园区"), lists.Column("province", "省份"),
            lists.Column("region", "地区", lambda r: dict(REGIONS).get(r.region or "", "")),
            lists.Column("score", "综合得分", kind=NUMBER), *groups, lists.Column("bonus", "加分", kind=NUMBER)]


@capability_required(caps.VIEW_EVALUATION)
def ranking(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.require_view(request.user)
    form = SelectionForm(request.GET)
    meth_id, region = form.value("methodology"), form.value("region")
    run = selectors.current_run(meth_id, form.value("year"))
    can_compute = authz.has(request.user, caps.COMPUTE)
    context = {
        "form": form, "methodologies": selectors.methodology_choices(), "methodology": meth_id, "regions": REGIONS,
        "region": region or "", "years": selectors.run_years(meth_id), "run": run, "can_compute": can_compute,
        "sensitivity_choices": SENSITIVITY_CHOICES,
    }
    if can_compute:
        context["data_years"] = selectors.computable_years(meth_id)
    if run is not None:
        ranking = selectors.ranking_of(request.user, run, region)
        keyword = (request.GET.get("q") or "").strip()[:50]  # 查询: a zone's name or province
        rows = [r for r in ranking.rows if keyword in r.name or keyword in (r.province or "")] if keyword else ranking.rows
        columns = _ranking_columns(ranking)
        table = lists.listing(rows, request.GET, columns, default_sort="region_rank" if region else "rank")
        if lists.wants_export(request.GET):
            return lists.export(table, title=f"{run.year}年综合发展水平评价排名（{ranking.region_label}）",
                                filename=f"综合评价排名_{run.year}")
        context |= {"ranking": ranking, "year": run.year, "q": keyword, "listing": table, "page": table.page,
                    "group_keys": [(g, f"group-{g.code}") for g in ranking.groups],
                    "query": _query(methodology=meth_id, year=run.year, region=region)}
    return render(request, "evaluation/ranking.html", context)


@capability_required(caps.VIEW_EVALUATION)
@require_POST
def compute(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ComputeForm(request.POST)
    back = reverse("evaluation:ranking")
    if not form.is_valid():
        authz.require(request.user, caps.COMPUTE, "只有省商务厅可以计算综合评价")  # a refusal first, then the input
        for error in error_texts(form):
            messages.error(request, error)
        return redirect(f"{back}?{_query(methodology=request.POST.get('methodology'))}")
    meth_id, year, sensitivity = (form.cleaned_data[k] for k in ("methodology", "year", "sensitivity"))
    if sensitivity and sensitivity > settings.EVALUATION_INLINE_REPLICATIONS:  # Monte Carlo: the job worker's
        return start(request, "evaluation.run", {"methodology": meth_id, "year": year, "sensitivity": sensitivity},
                     f"综合评价计算（{year or '最新'}年度，不确定性分析 {sensitivity} 次）", "不确定性分析耗时较长")
    try:
        outcome = services.run_evaluation(meth_id, year, user=request.user, sensitivity=sensitivity)
    except EvaluationError as exc:
        messages.error(request, f"计算失败：{exc}")
        return redirect(f"{back}?{_query(methodology=meth_id, year=year)}")
    run = outcome.run
    what = "数据与评价方法未变，沿用已有结果" if outcome.reused else "已完成计算并保存"
    extra = f"（含不确定性分析 N = {sensitivity}）" if sensitivity else ""
    messages.success(request, f"{run.methodology_name} {run.year} 年度：{what}{extra}。")
    return redirect(f"{back}?{_query(methodology=meth_id, year=run.year)}")


@capability_required(caps.VIEW_EVALUATION)
def export_ranking(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.require_view(request.user)
    form = SelectionForm(request.GET)
    run = selectors.current_run(form.value("methodology"), form.value("year"))
    if run is None:
        raise Http404("尚无评价结果")
    region = form.value("region")
    blob = exports.ranking_xlsx(selectors.ranking_of(request.user, run, region))
    name = f"综合评价排名_{run.methodology}_{run.year}{'_' + region if region else ''}.xlsx"
    return download(blob, XLSX, name)


# ---------------------------------------------------------------- scorecard


def _zone_run(request: AuthenticatedHttpRequest, code: str) -> tuple[Zone, EvaluationRun]:
    """The zone (404 outside the user's scope) and the run to show (404 when none contains it)."""
    zone = get_object_or_404(zone_list(request.user.scope), code=code)
    selectors.require_view(request.user)
    form = SelectionForm(request.GET if request.method == "GET" else request.POST)
    run = selectors.current_run(form.value("methodology"), form.value("year"))
    if run is None:
        raise Http404("尚无评价结果")
    if run.unit(zone.code) is None:
        raise Http404(f"{zone.name}不在本次评价范围内")
    return zone, run


def _page_context(request: AuthenticatedHttpRequest, zone: Zone, run: EvaluationRun) -> dict[str, object]:
    card = selectors.scorecard(request.user, zone, run)
    return {"card": card, "zone": zone, "run": run, "target_kinds": TARGET_KINDS,
            "can_compute": authz.has(request.user, caps.COMPUTE),
            "query": _query(methodology=run.methodology, year=run.year),
            "years": selectors.run_years(run.methodology)}


@capability_required(caps.VIEW_EVALUATION)
def scorecard(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    zone, run = _zone_run(request, code)
    return render(request, "evaluation/scorecard.html", _page_context(request, zone, run))


def _partial_or_page(request: AuthenticatedHttpRequest, zone: Zone, run: EvaluationRun, partial: str,
                     extra: dict[str, object]) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return render(request, partial, extra | {"zone": zone, "run": run})
    return render(request, "evaluation/scorecard.html", _page_context(request, zone, run) | extra)


@capability_required(caps.VIEW_EVALUATION)
@require_POST
def what_if(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    zone, run = _zone_run(request, code)
    meth = services.methodology_of(run)
    form = WhatIfForm(request.POST, meth=meth, current=selectors.current_inputs(run, zone.code))
    result, errors = None, []
    if form.is_valid():
        try:
            result = selectors.what_if(run, zone.code, form.changes())
        except EvaluationError as exc:
            errors.append(str(exc))
    else:
        errors = error_texts(form)
    return _partial_or_page(request, zone, run, "evaluation/_what_if_result.html",
                            {"whatif": result, "whatif_errors": errors})


@capability_required(caps.VIEW_EVALUATION)
@require_POST
def target(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    zone, run = _zone_run(request, code)
    form = TargetForm(request.POST)
    plan, errors = None, []
    if form.is_valid():
        try:
            plan = selectors.target_plan(run, zone.code, form.goal())
        except EvaluationError as exc:
            errors.append(str(exc))
    else:
        errors = error_texts(form)
    return _partial_or_page(request, zone, run, "evaluation/_target_result.html",
                            {"plan": plan, "target_errors": errors})


@capability_required(caps.VIEW_EVALUATION)
def export_scorecard(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    zone, run = _zone_run(request, code)
    card = selectors.scorecard(request.user, zone, run)
    blob = exports.scorecard_docx(card, issued=timezone.localdate())
    return download(blob, DOCX, f"综合评价得分卡_{zone.name}_{run.year}.docx")
