"""What the 督办 register asks of a user, for the 待办 panel (extension point "web.todo", jingkai.registry):
progress reports to finish or rework (the owner unit), to review (the unit's reviewer) and to confirm (the
province), and the tasks near or past their deadline. Each count covers the user's scope only; the reports are
counted in one query, the tasks' statuses as the register computes them."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Max, Min, Q
from django.urls import reverse

from jingkai.accounts.authz import has
from jingkai.engines.supervision import OVERDUE
from jingkai.measures import capabilities as caps
from jingkai.measures.models import ProgressReport
from jingkai.measures.selectors import DUE_SOON, due_soon, task_list, task_rows
from jingkai.registry import TodoItem
from jingkai.workflow import self_approval_allowed

State = ProgressReport.State


def _tasks_url(**query: str) -> str:
    return reverse("measures:tasks") + "?" + urlencode(query)


def todo(user: Any, today: date) -> list[TodoItem]:
    if not has(user, caps.VIEW_MEASURES):
        return []
    tasks = task_list(user)
    units = user.scope.unit_ids if user.scope.unit_ids is not None else {user.org_unit_id}
    own = Q(task__owner__in=units)  # a unit's own tasks (for the province: not those it supervises)
    by_other = Q() if self_approval_allowed() else ~Q(author=user.pk)  # nobody reviews their own report
    wanted = {"drafts": Q(state=State.DRAFT) & own, "returned": Q(state=State.RETURNED) & own,
              "to_review": Q(state=State.SUBMITTED) & by_other, "to_confirm": Q(state=State.REVIEWED) & by_other}
    found = ProgressReport.objects.filter(task__in=tasks).aggregate(**{
        f"{key}_{name}": f(field, filter=q) for key, q in wanted.items()
        for name, f, field in (("n", Count, "id"), ("first", Min, "task_id"), ("last", Max, "task_id"))})

    def item(key: str, group: str, label: str, state: str, note: str = "") -> TodoItem:
        n, first, last = found[f"{key}_n"], found[f"{key}_first"], found[f"{key}_last"]
        url = reverse("measures:task", args=[first]) if n and first == last else _tasks_url(report=state)
        return TodoItem(f"measures.{key}", group, label, n, url, note)

    items: list[TodoItem] = []
    if has(user, caps.REPORT_PROGRESS):
        items.append(item("drafts", "待报送", "进展报告未提交", State.DRAFT, "已填写，尚未提交审核"))
        items.append(item("returned", "被退回", "进展报告", State.RETURNED, "请按修改意见修改后重新提交"))
    if has(user, caps.REVIEW_REPORTS):
        items.append(item("to_review", "待审核", "进展报告", State.SUBMITTED))
    if has(user, caps.CONFIRM_REPORTS):
        items.append(item("to_confirm", "待审核", "进展报告待确认", State.REVIEWED, "已经责任单位审核"))
    rows = task_rows(tasks, today)
    items.append(TodoItem("measures.due_soon", "临期和逾期任务", "临期任务", sum(due_soon(r) for r in rows),
                          _tasks_url(due=DUE_SOON), "完成时限或节点临近"))
    items.append(TodoItem("measures.overdue", "临期和逾期任务", "逾期任务", sum(r.status == OVERDUE for r in rows),
                          _tasks_url(status=OVERDUE)))
    return items
