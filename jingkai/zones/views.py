"""Zone pages: the list, the user's own zone, a zone's page. Every read goes through the scope-filtered
selectors; a zone outside the scope is a 404."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jingkai.accounts import authz
from jingkai.zones import capabilities as caps
from jingkai.zones.forms import ZoneFilterForm
from jingkai.zones.models import Zone
from jingkai.zones.selectors import GANSU, zone_directory, zone_get, zone_list, zone_profile, zone_rows

PAGE_SIZE = 50
EXPORT_KINDS = ("enterprises", "enterprise-years", "zone-indicators")  # the zone page's exports (intake:export)


@login_required
def my_zone(request: HttpRequest) -> HttpResponse:
    """A zone committee goes to its zone's page; everyone else to the list."""
    user = request.user
    if authz.has(user, caps.OWN_ZONE) and not authz.has(user, caps.BROWSE_ZONES):
        zones = list(zone_list(user.scope)[:2])
        if len(zones) == 1:
            return redirect("zones:detail", code=zones[0].code)
    return redirect("zones:list")


@login_required
def zone_list_view(request: HttpRequest) -> HttpResponse:
    form = ZoneFilterForm(request.GET)
    filters = form.filters()
    zones = zone_directory(request.user.scope, level=str(filters["level"]) or None,
                           region=str(filters["region"]) or None, province=None if filters["all"] else GANSU)
    page = Paginator(zones, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "zones/zone_list.html", {
        "page": page, "rows": zone_rows(request.user.scope, page.object_list),
        "levels": Zone.Level.choices, "regions": Zone.Region.choices, "filters": filters,
    })


@login_required
def zone_detail(request: HttpRequest, code: str) -> HttpResponse:
    zone = zone_get(request.user.scope, code)
    return render(request, "zones/zone_detail.html", {
        "profile": zone_profile(request.user.scope, zone), "zone": zone, "export_kinds": EXPORT_KINDS,
        "can_enter_data": authz.has(request.user, caps.ENTER_ZONE_DATA),
    })
