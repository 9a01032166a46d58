"""The core pages: the province overview (home) and the error pages. Domain pages live in their apps."""

from django.http import HttpResponse
from django.shortcuts import redirect, render

from jingkai.accounts import authz
from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required
from jingkai.zones.capabilities import BROWSE_ZONES, VIEW_ZONES
from jingkai.zones.selectors import overview


@capability_required(VIEW_ZONES)
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The overview for those who browse zones; a zone committee goes to its own zone."""
    if not authz.has(request.user, BROWSE_ZONES):
        return redirect("zones:mine")
    return render(request, "web/home.html", {"overview": overview(request.user.scope)})
