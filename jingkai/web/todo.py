"""The 待办 panel: what waits for the user, collected from the domains through the extension point "web.todo"
(jingkai.registry.TODO), so that the web app imports no domain. Grouped under the five headings of
registry.TODO_GROUPS. The menu shows the total as the home page and 我的待办 last computed it (kept for
TOTAL_SECONDS): other pages run no query for it (the province's panel costs ~0.2 s on the demo data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache

from jingkai.registry import TODO, TODO_GROUPS, TodoItem, provided

TOTAL_SECONDS = 600


@dataclass(frozen=True)
class TodoGroup:
    label: str
    items: tuple[TodoItem, ...]

    @property
    def count(self) -> int:
        return sum(i.count for i in self.items)


@dataclass(frozen=True)
class TodoPanel:
    groups: tuple[TodoGroup, ...]  # the headings the user's role has a part in, in TODO_GROUPS order

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)


def _key(user: Any) -> str:
    return f"jingkai:todo-total:{user.pk}"


def todo_panel(user: Any, today: date | None = None) -> TodoPanel:
    items = [item for provider in provided(TODO) for item in provider(user, today or date.today())]
    groups = tuple(TodoGroup(label, tuple(i for i in items if i.group == label)) for label in TODO_GROUPS)
    panel = TodoPanel(tuple(g for g in groups if g.items))
    cache.set(_key(user), panel.total, TOTAL_SECONDS)
    return panel


def todo_total(user: Any) -> int | None:
    """The menu's count: the panel's total when a page with the panel computed it lately, else None."""
    total = cache.get(_key(user))
    return int(total) if total is not None else None
