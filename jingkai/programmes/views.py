"""Programme pages: distribution by zone, candidate and class lists, exports, and fragments for the
enterprise and zone pages. Every read goes through the user's scope (selectors)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from jingkai.enterprises.selectors import enterprise_get
from jingkai.programmes import exports, presentation
from jingkai.programmes.selectors import (
    PAGES,
    TIERS,
    enterprise_results,
    latest_run,
    results,
    ruleset_of,
    sme_versions,
    version_in_force,
    zone_counts,
)
from jingkai.zones.selectors import zone_list

PAGE_SIZE = 50
FILTER_KEYS = ("zone", "q", "status", "class", "stage")


@login_required
def index(request):
    cards = []
    for page in PAGES.values():
        runs = [r for r in (latest_run(p) for p in page.programs) if r]
        cards.append((page, runs))
    return render(request, "programmes/index.html", {"cards": cards})


def _choice(request, slug):
    """The page, the programme shown and (SME tiers) the version, from the query string."""
    page = PAGES.get(slug)
    if page is None:
        raise Http404("没有这个评价项目")
    version = None
    program = page.programs[0]
    if slug == "sme":
        version = request.GET.get("version") or version_in_force(timezone.localdate())
        if version not in sme_versions():
            raise Http404("没有这个版本")
        program = request.GET.get("tier") or "sme-specialized"
        if program not in page.programs:
            raise Http404("没有这个培育层级")
    return page, program, version


def _filters(request, program) -> dict:
    f = {k: request.GET.get(k, "").strip() for k in FILTER_KEYS}
    if program in TIERS and not f["status"]:
        f["status"] = "candidates"
    return f


def _rows(request, run, filters):
    return results(request.user.scope, run, zone_code=filters["zone"] or None, q=filters["q"] or None,
                   klass=filters["class"] or None, stage=filters["stage"] or None, status=filters["status"] or None)


@login_required
def programme_page(request, slug):
    page, program, version = _choice(request, slug)
    run = latest_run(program, version)
    scope = request.user.scope
    zones = {z.code: z for z in zone_list(scope).order_by("code")}
    filters = _filters(request, program)
    context = {"page_info": page, "program": program, "version": version, "run": run, "filters": filters,
               "tiers": TIERS, "tier_label": TIERS[program][0] if program in TIERS else "",
               "versions": list(sme_versions()), "zones": zones}
    if run is not None:
        rs = ruleset_of(run)
        paginator_page = Paginator(_rows(request, run, filters), PAGE_SIZE).get_page(request.GET.get("page"))
        context |= {"rs": rs, "results_page": paginator_page,
                    "rows": [presentation.row(r, rs) for r in paginator_page.object_list]}
    if request.headers.get("HX-Target") == "results" and not request.headers.get("HX-History-Restore-Request"):
        response = render(request, "programmes/_results.html", context)
    else:
        if run is not None:
            counts = zone_counts(scope, run)
            visible = [z for code, z in zones.items() if code in counts]
            tier_runs = {p: latest_run(p, version) for p in page.programs} if slug == "sme" else {program: run}
            classes = presentation.class_labels(rs)
            means = {code: z.get("mean_score") for code, z in run.summary.get("zones", {}).items()}
            context["zones"] = {z.code: z for z in visible}  # the filter offers the zones that have results
            context |= {"counts": [(z, counts[z.code], [counts[z.code]["classes"].get(c, 0) for c, _ in classes],
                                    means.get(z.code)) for z in visible],
                        "chart": presentation.chart(slug, page, tier_runs, visible, scope),
                        "classes": classes, "stages": presentation.stages(rs)}
        response = render(request, "programmes/page.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@login_required
def programme_export(request, slug):
    page, program, version = _choice(request, slug)
    run = latest_run(program, version)
    if run is None:
        raise Http404("尚无评价结果")
    filters = _filters(request, program)
    zone = get_object_or_404(zone_list(request.user.scope), code=filters["zone"]) if filters["zone"] else None
    return exports.recommendation_list(run, ruleset_of(run), _rows(request, run, filters), page, filters, zone)


@login_required
def enterprise_fragment(request, uscc):
    """Every programme's verdict for one enterprise: criteria (rule, value, pass/points) and gaps. Loaded by
    the enterprise page with hx-get; 404 outside the user's scope."""
    scope = request.user.scope
    enterprise = enterprise_get(scope, uscc)
    verdicts = [presentation.verdict(r, ruleset_of(r.run)) for r in enterprise_results(scope, enterprise.uscc)]
    return render(request, "programmes/_enterprise.html", {"enterprise": enterprise, "verdicts": verdicts})


@login_required
def zone_mujun_fragment(request, code):
    """The zone's 亩均 class counts (A/B/C/D/T with their policy categories), for the zone page."""
    zone = get_object_or_404(zone_list(request.user.scope), code=code)
    run = latest_run("mujun-gansu")
    rows = []
    if run is not None:
        counts = zone_counts(request.user.scope, run).get(zone.code, {"n": 0, "classes": {}})
        rows = [(c, label, counts["classes"].get(c, 0), counts["n"])
                for c, label in presentation.class_labels(ruleset_of(run))]
    return render(request, "programmes/_zone_mujun.html", {"zone": zone, "run": run, "rows": rows,
                                                            "rs": ruleset_of(run) if run else None})
