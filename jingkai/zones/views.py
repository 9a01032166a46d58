"""Zone pages: the list, the user's own zone, a zone's page, and indicator entry. Every read goes through
the scope-filtered selectors; a zone outside the scope is a 404. Entered values are saved through the intake
(the same validation, scope and audit as a file import)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from jingkai.accounts import authz
from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required
from jingkai.engines.monitoring.catalogue import period_label, reported_in_month
from jingkai.intake.services import run_import_rows
from jingkai.zones import capabilities as caps
from jingkai.zones.forms import EntryTargetForm, IndicatorValuesForm, ZoneFilterForm, value_text
from jingkai.zones.imports import ZONE_INDICATORS
from jingkai.zones.locks import locked_values
from jingkai.zones.models import IndicatorValue, Zone
from jingkai.zones.periods import Period, latest_reportable_month
from jingkai.zones.selectors import (
    GANSU,
    entry_sections,
    indicator_catalogue,
    indicator_offers,
    indicator_value_list,
    zone_choices,
    zone_directory,
    zone_get,
    zone_list,
    zone_profile,
    zone_rows,
)

PAGE_SIZE = 50
EXPORT_KINDS = ("enterprises", "enterprise-years", "zone-indicators")  # the zone page's exports (intake:export)


@capability_required(caps.VIEW_ZONES)
def my_zone(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A zone committee goes to its zone's page; everyone else to the list."""
    user = request.user
    if authz.has(user, caps.OWN_ZONE) and not authz.has(user, caps.BROWSE_ZONES):
        zones = list(zone_list(user.scope)[:2])
        if len(zones) == 1:
            return redirect("zones:detail", code=zones[0].code)
    return redirect("zones:list")


@capability_required(caps.VIEW_ZONES)
def zone_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not authz.has(request.user, caps.BROWSE_ZONES):  # a zone committee has one zone: its page
        return redirect("zones:mine")
    form = ZoneFilterForm(request.GET)
    filters = form.filters()
    zones = zone_directory(request.user.scope, level=str(filters["level"]) or None,
                           region=str(filters["region"]) or None, province=None if filters["all"] else GANSU)
    page = Paginator(zones, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "zones/zone_list.html", {
        "page": page, "rows": zone_rows(request.user.scope, page.object_list),
        "levels": Zone.Level.choices, "regions": Zone.Region.choices, "filters": filters,
    })


@capability_required(caps.VIEW_ZONES)
def zone_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    zone = zone_get(request.user.scope, code)
    return render(request, "zones/zone_detail.html", {
        "profile": zone_profile(request.user.scope, zone), "zone": zone, "export_kinds": EXPORT_KINDS,
        "can_enter_data": authz.has(request.user, caps.ENTER_ZONE_DATA),
    })


def _default_period() -> str:
    return str(latest_reportable_month(timezone.localdate()))  # the last month that has ended


def _entry_url(zone: Zone, period: Period) -> str:
    return f"{reverse('zones:entry')}?{urlencode({'zone': zone.code, 'period': str(period)})}"


@capability_required(caps.VIEW_ZONES)
def indicator_entry(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The zones' data entry. The page offers the scope's zones to those who may enter data and explains
    otherwise; a POST is judged by the intake service (`run_import_rows` requires zones.enter_data: a 403
    without it), its zone by the scope (a 404 outside it)."""
    user = request.user
    may_enter = authz.has(user, caps.ENTER_ZONE_DATA)
    zones = zone_choices(user.scope) if may_enter or request.method == "POST" else []
    data = request.POST if request.method == "POST" else request.GET
    zone_code = data.get("zone") or (zones[0].code if len(zones) == 1 else "")
    if zone_code and zone_code not in {z.code for z in zones}:
        raise Http404("无此园区或无权填报")
    target = EntryTargetForm({"zone": zone_code, "period": data.get("period", "")}, zones=zones,
                             default_period=_default_period())
    target.is_valid()
    zone, period = target.selected_zone, target.cleaned_data.get("period")
    context = {"zones": zones, "target": target, "zone": zone, "period": period,
               "period_text": target.period_text, "fields": []}
    if zone is None or period is None:
        return render(request, "zones/indicator_entry.html", context)

    if period.quarter:  # a quarterly figure (一季度 … 全年) is the cumulative of the quarter's last month
        month = Period(period.year, month=period.quarter * 3)
        messages.info(request, f"季度指标按季末月份填报：{period_label(str(period))}即 {month}（1—{month.month}月累计），"
                               "已打开该月份。")
        return redirect(_entry_url(zone, month))
    indicators, notes = _entry_indicators(period)
    values = indicator_value_list(user.scope, zone_code=zone.code)
    previous_period, last_year_period = period.previous_month(), period.same_period_last_year()
    shown: dict[str, dict[str, IndicatorValue]] = {str(p): {} for p in (period, previous_period, last_year_period) if p}  # one query for the three
    for v in values.filter(period__in=list(shown)):
        shown[v.period][v.indicator.key] = v
    current = {k: v.value for k, v in shown[str(period)].items()}
    current_base = {k: v.base_revised for k, v in shown[str(period)].items()}
    previous = {k: v.value for k, v in shown.get(str(previous_period), {}).items()}
    last_year = {k: v.value for k, v in shown[str(last_year_period)].items()}
    locked = {i for _, _, i in locked_values([zone.id], [str(period)])}
    # other domains' computed figures, never into an approved (locked) value nor for those who may not enter
    offers: dict[str, list] = {}
    if may_enter:
        open_keys = {ind.key for ind in indicators if ind.id not in locked}
        for offer in indicator_offers(zone, period):
            if offer.indicator in open_keys:
                offers.setdefault(offer.indicator, []).append(offer)
    posted = request.POST.copy() if request.method == "POST" else None
    adopted = request.POST.get("adopt", "") if posted is not None else ""
    if adopted:  # 采用: the offered value goes into the form, nothing is saved until the user saves
        authz.require(user, caps.ENTER_ZONE_DATA)
        offered, _, index = adopted.partition(":")
        choices = offers.get(offered, [])
        if not index.isdigit() or int(index) >= len(choices):
            raise Http404("该建议值已不可采用")
        posted[f"v_{offered}"] = value_text(float(choices[int(index)].value))  # type: ignore[index]
    form = IndicatorValuesForm(posted, indicators=indicators, current=current, current_base=current_base)
    errors = []
    saving = posted is not None and not adopted
    changed = form.changed_rows() if saving and form.is_valid() else []
    if saving and form.is_valid():  # changed_rows may have added errors
        if not changed:
            messages.info(request, "没有修改任何数值，未作更改。")
            return redirect(_entry_url(zone, period))
        rows = [{"zone_code": zone.code, "period": str(period), **row} for row in changed]
        result = run_import_rows(ZONE_INDICATORS.name, rows, user=user, zone_code=zone.code, source="网页填报",
                                 capability=caps.ENTER_ZONE_DATA)
        if result.ok:
            messages.success(request, f"已保存 {zone.name} {period.label()} 的指标：新增 {result.created} 项，"
                                      f"更新 {result.updated} 项。")
            return redirect(_entry_url(zone, period))
        for error in result.errors:
            key = _row_key(rows, error.row)
            if key:
                form.add_indicator_error(key, error.message,
                                         "base_revised" if error.column.startswith("上年同期调整值") else "value")
            else:
                errors.append(error)
    context |= {
        "form": form, "errors": errors, "previous_period": previous_period,
        "fields": [{"indicator": ind, "field": form[f"v_{ind.key}"], "base_field": form[f"b_{ind.key}"],
                    "current": current.get(ind.key), "previous": previous.get(ind.key),
                    "last_year": last_year.get(ind.key), "locked": ind.id in locked,
                    "offers": [(f"{ind.key}:{n}", o, value_text(float(o.value)))
                               for n, o in enumerate(offers.get(ind.key, []))],
                    "adopted": adopted.startswith(f"{ind.key}:"),
                    "period_label": _field_period(ind, period)} for ind in indicators],
        "last_year_period": last_year_period,
        "notes": notes,
        "sections": entry_sections(user, zone, period),
        "locked": bool(locked),
        "adopted": adopted,
        "has_errors": bool(form.errors or errors),
    }
    return render(request, "zones/indicator_entry.html", context, status=400 if context["has_errors"] else 200)


def _entry_indicators(period: Period) -> tuple[list, list[str]]:
    """The indicators a report of `period` carries, and notes on those it leaves out this month: a monthly
    report carries 地区生产总值 (quarterly) only in months 3, 6, 9, 12 and the indicators reported 1—2月
    merged not in January (the catalogue's reporting conventions)."""
    if not period.month:
        return indicator_catalogue(frequency=period.frequency), []
    every = [i for i in indicator_catalogue() if i.frequency in ("month", "quarter")]
    shown = [i for i in every if reported_in_month(i.key, period.month)]
    notes = []
    quarterly = [i.name for i in every if i.frequency == "quarter"]
    if quarterly and period.month % 3:
        notes.append(f"{'、'.join(quarterly)}按季度报送（一季度、上半年、前三季度、全年），在3月、6月、9月、12月填报。")
    merged = [i.name for i in every if i not in shown and i.frequency == "month"]
    if merged:
        notes.append(f"{'、'.join(merged)}1—2月合并报送，1月不填报，请在2月填报1—2月累计数。")
    return shown, notes


def _field_period(indicator, period: Period) -> str:
    """What the value covers, where it differs from 1—n月累计: 前三季度累计, 1—2月累计."""
    if not period.month or not indicator.cumulative:
        return ""
    return period_label(str(period), indicator.key).removeprefix(f"{period.year}年") + "累计"


def _row_key(rows: list[dict], row) -> str | None:
    """The indicator a CellError's row points at (rows are numbered from 1, as in a sheet without header)."""
    try:
        return rows[int(row) - 1]["indicator"]
    except (TypeError, ValueError, IndexError):
        return None
