"""Energy records per enterprise and year (physical units, as the engine reads them), each zone's data gate
(boundary, enterprise list, baseline year, factor set confirmed) and stored accounts that pin their factor set."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from jingkai.engines.carbon import COLUMNS, OPTIONAL

NON_NEGATIVE = [MinValueValidator(0)]
YEAR = [MinValueValidator(1990), MaxValueValidator(2100)]


def quantity(label: str, unit: str) -> models.FloatField:
    return models.FloatField(f"{label}（{unit}）", default=0, validators=NON_NEGATIVE)


class EnergyRecord(models.Model):
    class Source(models.TextChoices):
        METER = "meter", "计量表"
        BILL = "bill", "结算单据"
        STATISTICS = "statistics", "统计 205 表"

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="energy_records")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR)
    electricity_kwh = quantity("外购电力", "千瓦时")
    green_power_kwh = quantity("其中绿证或直连绿电", "千瓦时")
    green_direct_kwh = quantity("其中绿电直连供电", "千瓦时")
    coal_t = quantity("煤炭", "吨")
    natural_gas_m3 = quantity("天然气", "立方米")
    diesel_t = quantity("柴油", "吨")
    gasoline_t = quantity("汽油", "吨")
    heat_gj = quantity("外购热力", "吉焦")
    steam_t = quantity("外购蒸汽", "吨")
    electricity_exported_kwh = quantity("输出电力", "千瓦时")
    heat_exported_gj = quantity("输出热力", "吉焦")
    source = models.CharField("数据来源", max_length=12, choices=Source.choices, default=Source.STATISTICS)

    QUANTITIES = tuple(c for c in (*COLUMNS, *OPTIONAL) if c not in ("entity", "year", "province"))

    class Meta:
        verbose_name = verbose_name_plural = "企业年度能源消费记录"
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="carbon_energy_record_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class DataGate(models.Model):
    """零碳园区核算方法的前提：园区边界、企业名单、基准年和因子集确认之前，园区合计只作试算，不作正式数据。"""

    zone = models.OneToOneField("zones.Zone", verbose_name="园区", on_delete=models.CASCADE, related_name="carbon_gate")
    boundary_confirmed = models.BooleanField("园区边界（四至）已确认", default=False)
    enterprise_list_confirmed = models.BooleanField("园区企业名单已确认", default=False)
    baseline_year = models.PositiveSmallIntegerField("基准年", null=True, blank=True, validators=YEAR)
    factor_set_id = models.CharField("因子集", max_length=80, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "碳核算数据条件"

    def __str__(self) -> str:
        return str(self.zone_id)

    @property
    def missing(self) -> list[str]:
        return [label for ok, label in ((self.boundary_confirmed, "园区边界"), (self.enterprise_list_confirmed, "企业名单"),
                                        (self.baseline_year, "基准年"), (self.factor_set_id, "因子集")) if not ok]


class CarbonAccount(models.Model):
    """One zone-year account as computed: the engine's JSON and the factor set it used (id, version, sha256).
    A new factor set never changes it; recomputing with the pinned set gives the same figures."""

    zone = models.ForeignKey("zones.Zone", verbose_name="园区", on_delete=models.PROTECT, related_name="carbon_accounts")
    year = models.PositiveSmallIntegerField("核算年度", validators=YEAR)
    factor_set_id = models.CharField("因子集", max_length=80)
    factor_set_version = models.CharField("因子集版本", max_length=20)
    factor_set_digest = models.CharField("因子集摘要", max_length=64)
    formal = models.BooleanField("正式核算", default=False, help_text="数据条件全部确认后为正式核算，否则为试算")
    result = models.JSONField("核算结果")
    created_at = models.DateTimeField("核算时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核算人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    frozen = models.BooleanField("已冻结为基准", default=False, help_text="冻结后不再替换，作为该年度的基准数据")
    frozen_at = models.DateTimeField("冻结时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "园区碳排放核算"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.year}"


class GreenCertificate(models.Model):
    """A range of green certificates (绿证) as the platform issued them: 1 certificate = 1,000 kWh of renewable
    power (发改能源〔2023〕1044号). A range retired (注销/核销) for a year covers its holder's green power of that
    year; a range is retired once, and no two ranges of a platform overlap."""

    class Platform(models.TextChoices):
        NATIONAL = "gec", "国家绿证核发交易系统"
        BEIJING = "bjpx", "北京电力交易中心"
        GUANGZHOU = "gzpx", "广州电力交易中心"

    platform = models.CharField("交易平台", max_length=8, choices=Platform.choices)
    first_id = models.CharField("起始证书编号", max_length=40)
    last_id = models.CharField("终止证书编号", max_length=40, blank=True, help_text="单张证书可不填")
    certificates = models.PositiveIntegerField("证书数量", help_text="张")
    mwh = models.FloatField("电量", help_text="兆瓦时", validators=NON_NEGATIVE)
    project = models.CharField("发电项目", max_length=200)
    production_period = models.CharField("生产期间", max_length=7, help_text="年月，如 2025-03")
    holder = models.ForeignKey("enterprises.Enterprise", verbose_name="持有企业", on_delete=models.PROTECT,
                               related_name="green_certificates")
    retired_year = models.PositiveSmallIntegerField("注销用于年度", null=True, blank=True, validators=YEAR,
                                                    help_text="未注销不填")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "绿证登记"
        constraints = [models.UniqueConstraint(fields=["platform", "first_id"], name="carbon_certificate_unique")]
        indexes = [models.Index(fields=["holder", "retired_year"])]

    def __str__(self) -> str:
        return f"{self.first_id}—{self.last_id}" if self.last_id and self.last_id != self.first_id else self.first_id


def share(label: str) -> models.FloatField:
    return models.FloatField(label, null=True, blank=True, help_text="比例（0—1）",
                             validators=[MinValueValidator(0), MaxValueValidator(1)])


class ZoneGreenFacts(models.Model):
    """What a zone enters per year for 零碳园区 and 绿色工业园区: the five guiding indicators of 1+5 and the
    绿色工业园区 criteria no other table holds (法定边界). Empty is 待录入, never zero."""

    zone = models.ForeignKey("zones.Zone", verbose_name="园区", on_delete=models.CASCADE, related_name="green_facts")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR)
    clean_energy_share = share("清洁能源消费占比")
    product_energy_grade2 = models.BooleanField("产品单位能耗达到国家能耗限额二级", null=True, blank=True)
    solid_waste_utilisation = share("工业固体废物综合利用率")
    waste_heat_utilisation = share("余热余冷余压综合利用率")
    water_reuse = share("工业用水重复利用率")
    legal_boundary = models.BooleanField("具有法定边界和范围", null=True, blank=True)
    source = models.CharField("数据来源", max_length=100)
    note = models.CharField("备注", max_length=200, blank=True)

    GUIDES = ("clean_energy_share", "product_energy_grade2", "solid_waste_utilisation", "waste_heat_utilisation",
              "water_reuse")

    class Meta:
        verbose_name = verbose_name_plural = "园区绿色低碳指标"
        constraints = [models.UniqueConstraint(fields=["zone", "year"], name="carbon_green_facts_unique")]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.year}"
