"""Pages for reading: the overview, zones and enterprises. All reads go through the scope-filtered selectors."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers

from jingkai.enterprises.models import YEAR_TABLES, Enterprise, EnterpriseTag, YearFacts
from jingkai.enterprises.selectors import enterprise_get, enterprise_list, year_facts
from jingkai.web import queries
from jingkai.web.intake_views import kind_titles
from jingkai.zones.models import Zone
from jingkai.zones.selectors import zone_list

PAGE_SIZE = 50


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def home(request):
    scope = request.user.scope
    if scope.kind == "zone":
        return redirect("my_zone")
    national = list(queries.gansu_national_zones(scope))
    provincial = list(zone_list(scope, level=Zone.Level.PROVINCIAL, province=queries.GANSU))
    indicators = queries.indicator_catalogue(queries.KEY_INDICATORS)
    table = queries.monthly_values(scope, national + provincial, queries.KEY_INDICATORS)
    period = queries.latest_period(table)
    figures = queries.key_figures(table, national + provincial, indicators, period)
    charts = [queries.trend_chart(table, national, ind, period.year) for ind in indicators] if period else []
    totals = queries.zone_enterprise_totals(scope, national + provincial)
    return render(request, "web/home.html", {
        "period": period, "indicators": indicators, "charts": charts,
        "national": [(z, figures[z.id], totals.get(z.id, 0)) for z in national],
        "provincial": [(z, figures[z.id], totals.get(z.id, 0)) for z in provincial],
    })


@login_required
def my_zone(request):
    scope = request.user.scope
    zones = list(zone_list(scope)[:2])
    if scope.kind == "zone" and len(zones) == 1:
        return redirect("zone_detail", code=zones[0].code)
    return redirect("zone_list")


@login_required
def zone_list_view(request):
    scope = request.user.scope
    level = request.GET.get("level") or None
    region = request.GET.get("region") or None
    everywhere = request.GET.get("all") == "1"
    zones = zone_list(scope, level=level, region=region, province=None if everywhere else queries.GANSU)
    page = _page(request, zones.order_by("level", F("approved_year").asc(nulls_last=True), "code"))
    totals = queries.zone_enterprise_totals(scope, list(page.object_list))
    return render(request, "web/zone_list.html", {
        "page": page, "rows": [(z, totals.get(z.id, 0)) for z in page.object_list],
        "levels": Zone.Level.choices, "regions": Zone.Region.choices,
        "filters": {"level": level or "", "region": region or "", "all": everywhere},
    })


@login_required
def zone_detail(request, code):
    scope = request.user.scope
    zone = get_object_or_404(zone_list(scope), code=code)
    latest, history = queries.zone_latest_values(scope, zone)
    table = {(zone.id, key): values for key, values in history.items()}
    monthly = sorted((lv for lv in latest if lv.indicator.key in queries.KEY_INDICATORS and lv.period and lv.period.month),
                     key=lambda lv: queries.KEY_INDICATORS.index(lv.indicator.key))
    charts = [queries.trend_chart(table, [zone], lv.indicator, lv.period.year) for lv in monthly]
    return render(request, "web/zone_detail.html", {
        "zone": zone, "latest": latest, "charts": charts, "counts": queries.enterprise_counts(scope, zone),
        "can_write": scope.can_write_zone(zone.id), "export_kinds": list(kind_titles().items()),
    })


def _bool_param(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


@login_required
def enterprise_list_view(request):
    scope = request.user.scope
    filters = {key: request.GET.get(key, "").strip() for key in ("q", "zone", "industry", "size", "above_scale")}
    enterprises = enterprise_list(
        scope, q=filters["q"] or None, zone_code=filters["zone"] or None, industry_code=filters["industry"] or None,
        size_class=filters["size"] or None, above_scale=_bool_param(filters["above_scale"]),
    )
    context = {"page": _page(request, enterprises), "filters": filters,
               "export_kinds": [(k, kind_titles()[k]) for k in ("enterprises", "enterprise-years")]}
    partial = request.headers.get("HX-Target") == "results" and not request.headers.get("HX-History-Restore-Request")
    if partial:
        response = render(request, "web/_enterprise_results.html", context)
    else:
        context |= {"zones": queries.zones_with_enterprises(scope), "sizes": Enterprise.Size.choices}
        response = render(request, "web/enterprise_list.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


HONOR_LABELS = dict(EnterpriseTag.Tag.choices) | {
    "tech_innovation_demo": "技术创新示范企业", "ip_advantage": "知识产权优势企业",
    "sci_award_national": "国家级科学技术奖", "sci_award_provincial": "省级科学技术奖",
    "maker_china_500": "“创客中国”500强", "maker_china_50": "“创客中国”50强",
}


def _display(row: YearFacts | None, field) -> str | None:
    value = getattr(row, field.name) if row is not None else None
    if value is None or value == "" or value == []:
        return None
    if field.choices:
        return getattr(row, f"get_{field.name}_display")()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(HONOR_LABELS.get(str(v), str(v)) for v in value)
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1 else f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


@login_required
def enterprise_detail(request, uscc):
    scope = request.user.scope
    enterprise = enterprise_get(scope, uscc)
    facts = {t: {r.year: r for r in year_facts(scope, t, uscc=enterprise.uscc)} for t in YEAR_TABLES}
    years = sorted({y for rows in facts.values() for y in rows})
    today = date.today()
    tags = []
    for tag in enterprise.tags.order_by("tag", "valid_from"):
        if tag.valid_from and tag.valid_from > today:
            status = "未生效"
        elif tag.valid_to and tag.valid_to < today:
            status = "已过期"
        else:
            status = "有效"
        tags.append((tag, status))
    sections = [(t._meta.verbose_name, [(f.verbose_name, f.help_text, [_display(rows.get(y), f) for y in years])
                                        for f in t.fact_fields()])
                for t, rows in facts.items() if rows]  # one per fact table that has data
    return render(request, "web/enterprise_detail.html", {
        "enterprise": enterprise, "tags": tags, "years": years, "sections": sections,
    })
