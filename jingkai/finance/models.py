"""Green and key projects (绿色项目/重点项目), the lists pushed to banks, and what each bank answered.

A push keeps a snapshot of every project as it was sent (`PushItem.snapshot`): a later edit of the project
changes the project, never what the bank received. Banks are org units of kind 金融机构 (accounts.OrgUnit)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

NON_NEGATIVE = [MinValueValidator(0)]


def amount(label: str, unit: str, *, required: bool = False) -> models.DecimalField:
    return models.DecimalField(label, max_digits=14, decimal_places=2, null=not required, blank=not required,
                               help_text=unit, validators=NON_NEGATIVE)


class Status(models.TextChoices):
    RESERVE = "reserve", "谋划储备"
    PREPARING = "preparing", "前期工作"
    BUILDING = "building", "在建"
    COMPLETED = "completed", "建成投运"


class GreenProject(models.Model):
    zone = models.ForeignKey("zones.Zone", verbose_name="所在园区", on_delete=models.PROTECT,
                             related_name="green_projects")
    name = models.CharField("项目名称", max_length=200)
    category = models.CharField("项目类别", max_length=40, help_text="目录中的类别")
    catalogue = models.CharField("类别目录", max_length=60, help_text="登记时所用目录的编号")
    borrower = models.CharField("融资主体", max_length=200)
    uscc = models.CharField("融资主体统一社会信用代码", max_length=18)
    capex = amount("总投资", "万元", required=True)
    co2_saved = amount("预计年减排二氧化碳", "吨二氧化碳/年")
    finance_need = amount("融资需求", "万元", required=True)
    channels = models.JSONField("拟申请融资渠道", default=list, blank=True)
    status = models.CharField("项目状态", max_length=20, choices=Status.choices, default=Status.RESERVE)
    description = models.TextField("建设内容", blank=True)
    contact = models.CharField("联系人及电话", max_length=100, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "绿色和重点项目"
        ordering = ["zone_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="finance_project_zone_name")]

    def __str__(self) -> str:
        return self.name


class Push(models.Model):
    """One list sent to one bank by one office (the province, a city or a zone committee)."""

    owner = models.ForeignKey("accounts.OrgUnit", verbose_name="推送单位", on_delete=models.PROTECT,
                              related_name="finance_pushes")
    bank = models.ForeignKey("accounts.OrgUnit", verbose_name="接收金融机构", on_delete=models.PROTECT,
                             related_name="finance_received")
    title = models.CharField("清单名称", max_length=200)
    note = models.TextField("推送说明", blank=True)
    pushed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="推送人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    pushed_at = models.DateTimeField("推送时间")
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "项目清单推送记录"
        ordering = ["-pushed_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Feedback(models.TextChoices):
    PENDING = "", "待反馈"
    CONTACTED = "contacted", "已对接"
    CREDITED = "credited", "已授信"
    INELIGIBLE = "ineligible", "不符合"


class PushItem(models.Model):
    push = models.ForeignKey(Push, on_delete=models.CASCADE, related_name="items")
    project = models.ForeignKey(GreenProject, verbose_name="项目", null=True, on_delete=models.SET_NULL,
                                related_name="push_items")
    position = models.PositiveIntegerField("序号")
    snapshot = models.JSONField("推送时的项目信息")
    feedback = models.CharField("对接情况", max_length=20, choices=Feedback.choices, blank=True, default="")
    feedback_note = models.TextField("反馈说明", blank=True)
    feedback_at = models.DateTimeField("反馈时间", null=True, blank=True)
    feedback_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "推送项目"
        ordering = ["push_id", "position"]
        constraints = [models.UniqueConstraint(fields=["push", "project"], name="finance_push_project")]
