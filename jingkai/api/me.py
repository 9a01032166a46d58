from ninja import Router, Schema

from jingkai.zones.selectors import zone_list

router = Router(tags=["账户"])


class OrgUnitOut(Schema):
    code: str
    name: str
    kind: str


class MeOut(Schema):
    username: str
    full_name: str
    org_unit: OrgUnitOut | None
    scope: str
    all_zones: bool
    zone_codes: list[str]


@router.get(
    "",
    response=MeOut,
    summary="当前用户及其数据范围",
    description="scope 为 province / department / city / zone / none；zone_codes 为可读取的园区代码。",
)
def me(request):
    user, scope = request.user, request.user.scope
    unit = user.org_unit
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "org_unit": {"code": unit.code, "name": unit.name, "kind": unit.kind} if unit else None,
        "scope": scope.kind,
        "all_zones": scope.all_zones,
        "zone_codes": list(zone_list(scope).values_list("code", flat=True)),
    }
