"""Evaluation pages: the ranking, the zone scorecard with what-if and target path, and the exports.

Who sees what: every signed-in account with an organisation sees the whole ranking (the Ministry
publishes it); a zone's scorecard, what-if, target path and Word export only for zones in the user's
scope (province and departments: all; a city: its zones; a zone committee: its own zone; anything
else is 404). Only the province (省商务厅) computes or recomputes runs."""

from __future__ import annotations

from functools import cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from jingkai.engines.evaluation import EvaluationError, load
from jingkai.evaluation import exports, services
from jingkai.zones.models import Zone

DEFAULT_METHODOLOGY = "mofcom-2021"
SENSITIVITY_CHOICES = [(0, "不做"), (200, "N = 200"), (500, "N = 500（约 3000 次重算）")]
TARGET_KINDS = [("group_rank", "本地区排名达到第"), ("rank", "全国排名达到第"), ("out_of_bottom", "跳出本地区后五名")]
REGIONS = [("", "全国")] + list(Zone.Region.choices)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@cache
def methodology_choices() -> list[tuple[str, str]]:
    return [(m.id, m.name) for m in services.zone_methodologies()]


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _selection(params) -> tuple[str, int | None]:
    ids = [i for i, _ in methodology_choices()]
    meth = params.get("methodology") if params.get("methodology") in ids else DEFAULT_METHODOLOGY
    return meth, _int(params.get("year"))


def _query(**params) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _is_province(user) -> bool:
    return user.scope.kind == "province"


def _require_scope(user) -> None:
    """An account without an organisation (scope “none”) sees nothing, the ranking included."""
    if user.scope.kind == "none":
        raise PermissionDenied("您的账号未关联机构，无权查看综合评价")


# ---------------------------------------------------------------- ranking


@login_required
def ranking(request):
    _require_scope(request.user)
    meth_id, year = _selection(request.GET)
    region = request.GET.get("region", "")
    if region not in dict(REGIONS):
        region = ""
    run = services.current_run(meth_id, year)
    scope = request.user.scope
    context = {
        "methodologies": methodology_choices(), "methodology": meth_id, "regions": REGIONS, "region": region,
        "years": services.run_years(meth_id), "run": run, "can_compute": _is_province(request.user),
        "sensitivity_choices": SENSITIVITY_CHOICES,
    }
    if context["can_compute"]:
        context["data_years"] = services.data_years(load(meth_id))
    if run is not None:
        meth = services.methodology_of(run)
        rows = services.ranking(run, region or None)
        visible = dict(Zone.objects.filter(code__in=[r["unit"] for r in rows]).values_list("code", "id"))
        for r in rows:
            r["linked"] = r["unit"] in visible and scope.sees_zone(visible[r["unit"]])
        context |= {
            "meth": meth, "groups": services.groups(meth), "rows": rows, "year": run.year,
            "has_sensitivity": any("rank_interval" in r for r in rows),
            "gansu": [r for r in (rows if region else services.ranking(run)) if r["gansu"]],
            "n_reference": len(services.reference_units(run)),
            "query": _query(methodology=meth_id, year=run.year, region=region),
        }
    return render(request, "evaluation/ranking.html", context)


@login_required
@require_POST
def compute(request):
    if not _is_province(request.user):
        raise PermissionDenied("只有省商务厅可以计算综合评价")
    meth_id, year = _selection(request.POST)
    sensitivity = _int(request.POST.get("sensitivity"), 0)
    if sensitivity not in dict(SENSITIVITY_CHOICES):
        sensitivity = 0
    try:
        run = services.run_evaluation(meth_id, year, user=request.user, sensitivity=sensitivity)
    except EvaluationError as exc:
        messages.error(request, f"计算失败：{exc}")
        return redirect(f"{reverse('evaluation:ranking')}?{_query(methodology=meth_id, year=year)}")
    what = "数据与评价方法未变，沿用已有结果" if run.reused else "已完成计算并保存"
    extra = f"（含不确定性分析 N = {sensitivity}）" if sensitivity else ""
    messages.success(request, f"{run.methodology_name} {run.year} 年度：{what}{extra}。")
    return redirect(f"{reverse('evaluation:ranking')}?{_query(methodology=meth_id, year=run.year)}")


@login_required
def export_ranking(request):
    _require_scope(request.user)
    meth_id, year = _selection(request.GET)
    run = services.current_run(meth_id, year)
    if run is None:
        raise Http404("尚无评价结果")
    region = request.GET.get("region") or None
    blob = exports.ranking_xlsx(run, region if region in dict(Zone.Region.choices) else None)
    name = f"综合评价排名_{run.methodology}_{run.year}{'_' + region if region else ''}.xlsx"
    return _download(blob, XLSX, name)


def _download(blob: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(blob, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


# ---------------------------------------------------------------- scorecard


def _zone_run(request, code: str):
    """The zone (404 outside the user's scope) and the run to show (404 when none contains it)."""
    zone = Zone.objects.filter(code=code).first()
    if zone is None or not request.user.scope.sees_zone(zone.id):
        raise Http404("没有该园区，或不在您的权限范围内")
    meth_id, year = _selection(request.GET if request.method == "GET" else request.POST)
    run = services.current_run(meth_id, year)
    if run is None:
        raise Http404("尚无评价结果")
    try:
        services.unit_record(run, zone.code)
    except EvaluationError as exc:
        raise Http404(f"{zone.name}不在本次评价范围内") from exc
    return zone, run


def _scorecard_context(request, zone: Zone, run) -> dict:
    meth = services.methodology_of(run)
    rec = services.unit_record(run, zone.code)
    diag = services.diagnosis(run, zone.code)
    by_code = {row["indicator"]: row for row in diag["indicators"]}
    drags = [by_code[c] for c in diag["drags"]]
    sens = (services.sensitivity_of(run) or {}).get("units", {}).get(zone.code)
    ref = services.reference_units(run)
    region = rec.get("groups", {}).get(services.GROUP_KEY)
    region_size = sum(1 for u in run.result["units"]
                      if u["unit"] in ref and u.get("groups", {}).get(services.GROUP_KEY) == region)
    unverified = {item["code"] for item in meth.unverified_items()}
    trend = services.trend(run, zone.code)
    group_rows = [{"code": g.code, "name": g.name, "weight": g.weight, "score": rec["scores"].get(g.code),
                   "unverified": g.code in unverified} for g in services.groups(meth)]
    radar = services.radar(run, zone.code)
    for row, region_median, national_median in zip(group_rows, radar["series"][1]["value"],
                                                   radar["series"][2]["value"], strict=True):
        row["region_median"], row["national_median"] = region_median, national_median
    inputs = [{"code": i.code, "name": i.name, "unit": i.unit, "value": by_code[i.code]["raw"],
               "unverified": i.unverified} for i in meth.indicators]
    inputs += [{"code": b.column, "name": b.name, "unit": "项（加分项）",
                "value": _value(run, zone.code, b.column), "unverified": b.unverified} for b in meth.bonus]
    return {
        "zone": zone, "run": run, "meth": meth, "rec": rec, "region": region,
        "region_label": services.REGION_LABELS.get(region, region), "n_reference": len(ref),
        "region_size": region_size, "sens": sens, "diagnosis": diag["indicators"], "drags": drags,
        "group_rows": group_rows, "trend": trend, "inputs": inputs, "unverified": unverified,
        "target_kinds": TARGET_KINDS, "drag_codes": diag["drags"],
        "target_default": max(1, (rec["group_ranks"].get(services.GROUP_KEY) or 1) - 5), "query": _query(methodology=run.methodology, year=run.year),
        "charts": {
            "radar": radar,
            "drags": {"names": [d["name"] for d in drags],
                      "median": [round(d["lost_vs_median"] or 0, 3) for d in drags],
                      "top": [round(d["lost_vs_top_quartile"] or 0, 3) for d in drags]},
            "trend": {"years": [t["year"] for t in trend], "rank": [t["rank"] for t in trend],
                      "region_rank": [t["region_rank"] for t in trend], "score": [_r(t["score"]) for t in trend]},
        },
        "years": services.run_years(run.methodology), "methodologies": methodology_choices(),
    }


def _r(x):
    return None if x is None else round(x, 2)


def _value(run, unit: str, column: str):
    values = run.inputs.get(column)
    if values is None:
        return None
    return values[run.inputs["zone_code"].index(unit)]


@login_required
def scorecard(request, code):
    zone, run = _zone_run(request, code)
    return render(request, "evaluation/scorecard.html", _scorecard_context(request, zone, run))


def _partial_or_page(request, zone, run, partial: str, extra: dict):
    if request.headers.get("HX-Request"):
        return render(request, partial, extra | {"zone": zone, "run": run})
    return render(request, "evaluation/scorecard.html", _scorecard_context(request, zone, run) | extra)


@login_required
@require_POST
def what_if(request, code):
    zone, run = _zone_run(request, code)
    meth = services.methodology_of(run)
    columns = {i.code: i for i in meth.indicators} | {b.column: b for b in meth.bonus}
    changes, errors = {}, []
    for col, node in columns.items():
        text = (request.POST.get(col) or "").strip().replace(",", "")
        current = _value(run, zone.code, col)
        if text == "":
            continue
        try:
            value = float(text)
        except ValueError:
            errors.append(f"{node.name}：“{text}”不是数字")
            continue
        if current is None or abs(value - current) > 1e-12 * max(1.0, abs(current)):
            changes[col] = value
    result = None
    if not errors and not changes:
        errors.append("没有修改任何指标值")
    if not errors:
        try:
            result = services.apply_what_if(run, zone.code, changes)
        except EvaluationError as exc:
            errors.append(str(exc))
    if result:
        result["rows"] = [{"name": columns[c].name, "from": _value(run, zone.code, c), "to": v,
                           "unit": getattr(columns[c], "unit", "")} for c, v in changes.items()]
    return _partial_or_page(request, zone, run, "evaluation/_what_if_result.html",
                            {"whatif": result, "whatif_errors": errors})


@login_required
@require_POST
def target(request, code):
    zone, run = _zone_run(request, code)
    kind = request.POST.get("kind")
    rank = _int(request.POST.get("rank"))
    errors, path = [], None
    if kind not in dict(TARGET_KINDS):
        errors.append("请选择目标类型")
    elif kind == "out_of_bottom":
        probability = _float(request.POST.get("probability"), 0.9)
        if not 0 < probability <= 1:
            errors.append("概率须在 0 到 1 之间")
        goal = {"out_of_bottom": 5, "probability": probability, "runs": 100}
    elif rank is None or rank < 1:
        errors.append("目标名次须为正整数")
    else:
        goal = {kind: rank}
    if not errors:
        try:
            path = services.target(run, zone.code, goal)
        except EvaluationError as exc:
            errors.append(str(exc))
    meth = services.methodology_of(run)
    units = {i.code: i.unit for i in meth.indicators}
    unverified = {i.code for i in meth.indicators if i.unverified}
    rows = [row | {"unit": units.get(row["indicator"], ""), "unverified": row["indicator"] in unverified}
            for row in (path.rows if path else [])]
    # the region rank after the improvements (the engine reports the national one)
    after = services.apply_what_if(run, zone.code, {r["indicator"]: r["to"] for r in rows}) if rows else None
    rec = services.unit_record(run, zone.code)
    region = rec.get("groups", {}).get(services.GROUP_KEY)
    return _partial_or_page(request, zone, run, "evaluation/_target_result.html", {
        "path": path, "path_rows": rows, "target_errors": errors, "path_after": after,
        "region_rank": rec["group_ranks"].get(services.GROUP_KEY),
        "region_label": services.REGION_LABELS.get(region, "地区")})


def _float(value, default):
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


@login_required
def export_scorecard(request, code):
    zone, run = _zone_run(request, code)
    context = _scorecard_context(request, zone, run)
    blob = exports.scorecard_docx(context, issued=timezone.localdate())
    return _download(blob, DOCX, f"综合评价得分卡_{zone.name}_{run.year}.docx")
