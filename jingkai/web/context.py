"""The menu, built from the domains' registered entries and fitted to the user's capabilities."""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from jingkai.accounts.authz import has
from jingkai.registry import MenuEntry, menu
from jingkai.web.todo import todo_total
from jingkai.zones.models import Zone

HOME = MenuEntry("home", "首页", 0)
TODO = MenuEntry("todo", "待办", 1)
DICTIONARY = MenuEntry("dictionary", "数据字典", 95)
DEMO_FLAG_SECONDS = 30  # the demo banner's lookup is shared for this long instead of run on every page


def demo_data() -> bool:
    flag = cache.get("jingkai:demo-data")
    if flag is None:
        flag = Zone.objects.filter(is_demo=True).exists()
        cache.set("jingkai:demo-data", flag, DEMO_FLAG_SECONDS)
    return bool(flag)


def current_entry(entries: list[MenuEntry], view_name: str | None) -> str | None:
    """The entry whose section the page belongs to (the longest matching prefix)."""
    if not view_name:
        return None
    matches = [(len(p), e.url_name) for e in entries for p in e.current_prefixes
               if view_name == p or (p.endswith(":") and view_name.startswith(p))]
    return max(matches)[1] if matches else None


def navigation(request) -> dict:
    """The menu, and whether the database holds demo data (shown on every page)."""
    context = {"demo_data": demo_data()}
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return context
    entries = [HOME, TODO] + [e for e in menu() if e.capability is None or has(user, e.capability)] + [DICTIONARY]
    match = getattr(request, "resolver_match", None)
    return context | {"nav_items": [(e.url_name, e.label) for e in entries],
                      "nav_current": current_entry(entries, match.view_name if match else None),
                      "todo_total": SimpleLazyObject(lambda: todo_total(user))}  # computed when the menu shows
