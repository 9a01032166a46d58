from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One write: who, when, what, before and after. Imports add one entry per changed row."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField("操作", max_length=30)  # create / update / delete / import / login …
    model = models.CharField("对象类型", max_length=50, db_index=True)
    object_key = models.CharField("对象", max_length=100, blank=True, db_index=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    batch = models.CharField("批次", max_length=64, blank=True, db_index=True)  # e.g. the import file's hash
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.model} {self.object_key}"
