"""The investment-attraction pipeline: projects from 线索 to 达产, their agreement, stage history and follow-ups.

Chain links are plain strings "链代码/环节代码" (the chain catalogue is another app's; nothing here imports it)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

NON_NEGATIVE = [MinValueValidator(0)]
# 商务部重点外资项目工作专班: 1亿美元以上 (boundary inclusive), in 万美元 as the amounts are kept.
KEY_FOREIGN_THRESHOLD = Decimal("10000")


class Stage(models.TextChoices):
    LEAD = "lead", "线索"
    CONTACT = "contact", "接洽"
    VISIT = "visit", "考察"
    NEGOTIATE = "negotiate", "洽谈"
    SIGNED = "signed", "签约"
    REGISTERED = "registered", "注册"
    STARTED = "started", "开工"
    PRODUCING = "producing", "投产"
    FULL = "full", "达产"


STAGES = list(Stage)
SIGNED_STAGES = frozenset(STAGES[STAGES.index(Stage.SIGNED):])


class Origin(models.TextChoices):
    EVENT = "event", "招商活动"
    OVERSEAS = "overseas", "驻外机构"
    CHAMBER = "chamber", "商协会"
    BY_BUSINESS = "by_business", "以商招商"
    CHAIN_LEADER = "chain_leader", "链主推荐"
    TRANSFER = "transfer", "承接转移"


def wan(label: str, unit: str):
    return models.DecimalField(label, max_digits=14, decimal_places=2, null=True, blank=True, help_text=unit,
                               validators=NON_NEGATIVE)


class Project(models.Model):
    name = models.CharField("项目名称", max_length=200)
    company = models.CharField("投资方企业", max_length=200, db_index=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, help_text="已知时填写")
    investor_country = models.CharField("投资方国别（地区）", max_length=50, blank=True)
    origin = models.CharField("线索来源", max_length=20, choices=Origin.choices)
    zone = models.ForeignKey("zones.Zone", verbose_name="落地园区", on_delete=models.PROTECT,
                             related_name="investment_projects")
    owner_unit = models.ForeignKey("accounts.OrgUnit", verbose_name="责任单位", on_delete=models.PROTECT,
                                   related_name="investment_projects")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="investment_projects")
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices, default=Stage.LEAD)
    stage_since = models.DateField("进入本阶段日期")
    next_action = models.CharField("下一步工作", max_length=200, blank=True)
    next_action_date = models.DateField("下次跟进日期", null=True, blank=True)
    planned_investment = wan("计划总投资", "万元")
    contracted_fdi = wan("合同外资", "万美元")
    actual_fdi = wan("实际使用外资", "万美元")
    new_industry = models.BooleanField("新兴产业领域", default=False, help_text="措施（六）：优先纳入重点外资项目清单")
    chain_links = models.JSONField("补链环节", default=list, blank=True, help_text="产业链代码/环节代码")
    factor_needs = models.TextField("要素需求", blank=True, help_text="用地、用能、用水、融资、人才等")
    problems = models.TextField("存在问题", blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "招商项目"
        ordering = ["zone_id", "-updated_at", "id"]
        indexes = [models.Index(fields=["stage", "stage_since"], name="invest_stage_since")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_key_foreign(self) -> bool:
        """重点外资项目: contracted foreign investment of 1亿美元 or more."""
        return self.contracted_fdi is not None and self.contracted_fdi >= KEY_FOREIGN_THRESHOLD

    @property
    def is_signed(self) -> bool:
        return self.stage in SIGNED_STAGES


class Agreement(models.Model):
    """The investment agreement's terms and its 公平竞争审查 (《公平竞争审查条例》国务院令第783号, 2024-08-01施行)."""

    class Review(models.TextChoices):
        NONE = "", "未审查"
        PASSED = "passed", "通过"
        FAILED = "failed", "未通过"

    project = models.OneToOneField(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="agreement")
    terms = models.TextField("协议主要条款", blank=True)
    has_preference = models.BooleanField(
        "含针对特定经营者的优惠", default=False, help_text="税收优惠、财政奖励或补贴、要素获取（用地）优惠、减免收费等")
    preference_terms = models.TextField("优惠条款内容", blank=True)
    review_result = models.CharField("公平竞争审查结论", max_length=10, choices=Review.choices, blank=True)
    review_date = models.DateField("审查日期", null=True, blank=True)
    reviewer = models.CharField("审查机构（人员）", max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "投资协议"

    @property
    def review_passed(self) -> bool:
        return self.review_result == self.Review.PASSED and self.review_date is not None and bool(self.reviewer)


class StageChange(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField("原阶段", max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField("新阶段", max_length=20, choices=Stage.choices)
    on = models.DateField("日期")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    comment = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "阶段变更"
        ordering = ["on", "id"]


class FollowUp(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField("跟进日期")
    text = models.TextField("跟进情况")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "跟进记录"
        ordering = ["-on", "-id"]


class StaleAlert(models.Model):
    """One 督办 raised for a signed project that stayed in a stage 90 days: one per (project, stage entry),
    so the daily check raises it once."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stale_alerts")
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    stage_since = models.DateField("进入阶段日期")
    raised_on = models.DateField("督办日期")
    task_id = models.IntegerField("督办任务", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "停滞督办"
        constraints = [models.UniqueConstraint(fields=["project", "stage", "stage_since"], name="uniq_stale_alert")]
