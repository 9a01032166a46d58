"""Programme pages: distribution by zone, candidate and class lists, exports, and fragments for the
enterprise and zone pages. Every read goes through the user's scope (selectors)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from jingkai import lists
from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required, has
from jingkai.enterprises.selectors import enterprise_get
from jingkai.jobs.pages import start
from jingkai.programmes import exports, pages, presentation
from jingkai.programmes.capabilities import RUN_PROGRAMME, VIEW_PROGRAMMES
from jingkai.programmes.forms import FilterForm
from jingkai.programmes.models import ProgrammeRun
from jingkai.programmes.selectors import (
    PAGES,
    TIERS,
    Page,
    enterprise_results,
    latest_run,
    recommendation,
    results,
    ruleset_of,
    sme_versions,
    version_in_force,
    zone_counts,
)
from jingkai.zones.selectors import zone_list

PAGE_SIZE = 50


@capability_required(VIEW_PROGRAMMES)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "programmes/index.html", {"cards": pages.index_cards(request.user)})


def _choice(request: AuthenticatedHttpRequest, slug: str) -> tuple[Page, str, str | None]:
    """The page, the programme shown and (SME tiers) the version, from the query string (404 when unknown)."""
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


RESULT_COLUMNS = (  # sortable columns of the results list (default: the selector's order, e.g. closest first)
    lists.Column("name", "企业名称", field="enterprise__name"),
    lists.Column("uscc", "统一社会信用代码", field="enterprise__uscc"),
    lists.Column("zone", "所在园区", field="zone__code,enterprise__name"),
    lists.Column("industry", "行业", field="enterprise__industry_code"),
    lists.Column("score", "得分", field="score"),
)


def _rows(request: AuthenticatedHttpRequest, run: ProgrammeRun, filters: dict[str, str]) -> lists.Listing:
    rows = results(request.user.scope, run, zone_code=filters["zone"] or None, q=filters["q"] or None,
                   klass=filters["class"] or None, stage=filters["stage"] or None, status=filters["status"] or None)
    return lists.listing(rows, request.GET, RESULT_COLUMNS, default_size=PAGE_SIZE)


@capability_required(VIEW_PROGRAMMES)
def programme_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    pages.require_view(request.user)
    page, program, version = _choice(request, slug)
    run = latest_run(program, version)
    form = FilterForm(request.GET, tier=program in TIERS)
    filters = form.filters()
    context = {"page_info": page, "program": program, "version": version, "run": run, "filters": filters,
               "form": form, "tiers": TIERS, "tier_label": TIERS[program][0] if program in TIERS else "",
               "versions": list(sme_versions()),
               "can_run": has(request.user, RUN_PROGRAMME), "run_year": run.year if run else timezone.localdate().year - 1}
    if run is not None:
        table = _rows(request, run, filters)
        paginator_page = table.page
        context |= {"rs": ruleset_of(run), "results_page": paginator_page, "listing": table,
                    "htmx_target": "#results",
                    "rows": pages.result_rows(request.user, run, paginator_page)}
    if request.headers.get("HX-Target") == "results" and not request.headers.get("HX-History-Restore-Request"):
        response = render(request, "programmes/_results.html", context)
    else:
        if run is not None:
            context["overview"] = pages.overview(request.user, page, program, version, run)
        response = render(request, "programmes/page.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@capability_required(VIEW_PROGRAMMES)
def programme_export(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    page, program, version = _choice(request, slug)
    run = latest_run(program, version)
    if run is None:
        raise Http404("尚无评价结果")
    form = FilterForm(request.GET, tier=program in TIERS)
    filters = form.filters()
    visible = zone_list(request.user.scope)
    zone = get_object_or_404(visible, code=filters["zone"]) if filters["zone"] else None
    if zone is None and len(only := list(visible[:2])) == 1:
        zone = only[0]  # a zone's user: the list covers that zone, and says so
    rs = ruleset_of(run)
    inline = getattr(request, "inline", False)  # the job worker (programmes.jobs) writes it here too
    if program in TIERS and filters["status"] in ("candidates", "eligible"):
        qualifiers, near = recommendation(request.user.scope, run, zone_code=filters["zone"] or None,
                                          q=filters["q"] or None)
        if not inline and (size := qualifiers.count() + near.count()) > settings.LIST_INLINE_ROWS:
            return _list_job(request, slug, size)
        return exports.recommendation_list(request.user, run, rs, qualifiers, near, page, zone)
    rows = _rows(request, run, filters).rows
    if not inline and (size := rows.count()) > settings.LIST_INLINE_ROWS:
        return _list_job(request, slug, size)
    return exports.result_list(request.user, run, rs, rows, page, zone)


def _list_job(request: AuthenticatedHttpRequest, slug: str, size: int) -> HttpResponse:
    return start(request, "programmes.list", {"slug": slug, "query": request.GET.urlencode()},
                 f"{PAGES[slug].title}名单导出（{size} 行）", f"名单共 {size} 行，数据较多")


@capability_required(RUN_PROGRAMME)
def programme_run(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """运行评价 from the page: always a job (every zone's enterprise-years are read and scored)."""
    page, program, version = _choice(request, slug)
    if request.method != "POST":
        return redirect("programmes:page", slug=slug)
    year = request.POST.get("year", "")
    if not year.isdigit() or not 2000 <= int(year) <= timezone.localdate().year:
        raise Http404("数据年度无效")
    return start(request, "programmes.run", {"slug": slug, "program": program, "year": int(year)},
                 f"{page.title}评价（{year}年数据）", "评价需读取全部园区的企业数据")


@capability_required(VIEW_PROGRAMMES)
def enterprise_fragment(request: AuthenticatedHttpRequest, uscc: str) -> HttpResponse:
    """Every programme's verdict for one enterprise: criteria (rule, value, pass/points) and gaps. Loaded by
    the enterprise page with hx-get; 404 outside the user's scope."""
    scope = request.user.scope
    enterprise = enterprise_get(scope, uscc)
    pages.require_view(request.user)
    verdicts = [presentation.verdict(r, ruleset_of(r.run), scope) for r in enterprise_results(scope, enterprise.uscc)]
    return render(request, "programmes/_enterprise.html", {"enterprise": enterprise, "verdicts": verdicts})


@capability_required(VIEW_PROGRAMMES)
def zone_mujun_fragment(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The zone's 亩均 class counts (A/B/C/D/T with their policy categories), for the zone page."""
    zone = get_object_or_404(zone_list(request.user.scope), code=code)
    pages.require_view(request.user)
    run = latest_run("mujun-gansu")
    rows = []
    if run is not None:
        counts = zone_counts(request.user.scope, run).get(zone.code, {"n": 0, "classes": {}})
        rows = [(c, label, counts["classes"].get(c, 0), counts["n"])
                for c, label in presentation.class_labels(ruleset_of(run))]
    return render(request, "programmes/_zone_mujun.html", {"zone": zone, "run": run, "rows": rows,
                                                            "rs": ruleset_of(run) if run else None})
