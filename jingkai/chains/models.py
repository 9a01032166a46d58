"""Where enterprises sit on the chains (one row per enterprise × catalogue × link, automatic or entered by
the zone), the 链主 registry and the registry of outside target companies."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models


class LinkAssignment(models.Model):
    """An enterprise on a chain link. `source` says who placed it; `decision` what the zone made of it:
    confirmed and rejected rows, and manual ones, survive a new automatic run (only undecided automatic rows
    are replaced)."""

    class Source(models.TextChoices):
        AUTO = "auto", "自动归链"
        MANUAL = "manual", "人工添加"

    class Decision(models.TextChoices):
        PENDING = "", "待确认"
        CONFIRMED = "confirmed", "已确认"
        REJECTED = "rejected", "已否定"

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="link_assignments")
    catalogue = models.CharField("产业链目录", max_length=60)
    chain = models.CharField("产业链", max_length=40)
    link = models.CharField("环节", max_length=40)
    score = models.FloatField("匹配得分", null=True, blank=True)
    reasons = models.JSONField("归链依据", default=list, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.AUTO)
    decision = models.CharField("确认状态", max_length=10, choices=Decision.choices, blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    assigned_at = models.DateTimeField("归链时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业所属产业链环节"
        constraints = [models.UniqueConstraint(fields=["enterprise", "catalogue", "link"], name="uniq_link_assignment")]
        indexes = [models.Index(fields=["catalogue", "chain", "link"], name="chains_link_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.link}"

    @property
    def counts(self) -> bool:
        """Whether the row places the enterprise on the link (not rejected)."""
        return self.decision != self.Decision.REJECTED


class ChainLeader(models.Model):
    """链主企业: a local firm leading a chain, since when, the support it gets and its annual review."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="chain_leaderships")
    catalogue = models.CharField("产业链目录", max_length=60)
    chain = models.CharField("产业链", max_length=40)
    since = models.DateField("认定日期", null=True, blank=True)
    support_measures = models.TextField("支持措施", blank=True)
    review_year = models.PositiveSmallIntegerField("年度评估年份", null=True, blank=True)
    annual_review = models.TextField("年度评估", blank=True)
    demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "链主企业"
        constraints = [models.UniqueConstraint(fields=["enterprise", "catalogue", "chain"], name="uniq_chain_leader")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.chain}"


class TargetCompany(models.Model):
    """An outside firm to attract (not a Jingkai enterprise). Lists hold [{list, year, rank}] with list one of
    fortune_global_500, china_500, private_500, industry_top100, listed; staff enter them (the platform ships
    no copy of the lists)."""

    name = models.CharField("企业名称", max_length=200, unique=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    hq_region = models.CharField("总部所在省份", max_length=30, blank=True)
    industry_code = models.CharField("国民经济行业代码", max_length=5, blank=True, help_text="GB/T 4754-2017")
    main_products = models.TextField("主营产品", blank=True)
    lists = models.JSONField("榜单", default=list, blank=True)
    source = models.CharField("信息来源", max_length=200, blank=True)
    demo = models.BooleanField("演示数据（虚构企业）", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "招商目标企业"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LeaderPurchase(models.Model):
    """A 链主's purchases from one supplier in a year, local or not: the 本地配套率 of a year is the local
    purchases over all purchases of that year (本地 as entered: 口径（省内或市内）待确认)."""

    leader = models.ForeignKey(ChainLeader, verbose_name="链主企业", on_delete=models.CASCADE, related_name="purchases")
    year = models.PositiveSmallIntegerField("年份")
    supplier = models.CharField("供应商", max_length=200)
    supplier_uscc = models.CharField("供应商统一社会信用代码", max_length=18, blank=True)
    amount = models.FloatField("采购额", help_text="万元", validators=[MinValueValidator(0)])
    local = models.BooleanField("本地供应商", default=False, help_text="供应商在甘肃省内（口径待确认）")
    demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "链主采购"
        ordering = ["leader_id", "-year", "-amount", "id"]
        constraints = [models.UniqueConstraint(fields=["leader", "year", "supplier"], name="uniq_leader_purchase")]

    def __str__(self) -> str:
        return f"{self.leader} {self.year} {self.supplier}"
