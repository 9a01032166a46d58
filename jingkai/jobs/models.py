"""后台任务: long work (large exports, province-wide lists, programme and evaluation runs, bulletin drafts)
runs in `jingkai worker`, never inside a web request. A Job is what the user sees of it: its state, its
progress, its result file and, when it failed, why (in Chinese). The queue itself is django-tasks' database
backend (django_tasks_db.DBTaskResult); a Job names the queued task it runs as."""

from django.conf import settings
from django.db import models


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"
        CANCELLED = "cancelled", "已取消"

    kind = models.CharField("任务类别", max_length=60)  # a JobKind code: "intake.export"
    title = models.CharField("任务", max_length=200)
    params = models.JSONField("参数", default=dict)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="提交人")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总量", default=0)  # 0 while unknown
    step = models.CharField("当前步骤", max_length=200, blank=True)
    message = models.TextField("结果说明", blank=True)  # what it produced, or why it failed
    cancel_requested = models.BooleanField("已请求取消", default=False)
    result_file = models.CharField("结果文件", max_length=300, blank=True)  # a name in the media storage
    result_name = models.CharField("下载文件名", max_length=200, blank=True)
    result_url = models.CharField("结果页面", max_length=300, blank=True)  # the run, draw or bulletin it wrote
    task_id = models.CharField("队列任务号", max_length=64, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    expires_at = models.DateTimeField("结果保留至", null=True, blank=True)
    seen = models.BooleanField("已查看", default=False)  # the 待办 panel shows finished jobs not yet opened

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.CANCELLED)

    @property
    def percent(self) -> int | None:
        """Progress in whole percent; None while the total is not known."""
        if self.state == self.State.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else None


class WorkerHeartbeat(models.Model):
    """One row per running `jingkai worker`, touched every few seconds: /healthz reads the freshest."""

    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()
    pid = models.PositiveIntegerField()
    host = models.CharField(max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "任务进程心跳"
