from django.conf import settings


def navigation(request) -> dict:
    """The menu fitted to the user's role."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    scope = user.scope
    items = [("home", "首页")]
    if scope.kind in {"province", "department", "city"} or user.is_superuser:
        items.append(("zone_list", "园区"))
    elif scope.kind == "zone":
        items.append(("my_zone", "本园区"))
    items += [("enterprise_list", "企业"), ("indicator_entry", "指标填报"), ("import_data", "数据导入")]
    return {"nav_items": items, "scope": scope, "demo_mode": getattr(settings, "JINGKAI_DEMO_LABEL", True)}
