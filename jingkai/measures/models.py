"""The 督办 register: tasks cut from the measures' action items, their milestones and progress reports."""

from django.conf import settings
from django.db import models

from jingkai.measures.attachments import storage_name


class Task(models.Model):
    item_code = models.CharField("措施事项", max_length=10, db_index=True, help_text="如 1.1：第（一）条第1项")
    title = models.CharField("任务名称", max_length=300)
    owner = models.ForeignKey("accounts.OrgUnit", verbose_name="责任单位", on_delete=models.PROTECT,
                              related_name="tasks")
    zone = models.ForeignKey("zones.Zone", verbose_name="涉及园区", null=True, blank=True, on_delete=models.PROTECT)
    start = models.DateField("开始日期")
    deadline = models.DateField("完成时限")
    target_indicator = models.ForeignKey("zones.Indicator", verbose_name="目标指标", null=True, blank=True,
                                         on_delete=models.PROTECT)
    target_value = models.FloatField("目标值", null=True, blank=True)
    target_period = models.CharField("目标期间", max_length=7, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "督办任务"
        ordering = ["item_code", "deadline", "id"]

    def __str__(self) -> str:
        return f"{self.item_code} {self.title}"


class Milestone(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=200)
    due = models.DateField("节点时限")
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "任务节点"
        ordering = ["due"]


class ProgressReport(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "填报中"
        SUBMITTED = "submitted", "待审核"
        REVIEWED = "reviewed", "待确认"
        CONFIRMED = "confirmed", "已确认"
        RETURNED = "returned", "已退回"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField("报告期", max_length=7, help_text="YYYY-MM")
    text = models.TextField("进展情况")
    progress = models.FloatField("完成进度（%）")
    completes_task = models.BooleanField("申请办结", default=False)
    # Stored under a random name (attachments.storage_name); served only by measures:attachment.
    attachment = models.FileField("附件", upload_to=storage_name, blank=True)
    attachment_name = models.CharField("附件原名", max_length=255, blank=True)
    attachment_size = models.PositiveBigIntegerField("附件大小（字节）", null=True, blank=True)
    attachment_sha256 = models.CharField("附件 SHA-256", max_length=64, blank=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "进展报告"
        ordering = ["task", "-period", "-id"]
        permissions = [("review_progressreport", "审核本单位进展报告")]
        constraints = [models.UniqueConstraint(fields=["task", "period"], name="uniq_task_period_report")]


class ReportEvent(models.Model):
    """The full status history of a report: every transition with who, when and the comment."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    comment = models.CharField("意见", max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    # The states as the user reads them (the fields hold the codes: draft, submitted, …).
    @property
    def from_label(self) -> str:
        return dict(ProgressReport.State.choices).get(self.from_state, self.from_state)

    @property
    def to_label(self) -> str:
        return dict(ProgressReport.State.choices).get(self.to_state, self.to_state)
