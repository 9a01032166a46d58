"""绿色低碳 pages: the zones in scope with their latest account; one zone's data gate, CO₂ inventory (each line's
factor and notice) and 零碳园区 1+5 table."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required, has
from jingkai.carbon.capabilities import COMPUTE_CARBON, VIEW_CARBON
from jingkai.carbon.selectors import latest_accounts, zone_carbon
from jingkai.jobs.pages import start
from jingkai.zones.selectors import zone_get


@capability_required(VIEW_CARBON)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    seen: set[int] = set()
    accounts = []
    for a in latest_accounts(request.user.scope)[:2000]:
        if a.zone_id not in seen:
            seen.add(a.zone_id)
            accounts.append(a)
    return render(request, "carbon/index.html", {"accounts": accounts, "can_compute": has(request.user, COMPUTE_CARBON),
                                                 "last_year": timezone.localdate().year - 1})


@capability_required(COMPUTE_CARBON)
@require_POST
def compute_accounts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """核算 every zone in scope for a year: always a job (every enterprise's energy records are read)."""
    year = request.POST.get("year", "")
    if not year.isdigit() or not 2000 <= int(year) <= timezone.localdate().year:
        raise Http404("核算年度无效")
    return start(request, "carbon.accounts", {"year": int(year)}, f"园区碳排放核算（{year}年）",
                 "核算需读取各园区全部企业的能源数据")


@capability_required(VIEW_CARBON)
def zone(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    return render(request, "carbon/zone.html", {"c": zone_carbon(zone_get(request.user.scope, code))})
