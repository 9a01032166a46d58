from jingkai.zones.models import Zone

# The navigation section each page belongs to, so that the menu marks where the user is.
SECTIONS = {"zone_detail": "zone_list", "enterprise_detail": "enterprise_list"}
# Pages of a domain app belong to that app's menu entry (url names carry the app as prefix).
APP_SECTIONS = {"evaluation": "evaluation_ranking", "monitoring": "monitoring_dashboard",
                "measures": "measures_dashboard", "programmes": "programmes:index"}


def navigation(request) -> dict:
    """The menu fitted to the user's role, and whether the database holds demo data (shown on every page)."""
    context = {"demo_data": Zone.objects.filter(is_demo=True).exists()}
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return context
    scope = user.scope
    items = [("home", "首页")]
    if scope.kind in {"province", "department", "city"} or user.is_superuser:
        items.append(("zone_list", "园区"))
    elif scope.kind == "zone":
        items.append(("my_zone", "本园区"))
    items += [("enterprise_list", "企业"), ("programmes:index", "企业培育"), ("evaluation_ranking", "综合评价"),
              ("monitoring_dashboard", "经济运行"),
              ("measures_dashboard", "措施督办")]
    if scope.can_write_zone_data or user.is_superuser:  # departments only read zone data: nothing to enter
        items += [("indicator_entry", "指标填报"), ("import_data", "数据导入")]
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else None
    if scope.kind == "zone" and current == "zone_detail":
        current = "my_zone"
    app = current.replace(":", "_").split("_")[0] if current else None
    if app in APP_SECTIONS:
        current = APP_SECTIONS[app]
    return context | {"nav_items": items, "nav_current": SECTIONS.get(current, current), "scope": scope}
