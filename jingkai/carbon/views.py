"""绿色低碳 pages: the zones in scope with their latest account; one zone's data gate, CO₂ inventory (each line's
factor and notice) and 零碳园区 1+5 table."""

from django.http import HttpResponse
from django.shortcuts import render

from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required
from jingkai.carbon.capabilities import VIEW_CARBON
from jingkai.carbon.selectors import latest_accounts, zone_carbon
from jingkai.zones.selectors import zone_get


@capability_required(VIEW_CARBON)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    seen: set[int] = set()
    accounts = []
    for a in latest_accounts(request.user.scope)[:2000]:
        if a.zone_id not in seen:
            seen.add(a.zone_id)
            accounts.append(a)
    return render(request, "carbon/index.html", {"accounts": accounts})


@capability_required(VIEW_CARBON)
def zone(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return render(request, "carbon/zone.html", {"c": zone_carbon(zone_get(request.user.scope, code))})
