"""Reading enterprises, always through the user's scope."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from jingkai.accounts.scope import Scope
from jingkai.enterprises.models import Enterprise, EnterpriseYear


def enterprise_list(scope: Scope, *, q: str | None = None, zone_code: str | None = None,
                    industry_code: str | None = None, size_class: str | None = None,
                    above_scale: bool | None = None) -> QuerySet[Enterprise]:
    """`q` matches name or USCC; `industry_code` matches as a prefix (C38 finds C3841)."""
    enterprises = scope.filter(Enterprise.objects.select_related("zone"))
    if q:
        enterprises = enterprises.filter(Q(name__contains=q) | Q(uscc__startswith=q.upper()))
    if zone_code:
        enterprises = enterprises.filter(zone__code=zone_code)
    if industry_code:
        enterprises = enterprises.filter(industry_code__startswith=industry_code.upper())
    if size_class:
        enterprises = enterprises.filter(size_class=size_class)
    if above_scale is not None:
        enterprises = enterprises.filter(above_scale=above_scale)
    return enterprises.order_by("zone__code", "name")


def enterprise_get(scope: Scope, uscc: str) -> Enterprise:
    """404 when the enterprise does not exist or lies outside the scope: the two are not told apart."""
    return get_object_or_404(enterprise_list(scope), uscc=uscc)


def enterprise_year_list(scope: Scope, *, uscc: str | None = None, year: int | None = None,
                         zone_code: str | None = None) -> QuerySet[EnterpriseYear]:
    years = scope.filter(EnterpriseYear.objects.select_related("enterprise", "enterprise__zone"), "enterprise__zone")
    if uscc:
        years = years.filter(enterprise__uscc=uscc)
    if year:
        years = years.filter(year=year)
    if zone_code:
        years = years.filter(enterprise__zone__code=zone_code)
    return years.order_by("enterprise__uscc", "year")
