"""Enterprise pages: the searchable list (with an HTMX partial for its results) and an enterprise's page.
Every read goes through the scope-filtered selectors; an enterprise outside the scope is a 404."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required
from jingkai.enterprises.capabilities import VIEW_ENTERPRISES
from jingkai.enterprises.forms import EnterpriseFilterForm
from jingkai.enterprises.models import Enterprise
from jingkai.enterprises.selectors import enterprise_list, enterprise_profile, zones_with_enterprises

PAGE_SIZE = 50
EXPORT_KINDS = ("enterprises", "enterprise-years")  # the list's exports (intake:export), by its zone filter


@capability_required(VIEW_ENTERPRISES)
def enterprise_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = request.user.scope
    form = EnterpriseFilterForm(request.GET)
    enterprises = enterprise_list(scope, **form.query())
    context = {"page": Paginator(enterprises, PAGE_SIZE).get_page(request.GET.get("page")),
               "filters": form.filters(), "export_kinds": EXPORT_KINDS}
    partial = request.headers.get("HX-Target") == "results" and not request.headers.get("HX-History-Restore-Request")
    if partial:
        response = render(request, "enterprises/_enterprise_results.html", context)
    else:
        context |= {"zones": zones_with_enterprises(scope), "sizes": Enterprise.Size.choices}
        response = render(request, "enterprises/enterprise_list.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@capability_required(VIEW_ENTERPRISES)
def enterprise_detail(request: AuthenticatedHttpRequest, uscc: str) -> HttpResponse:
    profile = enterprise_profile(request.user.scope, uscc)
    return render(request, "enterprises/enterprise_detail.html", {"profile": profile,
                                                                   "enterprise": profile.enterprise})
