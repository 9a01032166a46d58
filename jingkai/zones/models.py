from django.db import models


class Zone(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national_etdz", "国家级经开区"
        PROVINCIAL = "provincial", "省级开发区"

    class Region(models.TextChoices):
        EAST = "east", "东部"
        CENTRAL = "central", "中部"
        WEST = "west", "西部"

    code = models.CharField("园区代码", max_length=32, unique=True)
    name = models.CharField("园区名称", max_length=100)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    region = models.CharField("地区", max_length=10, choices=Region.choices)
    province = models.CharField("省", max_length=20)
    city = models.CharField("市", max_length=30, blank=True)
    division_code = models.CharField("行政区划代码", max_length=6, blank=True)
    approved_year = models.PositiveSmallIntegerField("批准年份", null=True, blank=True)
    planned_area_km2 = models.FloatField("规划面积", null=True, blank=True, help_text="km²")
    leading_industries = models.JSONField("主导产业", default=list, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    committee = models.OneToOneField(
        "accounts.OrgUnit", verbose_name="管委会", null=True, blank=True, on_delete=models.PROTECT,
        related_name="managed_zone", related_query_name="zone",
    )

    class Meta:
        verbose_name = verbose_name_plural = "园区"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_gansu(self) -> bool:
        return self.province == "甘肃省"


class Indicator(models.Model):
    """The indicator catalogue: what a zone reports, in which unit, which way is better."""

    class Frequency(models.TextChoices):
        MONTH = "month", "月度"
        QUARTER = "quarter", "季度"
        YEAR = "year", "年度"

    key = models.CharField("指标代码", max_length=50, unique=True)
    name = models.CharField("指标名称", max_length=100)
    unit = models.CharField("单位", max_length=30)
    direction = models.SmallIntegerField("方向", choices=[(1, "越大越好"), (-1, "越小越好")], default=1)
    frequency = models.CharField("频率", max_length=10, choices=Frequency.choices)
    # Monthly flows are reported cumulative from January (1—9月累计) and may not fall within a year.
    cumulative = models.BooleanField("按年累计", default=False)
    lower_bound = models.FloatField("下限", null=True, blank=True)
    upper_bound = models.FloatField("上限", null=True, blank=True)
    definition = models.TextField("指标解释", blank=True)
    source_department = models.ForeignKey(
        "accounts.OrgUnit", verbose_name="数据来源部门", null=True, blank=True, on_delete=models.PROTECT
    )
    unverified = models.BooleanField("口径待核实", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "指标"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class IndicatorValue(models.Model):
    zone = models.ForeignKey(Zone, verbose_name="园区", on_delete=models.CASCADE, related_name="indicator_values")
    period = models.CharField("期间", max_length=7, db_index=True)
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT)
    value = models.FloatField("数值")
    # 上年同期调整值: last year's same-period value revised to this year's comparable scope (可比口径, e.g. after
    # a merger or a boundary change), as the zone states it. When given it is the base of 同比; the stored
    # last-year value stays as it was.
    base_revised = models.FloatField("上年同期调整值", null=True, blank=True,
                                     help_text="可比口径调整后的上年同期数，选填")
    source = models.CharField("来源", max_length=100, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "园区指标值"
        constraints = [
            models.UniqueConstraint(fields=["zone", "period", "indicator"], name="uniq_zone_period_indicator")
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.period} {self.indicator_id}={self.value}"
