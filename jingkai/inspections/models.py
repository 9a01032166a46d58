"""行政检查事项清单, 执法检查人员名录 and the stored 双随机 draws (each with its certificate)."""

from django.conf import settings
from django.db import models


class InspectionItem(models.Model):
    class Mode(models.TextChoices):
        RANDOM = "random", "随机抽查"
        KEY = "key", "重点监管"
        UNDISTURBED = "undisturbed", "无事不扰"

    department = models.CharField("实施部门", max_length=50)
    item_code = models.CharField("事项编码", max_length=30)
    name = models.CharField("检查事项名称", max_length=200)
    legal_basis = models.CharField("检查依据", max_length=300, blank=True)
    standard = models.TextField("检查标准（检查要点）", blank=True)
    mode = models.CharField("检查方式", max_length=12, choices=Mode.choices, default=Mode.RANDOM)
    applies_to = models.CharField("适用行业（GB/T 4754 代码前缀，分号分隔，空为全部）", max_length=200, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True, help_text="未公布的事项不得实施检查")

    class Meta:
        verbose_name = verbose_name_plural = "行政检查事项"
        constraints = [models.UniqueConstraint(fields=["department", "item_code"], name="inspection_item_unique")]
        ordering = ["department", "item_code"]

    def __str__(self) -> str:
        return f"{self.department} {self.name}"


class Inspector(models.Model):
    department = models.CharField("所属部门", max_length=50)
    person_id = models.CharField("人员编号", max_length=30, unique=True)
    name = models.CharField("姓名", max_length=50)
    cert_no = models.CharField("执法证号", max_length=50, blank=True)
    cert_valid_to = models.DateField("执法证有效期至", null=True, blank=True)
    conflicts = models.TextField("回避企业（统一社会信用代码，分号分隔）", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法检查人员"
        ordering = ["department", "person_id"]

    def __str__(self) -> str:
        return f"{self.department} {self.name}"


class Draw(models.Model):
    """One period's draw for one zone, stored whole: re-running the engine on the recorded inputs and seed
    gives the identical result (the certificate is seed + pool hash + algorithm + counts)."""

    zone = models.ForeignKey("zones.Zone", verbose_name="园区", on_delete=models.PROTECT, related_name="inspection_draws")
    period = models.CharField("计划期间", max_length=10)
    seed = models.BigIntegerField("公布的随机种子")
    pool_hash = models.CharField("检查对象库快照哈希", max_length=64)
    algorithm = models.CharField("抽取算法", max_length=200)
    rules_id = models.CharField("规则版本", max_length=80)
    result = models.JSONField("抽取结果")
    created_at = models.DateTimeField("抽取时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="执行人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "双随机抽取"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.zone} {self.period}"


class InspectionPlan(models.Model):
    """A department's annual inspection plan (年度检查计划): 日常 (the 双随机 items of the year) or 专项 (a
    special campaign, under the annual quota of 54号). 编制 → 审批 → 备案 → 公布 (workflows.PLAN_FLOW)."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", "日常检查"
        SPECIAL = "special", "专项检查"

    class State(models.TextChoices):
        DRAFT = "draft", "编制中"
        SUBMITTED = "submitted", "待审批"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已批准，待备案"
        FILED = "filed", "已备案，待公布"
        PUBLISHED = "published", "已公布"

    department = models.ForeignKey("accounts.OrgUnit", verbose_name="实施部门", on_delete=models.PROTECT,
                                   related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("计划类型", max_length=10, choices=Kind.choices, default=Kind.ROUTINE)
    title = models.CharField("计划名称", max_length=200)
    starts_on = models.DateField("实施起始日期")
    ends_on = models.DateField("实施截止日期")
    items = models.ManyToManyField(InspectionItem, verbose_name="检查事项", related_name="plans")
    reason = models.TextField("专项检查事由", blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    comment = models.TextField("审批意见", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="编制人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_on = models.DateField("批准日期", null=True, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度检查计划"
        ordering = ["-year", "department", "kind", "id"]
        permissions = [("approve_inspectionplan", "审批本部门检查计划")]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="inspection_plan_period")]

    def __str__(self) -> str:
        return f"{self.department} {self.year}年{self.title}"


class CreditRating(models.Model):
    """An enterprise's 信用风险分类 for one month (国市监信发〔2022〕6号: A–D, refreshed monthly by 市场监管)."""

    class Class(models.TextChoices):
        A = "A", "A 类（信用风险低）"
        B = "B", "B 类（信用风险一般）"
        C = "C", "C 类（信用风险较高）"
        D = "D", "D 类（信用风险高）"

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="credit_ratings")
    month = models.CharField("分类月份", max_length=7, help_text="YYYY-MM")
    credit_class = models.CharField("信用风险分类", max_length=1, choices=Class.choices)
    sector_risk = models.CharField("行业风险分级", max_length=20, blank=True)
    source = models.CharField("来源", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业信用风险分类"
        constraints = [models.UniqueConstraint(fields=["enterprise", "month"], name="credit_rating_month")]
        ordering = ["enterprise", "-month"]


class Visit(models.Model):
    """An 入企记录: one visit to one enterprise (joint: several departments and items), its result and when
    the result was published (公示: within `publication_working_days` working days of the visit)."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", "日常检查"
        SPECIAL = "special", "专项检查"
        LEAD = "lead", "线索核查"
        IMMEDIATE = "immediate", "即时检查"
        NON_ENFORCEMENT = "non_enforcement", "非执法入企（调研、宣传等）"

    class Result(models.TextChoices):
        PENDING = "", "待录入"
        OK = "ok", "未发现问题"
        RECTIFY = "rectify", "发现问题，责令整改"
        PENALTY = "penalty", "发现问题，立案查处"
        ABSENT = "absent", "未发现企业（通过登记的住所或经营场所无法联系）"

    visit_no = models.CharField("检查编号", max_length=40, unique=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="inspection_visits")
    zone = models.ForeignKey("zones.Zone", verbose_name="园区", on_delete=models.PROTECT, related_name="+")
    departments = models.JSONField("检查部门", default=list)
    items = models.JSONField("检查事项编码", default=list)
    visited_on = models.DateField("检查日期")
    kind = models.CharField("检查类型", max_length=16, choices=Kind.choices, default=Kind.ROUTINE)
    exemption = models.CharField("不计频次情形", max_length=20, blank=True, help_text="个案检查的情形代码，空为计入频次")
    result = models.CharField("检查结果", max_length=10, choices=Result.choices, blank=True, default="")
    result_text = models.TextField("结果说明", blank=True)
    published_on = models.DateField("结果公示日期", null=True, blank=True)
    draw = models.ForeignKey(Draw, verbose_name="所属抽取", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "入企检查记录"
        ordering = ["-visited_on", "visit_no"]
        indexes = [models.Index(fields=["zone", "visited_on"]), models.Index(fields=["enterprise", "visited_on"])]

    def __str__(self) -> str:
        return self.visit_no
