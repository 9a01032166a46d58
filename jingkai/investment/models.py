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


class Event(models.Model):
    """An investment-promotion event (投资中国, 投洽会, 产业转移对接会, 推介会): who took part, and the leads and
    signings it brought (the projects that name it)."""

    class Kind(models.TextChoices):
        INVEST_CHINA = "invest_china", "投资中国"
        CIFIT = "cifit", "投洽会"
        TRANSFER = "transfer", "产业转移对接"
        PROMOTION = "promotion", "推介会"
        OTHER = "other", "其他招商活动"

    name = models.CharField("活动名称", max_length=200)
    kind = models.CharField("活动类型", max_length=20, choices=Kind.choices)
    held_on = models.DateField("举办日期")
    place = models.CharField("举办地点", max_length=100, blank=True)
    zone = models.ForeignKey("zones.Zone", verbose_name="组织园区", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="investment_events", help_text="全省性活动不填")
    participants = models.TextField("参会企业和机构", blank=True, help_text="每行一个")
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "招商活动"
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def participant_list(self) -> list[str]:
        return [line.strip() for line in self.participants.splitlines() if line.strip()]


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
    event = models.ForeignKey(Event, verbose_name="来源活动", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="projects")
    team = models.ForeignKey("Team", verbose_name="招商小分队（专班）", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="projects")
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


class Team(models.Model):
    """招商小分队 or 专班 of a zone: who leads it, who is in it and which chains or links it covers. It answers for
    those links in the 补链清单 and may own leads. `coverage` holds chain codes ("GS-NE": every link of the chain)
    or "链代码/环节代码" strings, as Project.chain_links (the catalogue is the chains app's)."""

    class Kind(models.TextChoices):
        SQUAD = "squad", "招商小分队"
        TASKFORCE = "taskforce", "招商专班"

    zone = models.ForeignKey("zones.Zone", verbose_name="所属园区", on_delete=models.PROTECT,
                             related_name="investment_teams")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.SQUAD)
    leader = models.CharField("负责人", max_length=100)
    members = models.TextField("成员", blank=True, help_text="每行一人，可写明单位和职务")
    coverage = models.JSONField("负责的产业链或环节", default=list, blank=True,
                                help_text="产业链代码（整条链）或 产业链代码/环节代码")
    note = models.CharField("说明", max_length=300, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "招商小分队（专班）"
        ordering = ["zone_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="uniq_investment_team")]

    def __str__(self) -> str:
        return self.name

    @property
    def member_list(self) -> list[str]:
        return [line.strip() for line in self.members.splitlines() if line.strip()]

    def covers(self, chain: str, link: str) -> bool:
        return chain in self.coverage or f"{chain}/{link}" in self.coverage


class FdiReceipt(models.Model):
    """实际使用外资 arrived for a project in a month (到位外资, 万美元): the records the zone's monthly
    实际使用外资 indicator is offered from. The project's actual_fdi is the total of its receipts."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="fdi_receipts")
    month = models.DateField("到位月份", help_text="记为该月1日")
    amount = models.DecimalField("到位外资", max_digits=14, decimal_places=2, help_text="万美元", validators=NON_NEGATIVE)
    note = models.CharField("说明", max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "到位外资记录"
        ordering = ["-month", "-id"]
        indexes = [models.Index(fields=["month"], name="invest_fdi_month")]


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


class CoBuild(models.Model):
    """合作共建: a Gansu zone's agreement with an eastern zone (承接产业转移), how the two share what the joint
    projects yield, and those projects."""

    zone = models.ForeignKey("zones.Zone", verbose_name="本地园区", on_delete=models.PROTECT, related_name="co_builds")
    partner = models.CharField("合作园区（东中部）", max_length=200)
    partner_region = models.CharField("合作方所在省份", max_length=30)
    signed_on = models.DateField("签订日期")
    term = models.CharField("合作期限", max_length=50, blank=True)
    sharing = models.TextField("利益分享机制", help_text="税收、地区生产总值等统计指标的分成或分计办法")
    projects = models.ManyToManyField(Project, verbose_name="共建项目", blank=True, related_name="co_builds")
    note = models.TextField("说明", blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "合作共建协议"
        ordering = ["zone_id", "-signed_on", "id"]

    def __str__(self) -> str:
        return f"{self.zone} · {self.partner}"
