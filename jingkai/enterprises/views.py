"""Enterprise pages: the searchable list (with an HTMX partial for its results) and an enterprise's page.
Every read goes through the scope-filtered selectors; an enterprise outside the scope is a 404."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from jingkai import lists
from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required
from jingkai.enterprises.capabilities import VIEW_ENTERPRISES
from jingkai.enterprises.forms import EnterpriseFilterForm
from jingkai.enterprises.industry import industry_name
from jingkai.enterprises.models import Enterprise
from jingkai.enterprises.selectors import enterprise_list, enterprise_profile, zones_with_enterprises

COLUMNS = (  # the list's columns: sort keys (database fields), headings, the list export's columns
    lists.Column("name", "企业名称", field="name"),
    lists.Column("uscc", "统一社会信用代码", field="uscc"),
    lists.Column("zone", "所在园区", "zone.name", field="zone__code,name"),
    lists.Column("industry", "行业代码", "industry_code", field="industry_code"),
    lists.Column("industry_name", "行业名称", lambda e: industry_name(e.industry_code), sortable=False),
    lists.Column("scale", "规模", "get_size_class_display", field="size_class"),
    lists.Column("above_scale", "规上", field="above_scale"),
    lists.Column("ownership", "登记注册类型", "get_ownership_display", field="ownership"),
)
EXPORT_KINDS = ("enterprises", "enterprise-years")  # the list's exports (intake:export), by its zone filter


@capability_required(VIEW_ENTERPRISES)
def enterprise_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = request.user.scope
    form = EnterpriseFilterForm(request.GET)
    enterprises = enterprise_list(scope, **form.query())
    table = lists.listing(enterprises, request.GET, COLUMNS, default_sort="zone")
    if lists.wants_export(request.GET):
        return lists.export(table, title="企业名录", filename="企业名录")
    context = {"listing": table, "page": table.page, "htmx_target": "#results",
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
