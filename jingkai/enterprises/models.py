"""Enterprises and their yearly facts (one table per domain, see YearFacts and YEAR_TABLES). Field names are the canonical keys of the data dictionary;
verbose_name is the Chinese label and help_text the unit, so templates and imports derive from here."""

from typing import TYPE_CHECKING, ClassVar, Self

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

NON_NEGATIVE = [MinValueValidator(0)]
FRACTION = [MinValueValidator(0), MaxValueValidator(1)]


def money(label: str, signed: bool = False):
    return models.FloatField(label, null=True, blank=True, help_text="万元", validators=[] if signed else NON_NEGATIVE)


def count(label: str, unit: str = "项"):
    return models.PositiveIntegerField(label, null=True, blank=True, help_text=unit)


class Enterprise(models.Model):
    class Size(models.TextChoices):
        LARGE = "large", "大型"
        MEDIUM = "medium", "中型"
        SMALL = "small", "小型"
        MICRO = "micro", "微型"

    class Ownership(models.TextChoices):
        DOMESTIC = "domestic", "内资"
        FOREIGN = "foreign", "外资"
        HMT = "hmt", "港澳台"

    class Credit(models.TextChoices):
        A = "A", "A类"
        B = "B", "B类"
        C = "C", "C类"
        D = "D", "D类"

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("企业名称", max_length=200, db_index=True)
    zone = models.ForeignKey("zones.Zone", verbose_name="所在园区", on_delete=models.PROTECT, related_name="enterprises")
    industry_code = models.CharField("国民经济行业代码", max_length=5, help_text="GB/T 4754-2017", db_index=True)
    established = models.DateField("成立日期", null=True, blank=True)
    size_class = models.CharField("企业规模", max_length=10, choices=Size.choices, blank=True)
    ownership = models.CharField("登记注册类型", max_length=10, choices=Ownership.choices, blank=True)
    above_scale = models.BooleanField("是否规上", default=False)
    listed = models.BooleanField("是否上市", default=False)
    # Where the enterprise sits on the industry chains is jingkai.chains' (one enterprise, several links).
    main_products = models.TextField("主营产品", blank=True, help_text="多个产品用“、”或“；”分隔")
    credit_class = models.CharField("信用风险分类", max_length=1, choices=Credit.choices, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业"
        ordering = ["zone_id", "name"]

    def __str__(self) -> str:
        return self.name


class EnterpriseTag(models.Model):
    class Tag(models.TextChoices):
        HIGH_TECH = "high_tech_enterprise", "高新技术企业"
        TECH_SME = "tech_sme", "科技型中小企业"
        INNOVATIVE_SME = "innovative_sme", "创新型中小企业"
        SPECIALIZED_SME = "specialized_sme", "专精特新中小企业"
        LITTLE_GIANT = "little_giant", "专精特新“小巨人”"
        CHAIN_LEADER = "chain_leader", "链主企业"
        GREEN_FACTORY = "green_factory", "绿色工厂"
        SMART_FACTORY = "smart_factory", "智能工厂"
        DIGITAL_BENCHMARK = "digital_benchmark", "数字化转型标杆"
        MUJUN_EXEMPT = "mujun_exempt", "亩均不参评"

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField("标签", max_length=30, choices=Tag.choices)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_to = models.DateField("有效期止", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业标签"
        constraints = [models.UniqueConstraint(fields=["enterprise", "tag", "valid_from"], name="uniq_enterprise_tag")]


class RdInstitution(models.TextChoices):
    NONE = "none", "无"
    BELOW_CITY = "below_city", "市级以下"
    CITY = "city", "市级"
    PROVINCIAL = "provincial", "省级"
    NATIONAL = "national", "国家级"


class YearFacts(models.Model):
    """One enterprise's facts of one year in one domain: the key pair shared by every fact table.

    An enterprise-year (企业年度数据, one row per (uscc, year) in the data dictionary) is the union of
    the fact tables' rows with that key. The combined import (`enterprise-years`) writes a row into
    every table for each row of its file, whatever columns the file has, so that what an office filled
    in as one row stays one row in each table; the per-table imports write only their own table."""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="%(class)s_rows")
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(1990), MaxValueValidator(2100)])

    if TYPE_CHECKING:  # every fact table has Django's default manager; the stubs give none to an abstract model
        objects: ClassVar[models.Manager[Self]]

    class Meta:
        abstract = True
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="uniq_%(class)s")]
        indexes = [models.Index(fields=["year"], name="%(class)s_year")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"

    @classmethod
    def key(cls) -> str:
        """The table's short key (finance, land, …): accounts.models.DATA_TABLES, OrgUnit.year_tables."""
        return str(cls._meta.model_name).removeprefix("enterprise")

    @classmethod
    def fact_fields(cls) -> list[models.Field]:
        """The table's facts: every concrete field but the key pair and the primary key."""
        return [f for f in cls._meta.concrete_fields if f.name not in KEY_FIELDS]


KEY_FIELDS = {"id", "enterprise", "year"}


class EnterpriseFinance(YearFacts):
    """Money: revenue (营业收入、主营业务收入 and the earlier years' figures the growth rules need),
    profit, assets and liabilities, taxes, value added, exports and new equity financing. Exports and
    equity financing are money flows of the enterprise's accounts, so they sit here too."""

    revenue = money("营业收入")
    revenue_prev = money("上年营业收入")
    main_revenue = money("主营业务收入")
    main_revenue_prev = money("上年度主营业务收入")
    main_revenue_prev2 = money("前年度主营业务收入")
    net_profit = money("净利润", signed=True)
    total_assets = money("资产总额")
    total_liabilities = money("负债总额")
    tax_paid = money("实缴税金")
    value_added = money("工业增加值", signed=True)
    exports = money("出口额")
    equity_financing_2y = money("近两年新增股权融资")
    equity_financing_3y = money("近三年新增股权融资")

    class Meta(YearFacts.Meta):
        verbose_name = verbose_name_plural = "企业年度财务数据"


class EnterpriseLand(YearFacts):
    """Land used and floor space built (亩均评价's denominators)."""

    land_area_mu = models.FloatField("用地面积", null=True, blank=True, help_text="亩", validators=NON_NEGATIVE)
    floor_area_m2 = models.FloatField("建筑面积", null=True, blank=True, help_text="平方米", validators=NON_NEGATIVE)

    class Meta(YearFacts.Meta):
        verbose_name = verbose_name_plural = "企业年度用地数据"


class EnterpriseEnergy(YearFacts):
    """Energy consumed (当量值 and 等价值), electricity and pollutant emissions."""

    energy_tce = models.FloatField("综合能源消费量（当量值）", null=True, blank=True, help_text="吨标准煤", validators=NON_NEGATIVE)
    energy_tce_equivalent = models.FloatField(
        "综合能源消费量（等价值）", null=True, blank=True, help_text="吨标准煤", validators=NON_NEGATIVE
    )
    electricity_mwh = models.FloatField("用电量", null=True, blank=True, help_text="兆瓦时", validators=NON_NEGATIVE)
    pollutant_emissions_t = models.FloatField(
        "主要污染物排放量", null=True, blank=True, help_text="吨", validators=NON_NEGATIVE
    )

    class Meta(YearFacts.Meta):
        verbose_name = verbose_name_plural = "企业年度能耗与排放数据"


class EnterpriseInnovation(YearFacts):
    """R&D spending, intellectual property, R&D institution, digital and quality levels, the 专精特新
    evaluation score with the local feature points, and honours (荣誉资质, mostly innovation awards and
    certifications). R&D staff are people and sit with the talent table."""

    RdInstitution = RdInstitution

    rd_expense = money("研发费用")
    rd_expense_prev = money("上年研发费用")
    ip_class1 = count("Ⅰ类知识产权数")
    ip_class1_self = count("其中自主研发Ⅰ类知识产权数")
    ip_class1_high_value = count("其中高价值Ⅰ类知识产权数")
    ip_class2 = count("Ⅱ类知识产权数")
    rd_institution_level = models.CharField(
        "研发机构级别", max_length=12, choices=RdInstitution.choices, blank=True
    )
    digital_level = models.PositiveSmallIntegerField(
        "数字化水平等级", null=True, blank=True, help_text="0—4级", validators=[MaxValueValidator(4)]
    )
    quality_items = models.PositiveSmallIntegerField(
        "质量管理水平项数", null=True, blank=True, help_text="0—4项", validators=[MaxValueValidator(4)]
    )
    dev_score = models.FloatField("专精特新发展评价得分", null=True, blank=True, help_text="分", validators=NON_NEGATIVE)
    local_feature_points = models.FloatField(
        "地方特色指标得分", null=True, blank=True, help_text="分", validators=[MinValueValidator(0), MaxValueValidator(15)]
    )
    honors = models.JSONField("荣誉资质", default=list, blank=True)

    class Meta(YearFacts.Meta):
        verbose_name = verbose_name_plural = "企业年度知识产权与创新数据"


class EnterpriseTalent(YearFacts):
    """People: average staff and R&D staff."""

    employees = count("年平均职工人数", "人")
    rd_staff = count("研发人员数", "人")

    class Meta(YearFacts.Meta):
        verbose_name = verbose_name_plural = "企业年度人才数据"


class EnterpriseNiche(YearFacts):
    """The niche market of the leading product: strategic emerging industry, years in the niche, the
    domestic and international market shares."""

    strategic_emerging = models.BooleanField("主导产品属战略性新兴产业", null=True, blank=True)
    years_in_niche = models.FloatField("从事特定细分市场年限", null=True, blank=True, help_text="年", validators=NON_NEGATIVE)
    niche_market_share = models.FloatField(
        "主导产品细分市场占有率", null=True, blank=True, help_text="比例（0—1）", validators=FRACTION
    )
    niche_market_share_intl = models.FloatField(
        "国际细分市场占有率", null=True, blank=True, help_text="比例（0—1）", validators=FRACTION
    )

    class Meta(YearFacts.Meta):
        verbose_name = verbose_name_plural = "企业年度细分市场数据"


# The fact tables, in the order every listing uses (imports, templates, exports, pages, demo, admin).
YEAR_TABLES: tuple[type[YearFacts], ...] = (
    EnterpriseFinance, EnterpriseLand, EnterpriseEnergy, EnterpriseInnovation, EnterpriseTalent, EnterpriseNiche,
)
# canonical key → the fact table that holds it
TABLE_OF: dict[str, type[YearFacts]] = {f.name: t for t in YEAR_TABLES for f in t.fact_fields()}


def tables_holding(keys) -> list[type[YearFacts]]:
    """The fact tables that hold any of `keys` (canonical keys; others are ignored), in YEAR_TABLES order."""
    wanted = {TABLE_OF[k] for k in keys if k in TABLE_OF}
    return [t for t in YEAR_TABLES if t in wanted]
