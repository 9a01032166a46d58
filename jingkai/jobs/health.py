"""The job worker's part of /healthz: is a `jingkai worker` alive (its heartbeat fresh)?"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from jingkai.jobs.models import WorkerHeartbeat
from jingkai.registry import HealthCheck


def checks() -> list[HealthCheck]:
    latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    if latest is None:
        return [HealthCheck("worker", False, "没有运行中的后台任务进程（jingkai worker）")]
    age = (timezone.now() - latest.seen_at).total_seconds()
    fresh = age <= settings.WORKER_HEARTBEAT_STALE_SECONDS
    state = "" if fresh else f"，超过 {settings.WORKER_HEARTBEAT_STALE_SECONDS} 秒，进程可能已停止"
    return [HealthCheck("worker", fresh, f"最近心跳 {age:.0f} 秒前{state}")]
