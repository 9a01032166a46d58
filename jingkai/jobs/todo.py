"""Finished jobs the user has not opened yet, for the 待办 panel (extension point "web.todo")."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from jingkai.accounts.authz import has
from jingkai.jobs.capabilities import USE_JOBS
from jingkai.jobs.models import Job
from jingkai.jobs.selectors import jobs_of
from jingkai.registry import TodoItem


def todo(user: Any, today: date) -> list[TodoItem]:
    if not has(user, USE_JOBS):
        return []
    found = jobs_of(user).filter(seen=False).aggregate(
        done=Count("id", filter=Q(state=Job.State.DONE)), failed=Count("id", filter=Q(state=Job.State.FAILED)),
        running=Count("id", filter=Q(state__in=[Job.State.QUEUED, Job.State.RUNNING])))
    listing = reverse("jobs:list")
    note = f"另有 {found['running']} 项进行中" if found["running"] else ""
    return [TodoItem("jobs.done", "后台任务", "已完成待下载", found["done"], listing, note),
            TodoItem("jobs.failed", "后台任务", "执行失败", found["failed"], listing)]
