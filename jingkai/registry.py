"""The one place where domain apps declare what they bring: pages, API routers, import kinds, menu entries,
capabilities and the demo builder.

A domain app's `AppConfig` subclasses `DomainConfig` and sets `domain = Domain(...)`; the URL conf, the API,
the menu, the import page and `jingkai demo` collect from here. Adding a domain therefore edits no central
file except `INSTALLED_APPS`. References are "module:attribute" strings so that declaring a domain imports
nothing (its views, routers and kinds load when first used).

This module imports no Django app of Jingkai: every app may import it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Capability:
    """A named right (`measures.assign_tasks`), held by org-unit roles (province, department, city, zone).
    `permission`, when set, is a Django permission the user must also hold (granted per user in the admin),
    for rights given to some people of a unit only, such as reviewing the unit's reports."""

    code: str
    label: str  # what it allows, in Chinese, completing "无权…": 分解下达任务
    roles: frozenset[str]
    permission: str | None = None

    def __str__(self) -> str:
        return self.code


def capability(code: str, label: str, *roles: str, permission: str | None = None) -> Capability:
    return Capability(code, label, frozenset(roles), permission)


@dataclass(frozen=True)
class MenuEntry:
    """A menu item. It shows to users who hold `capability` (everyone signed in when None), under its `group`'s
    heading in the side menu (groups in the order of their first entry), and is marked current on every page
    whose URL name starts with one of `sections` (default: its namespace)."""

    url_name: str
    label: str
    order: int
    capability: Capability | None = None
    sections: tuple[str, ...] = ()
    group: str = ""  # 园区与企业, 运行与评价, 督办, 数据管理; "" for the entries above the groups

    @property
    def current_prefixes(self) -> tuple[str, ...]:
        if self.sections:
            return self.sections
        namespace, sep, _ = self.url_name.partition(":")
        return (f"{namespace}:",) if sep else (self.url_name,)


@dataclass(frozen=True)
class TodoItem:
    """A line of the 待办 panel. A domain provides the extension point "web.todo" as a function
    (user, today) -> list[TodoItem]: what waits for this user, in the user's scope, with the list that shows it.
    It returns the items of the user's role only (a zone clerk has no 待审核), a count of 0 included."""

    key: str  # stable, for the page's ids and the tests: "monitoring.to_submit"
    group: str  # one of TODO_GROUPS: the panel's heading
    label: str  # 园区月报
    count: int
    url: str  # the filtered list (or the one record when there is one)
    note: str = ""  # 其中 2 项已逾期


TODO = "web.todo"
TODO_GROUPS = ("待报送", "被退回", "待审核", "临期和逾期任务", "待发布通报", "后台任务")


@dataclass(frozen=True)
class DictionaryEntry:
    """One line of the 数据字典 page (extension point "web.dictionary": a function () -> list of
    DictionarySection): a datum as the office reads it. `verified` is False while its 口径 (the official
    definition) has not been confirmed against its source: the page says 待核实."""

    name: str  # 规模以上工业总产值
    key: str  # the column name of imports and exports: industrial_output
    unit: str  # 万元; "" when it has none
    definition: str  # "" when no definition has been written
    source: str  # the department or unit the figure comes from; "" when not settled
    verified: bool
    note: str = ""  # frequency, direction, values allowed …


@dataclass(frozen=True)
class DictionarySection:
    title: str
    intro: str
    entries: tuple[DictionaryEntry, ...]


DICTIONARY = "web.dictionary"
# (user) -> a panel of the home page (an object with `template` and `data`, e.g. zones' ZoneSection) or None:
# monitoring's KPI cards of the reviewed figures.
HOME_SECTIONS = "web.home_sections"


@dataclass(frozen=True)
class HealthCheck:
    """One line of /healthz (extension point "web.health": a function () -> list of HealthCheck)."""

    name: str  # "worker"
    ok: bool
    detail: str  # in Chinese: 最近心跳 3 秒前


HEALTH = "web.health"


@dataclass(frozen=True)
class Domain:
    """What one domain app contributes. Strings name "module:attribute"."""

    label: str  # the Chinese name of the domain
    url_prefix: str | None = None  # mounted at this path ("measures/"); "" for the site root
    urls: str | None = None  # the app's URL module; its `app_name` is the URL namespace
    api_routers: Sequence[tuple[str, str]] = ()  # (path under /api/v1, "module:router")
    menu: Sequence[MenuEntry] = ()
    capabilities: Sequence[Capability] = ()
    import_kinds: str | None = None  # "module:KINDS", a sequence of intake kinds
    demo: str | None = None  # "module:function", called by the demo build with its context
    demo_order: int = 100  # demo builders run in this order (later ones use earlier ones' data)
    # What this domain contributes to another domain's pages, by extension point ("zones.page_sections"):
    # the owner of a page names its points and calls `provided(point)`, so it never imports the contributor.
    provides: dict[str, str] = field(default_factory=dict)


class DomainConfig(AppConfig):
    """Base AppConfig of a domain app: set `domain` on the subclass."""

    domain: Domain


def domains() -> list[tuple[AppConfig, Domain]]:
    """Every installed domain in INSTALLED_APPS order."""
    return [(config, config.domain) for config in apps.get_app_configs() if isinstance(config, DomainConfig)]


def load(reference: str) -> Any:
    """The object a "module:attribute" reference names."""
    return import_string(reference.replace(":", "."))


def capabilities() -> dict[str, Capability]:
    found: dict[str, Capability] = {}
    for _, domain in domains():
        for cap in domain.capabilities:
            if cap.code in found and found[cap.code] != cap:
                raise ValueError(f"能力 {cap.code} 被重复声明且内容不同")
            found[cap.code] = cap
    return found


def menu() -> list[MenuEntry]:
    return sorted((entry for _, domain in domains() for entry in domain.menu), key=lambda e: e.order)


def api_routers() -> list[tuple[str, Any]]:
    return [(path, load(ref)) for _, domain in domains() for path, ref in domain.api_routers]


def import_kinds() -> list[Any]:
    return [kind for _, domain in domains() if domain.import_kinds for kind in load(domain.import_kinds)]


def provided(point: str) -> list[Any]:
    """Every contribution to an extension point, in INSTALLED_APPS order."""
    return [load(domain.provides[point]) for _, domain in domains() if point in domain.provides]


def demo_builders() -> list[tuple[str, str, Any]]:
    """(domain label, "module:function", the function) in `demo_order`."""
    ordered = sorted((d for _, d in domains() if d.demo), key=lambda d: d.demo_order)
    return [(d.label, d.demo, load(d.demo)) for d in ordered if d.demo]
