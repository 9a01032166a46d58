"""`jingkai worker`: runs the queued jobs (django-tasks' database worker) and keeps a heartbeat for /healthz;
expired result files are removed when it starts and every hour."""

from __future__ import annotations

import os
import socket
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from jingkai.jobs.models import WorkerHeartbeat
from jingkai.jobs.services import purge_expired

BEAT_SECONDS = 5
PURGE_EVERY = 3600


def beat(worker_id: str, stop: threading.Event) -> None:
    """Touch the heartbeat (and purge expired results hourly) until `stop` is set; at least once."""
    last_purge = 0.0
    while True:
        try:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=worker_id,
                defaults={"seen_at": timezone.now(), "pid": os.getpid(), "host": socket.gethostname()[:200]})
            if time.monotonic() - last_purge > PURGE_EVERY:
                purge_expired()
                last_purge = time.monotonic()
        except Exception:  # a locked database or a restart of PostgreSQL: beat again next time
            pass
        finally:
            close_old_connections()
        if stop.wait(BEAT_SECONDS):
            return


class Command(BaseCommand):
    help = "运行后台任务进程：依次执行排队的任务（导出、名单、测算、通报草稿等），并记录心跳供 /healthz 检查。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="执行完当前排队的任务后退出（用于测试和定时运行）")
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒，默认 1）")

    def handle(self, *args, batch: bool = False, interval: float = 1.0, **options):
        worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"
        drain = {"queue_name": "*", "interval": interval, "batch": batch, "reload": False,
                 "startup_delay": not batch, "worker_id": worker_id, "verbosity": options.get("verbosity", 1) - 1}
        if batch:  # one pass over the queue, not a service: no heartbeat
            purge_expired()
            call_command("db_worker", **drain)
            return
        stop = threading.Event()
        beating = threading.Thread(target=beat, args=(worker_id, stop), daemon=True, name="jingkai-heartbeat")
        beating.start()
        self.stdout.write(f"后台任务进程已启动（{worker_id}），按 Ctrl+C 停止。")
        try:
            call_command("db_worker", **drain)
        finally:
            stop.set()
            beating.join(timeout=BEAT_SECONDS + 1)
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
