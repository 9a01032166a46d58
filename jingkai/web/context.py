"""The menu, built from the domains' registered entries and fitted to the user's capabilities: the side menu
by group, the breadcrumbs of the current page, and who is signed in (unit and role) for the header."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from jingkai.accounts.authz import ROLES, has, role_of
from jingkai.registry import MenuEntry, menu
from jingkai.web.todo import todo_total
from jingkai.zones.models import Zone

HOME = MenuEntry("home", "首页", 0)
TODO = MenuEntry("todo", "待办", 1)
DICTIONARY = MenuEntry("dictionary", "数据字典", 95, group="数据管理")
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


@dataclass(frozen=True)
class NavGroup:
    label: str  # "" for the entries above the groups (首页, 待办)
    items: tuple[tuple[str, str], ...]  # (url name, label)


def groups(entries: list[MenuEntry]) -> list[NavGroup]:
    """The entries by group, groups in the order of their first entry, entries in their order."""
    labels: list[str] = []
    for e in sorted(entries, key=lambda e: e.order):
        if e.group not in labels:
            labels.append(e.group)
    return [NavGroup(g, tuple((e.url_name, e.label) for e in sorted(entries, key=lambda e: e.order) if e.group == g))
            for g in labels]


def breadcrumbs(entries: list[MenuEntry], current: str | None, view_name: str | None) -> list[tuple[str, str]]:
    """首页 › group › the section: (label, url); the url is "" for the page itself."""
    entry = next((e for e in entries if e.url_name == current), None)
    if entry is None or entry.url_name == HOME.url_name:
        return []
    crumbs = [(HOME.label, reverse(HOME.url_name))]
    if entry.group:
        crumbs.append((entry.group, ""))
    crumbs.append((entry.label, "" if view_name == entry.url_name else reverse(entry.url_name)))
    return crumbs


def role_label(user: Any) -> str:
    """The role as the header shows it: the kind of the user's unit (from its scope: no query)."""
    return "系统管理员" if user.is_superuser else ROLES.get(role_of(user), "未分配机构")


def navigation(request) -> dict:
    """The menu, and whether the database holds demo data (shown on every page)."""
    context: dict[str, Any] = {"demo_data": demo_data()}
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return context
    entries = [HOME, TODO] + [e for e in menu() if e.capability is None or has(user, e.capability)] + [DICTIONARY]
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else None
    current = current_entry(entries, view_name)
    return context | {"nav_items": [(e.url_name, e.label) for e in entries], "nav_groups": groups(entries),
                      "nav_current": current, "breadcrumbs": breadcrumbs(entries, current, view_name),
                      "user_role": SimpleLazyObject(lambda: role_label(user)),
                      "todo_total": SimpleLazyObject(lambda: todo_total(user))}  # computed when the menu shows
