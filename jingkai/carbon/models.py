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

    class Meta:
        verbose_name = verbose_name_plural = "园区碳排放核算"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.year}"
