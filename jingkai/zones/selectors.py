from django.db.models import QuerySet

from jingkai.accounts.scope import Scope
from jingkai.zones.models import IndicatorValue, Zone


def zone_list(scope: Scope, *, level: str | None = None, region: str | None = None,
              province: str | None = None) -> QuerySet[Zone]:
    zones = scope.filter(Zone.objects.all(), zone_field="self")
    if level:
        zones = zones.filter(level=level)
    if region:
        zones = zones.filter(region=region)
    if province:
        zones = zones.filter(province=province)
    return zones


def indicator_value_list(scope: Scope, *, zone_code: str | None = None, period: str | None = None,
                         indicator: str | None = None) -> QuerySet[IndicatorValue]:
    values = scope.filter(IndicatorValue.objects.select_related("zone", "indicator"))
    if zone_code:
        values = values.filter(zone__code=zone_code)
    if period:
        values = values.filter(period=period)
    if indicator:
        values = values.filter(indicator__key=indicator)
    return values.order_by("zone__code", "period", "indicator__id")
