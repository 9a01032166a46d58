from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from jingkai.paging import Paging, paginate
from jingkai.zones.models import Indicator
from jingkai.zones.selectors import indicator_value_list, zone_list

router = Router(tags=["园区"])
indicators_router = Router(tags=["指标"])
indicator_values_router = Router(tags=["指标"])


class ZoneOut(Schema):
    zone_code: str
    name: str
    level: str
    region: str
    province: str
    city: str
    division_code: str
    approved_year: int | None
    planned_area_km2: float | None
    leading_industries: list[str]


class ZonePage(Schema):
    count: int
    items: list[ZoneOut]


def zone_out(zone) -> dict:
    return {
        "zone_code": zone.code,
        "name": zone.name,
        "level": zone.level,
        "region": zone.region,
        "province": zone.province,
        "city": zone.city,
        "division_code": zone.division_code,
        "approved_year": zone.approved_year,
        "planned_area_km2": zone.planned_area_km2,
        "leading_industries": zone.leading_industries,
    }


@router.get("", response=ZonePage, summary="园区列表")
def list_zones(
    request,
    paging: Query[Paging],
    level: str | None = None,
    region: str | None = None,
    province: str | None = None,
):
    return paginate(
        zone_list(request.user.scope, level=level, region=region, province=province), paging, zone_out
    )


@router.get("/{zone_code}", response=ZoneOut, summary="园区详情")
def get_zone(request, zone_code: str):
    return zone_out(get_object_or_404(zone_list(request.user.scope), code=zone_code))


class IndicatorOut(Schema):
    key: str
    name: str
    unit: str
    direction: int
    frequency: str
    cumulative: bool
    lower_bound: float | None
    upper_bound: float | None
    definition: str
    source_department: str | None
    unverified: bool


class IndicatorPage(Schema):
    count: int
    items: list[IndicatorOut]


def indicator_out(indicator: Indicator) -> dict:
    department = indicator.source_department
    return {
        "key": indicator.key,
        "name": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "frequency": indicator.frequency,
        "cumulative": indicator.cumulative,
        "lower_bound": indicator.lower_bound,
        "upper_bound": indicator.upper_bound,
        "definition": indicator.definition,
        "source_department": department.code if department else None,
        "unverified": indicator.unverified,
    }


@indicators_router.get(
    "",
    response=IndicatorPage,
    summary="指标目录",
    description="source_department 为数据来源部门的机构代码；unverified 表示口径待核实。",
)
def list_indicators(request, paging: Query[Paging], frequency: str | None = None):
    indicators = Indicator.objects.select_related("source_department").order_by("id")
    if frequency:
        indicators = indicators.filter(frequency=frequency)
    return paginate(indicators, paging, indicator_out)


class IndicatorValueOut(Schema):
    zone_code: str
    period: str
    indicator: str
    value: float
    base_revised: float | None  # 上年同期调整值 (可比口径), the base of 同比 when given
    unit: str
    source: str
    note: str


class IndicatorValuePage(Schema):
    count: int
    items: list[IndicatorValueOut]


def indicator_value_out(value) -> dict:
    return {
        "zone_code": value.zone.code,
        "period": value.period,
        "indicator": value.indicator.key,
        "value": value.value,
        "base_revised": value.base_revised,
        "unit": value.indicator.unit,
        "source": value.source,
        "note": value.note,
    }


@indicator_values_router.get(
    "",
    response=IndicatorValuePage,
    summary="园区指标值",
    description="月度期间（YYYY-MM）为1月至当月累计值。base_revised 为上年同期调整值（可比口径），有值时作为同比基数。",
)
def list_indicator_values(
    request,
    paging: Query[Paging],
    zone_code: str | None = None,
    period: str | None = None,
    indicator: str | None = None,
):
    values = indicator_value_list(request.user.scope, zone_code=zone_code, period=period, indicator=indicator)
    return paginate(values, paging, indicator_value_out)
