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
