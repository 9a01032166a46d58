from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from jingkai.zones.selectors import zone_list

router = Router(tags=["园区"])


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
        "zone_code": zone.code, "name": zone.name, "level": zone.level, "region": zone.region,
        "province": zone.province, "city": zone.city, "division_code": zone.division_code,
        "approved_year": zone.approved_year, "planned_area_km2": zone.planned_area_km2,
        "leading_industries": zone.leading_industries,
    }


@router.get("", response=ZonePage, summary="园区列表")
def list_zones(request, level: str | None = None, region: str | None = None, province: str | None = None,
               limit: int = 100, offset: int = 0):
    zones = zone_list(request.user.scope, level=level, region=region, province=province)
    page = zones[offset: offset + min(limit, 1000)]
    return {"count": zones.count(), "items": [zone_out(z) for z in page]}


@router.get("/{zone_code}", response=ZoneOut, summary="园区详情")
def get_zone(request, zone_code: str):
    return zone_out(get_object_or_404(zone_list(request.user.scope), code=zone_code))
