"""The monthly reporting cycle: what each zone owes and when, its submissions and their review,
and the bulletins published from reviewed figures."""

from django.conf import settings
from django.db import models


class ReportingCalendar(models.Model):
    """An indicator set reported at a frequency, due on a day of the following month (or quarter/year)."""

    name = models.CharField("报表名称", max_length=100, unique=True)
    frequency = models.CharField("频率", max_length=10, choices=[("month", "月报"), ("quarter", "季报"),
                                                              ("year", "年报")])
    due_day = models.PositiveSmallIntegerField("报送截止日", default=10, help_text="次月（季、年）第几日")
    indicators = models.ManyToManyField("zones.Indicator", verbose_name="指标")
    zones = models.ManyToManyField("zones.Zone", verbose_name="报送园区")

    class Meta:
        verbose_name = verbose_name_plural = "报送日历"

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """A zone's report for one period of a calendar. No row means 未报; 逾期 is computed from the due date.
    A zone may withdraw (撤回) its report while it awaits review; it then counts as not reported until it is
    submitted again. An approved report is never withdrawn: its figures change only by a 更正申请."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "已报"
        APPROVED = "approved", "已审核"
        RETURNED = "returned", "退回"
        WITHDRAWN = "withdrawn", "已撤回"

    calendar = models.ForeignKey(ReportingCalendar, on_delete=models.CASCADE, related_name="submissions")
    zone = models.ForeignKey("zones.Zone", verbose_name="园区", on_delete=models.CASCADE)
    period = models.CharField("期间", max_length=7)
    state = models.CharField("状态", max_length=10, choices=State.choices)
    submitted_at = models.DateTimeField("报送时间")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    comment = models.CharField("审核意见", max_length=500, blank=True)
    violations = models.JSONField("数据质量问题", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "数据报送"
        constraints = [models.UniqueConstraint(fields=["calendar", "zone", "period"], name="uniq_submission")]


class Bulletin(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEWED = "reviewed", "已审核"
        PUBLISHED = "published", "已发布"

    period = models.CharField("期间", max_length=7)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    document = models.BinaryField("文档")  # a published bulletin downloads again byte for byte
    # what the document says, kept beside it so that the confirmation before 发布 shows it (blank: drafted before)
    title = models.CharField("标题", max_length=200, blank=True)
    number = models.CharField("发文字号", max_length=40, blank=True)
    issue_date = models.DateField("成文日期", null=True, blank=True)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "经济运行通报"
        ordering = ["-period", "-id"]


class CorrectionRequest(models.Model):
    """A 更正申请: a zone asks to change one figure of a report the province has approved, with a reason. It is
    reviewed again (not by its requester); once approved the value changes through the intake (audited before and
    after) and the request keeps both values, so the history shows what was approved and what it became."""

    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已更正"
        REJECTED = "rejected", "未同意"

    submission = models.ForeignKey(Submission, verbose_name="报送", on_delete=models.CASCADE, related_name="corrections")
    indicator = models.ForeignKey("zones.Indicator", verbose_name="指标", on_delete=models.PROTECT)
    old_value = models.FloatField("原数值", null=True, blank=True)
    new_value = models.FloatField("更正数值")
    reason = models.CharField("更正原因", max_length=500)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    comment = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "更正申请"
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["submission", "indicator"], condition=models.Q(state="pending"),
                                               name="one_pending_correction")]
