from django.conf import settings
from django.db import models


class EvaluationRun(models.Model):
    """One stored evaluation: the methodology (id, version, hash of its effective content), the year,
    the exact input table and its hash, and the result in the JSON shape of `jingkai evaluate`.

    Runs are reproducible: evaluating `inputs` with the methodology of `methodology_hash` gives
    `result` again. The same methodology, input, year and Monte Carlo settings are stored once and reused.
    """

    methodology = models.CharField("评价方法", max_length=60)
    methodology_name = models.CharField("评价方法名称", max_length=200)
    methodology_version = models.CharField("评价方法版本", max_length=40)
    methodology_hash = models.CharField("评价方法摘要", max_length=64, help_text="评价方法全文（含继承）的 SHA-256")
    methodology_doc = models.JSONField("评价方法全文", help_text="计算时所用评价方法（含继承）的全文")
    year = models.PositiveSmallIntegerField("数据年度")
    input_hash = models.CharField("输入数据摘要", max_length=64, db_index=True,
                                  help_text="规范化输入表（按单位排序、列名排序）的 SHA-256")
    inputs = models.JSONField("输入数据", help_text="规范化输入表：{列名: 按单位排序的值}")
    sensitivity_runs = models.PositiveIntegerField("不确定性分析样本数 N", default=0)
    seed = models.IntegerField("随机种子", default=0)
    result = models.JSONField("评价结果")
    sensitivity = models.JSONField("不确定性与敏感性", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="计算人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("计算时间", auto_now_add=True)
    requested_at = models.DateTimeField("最近请求时间", db_index=True,
                                        help_text="最近一次计算或复用的时间：同一年度以最近请求的结果为准")

    class Meta:
        verbose_name = verbose_name_plural = "综合评价结果"
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["methodology", "methodology_hash", "year", "input_hash", "sensitivity_runs", "seed"],
            name="uniq_evaluation_run")]

    def __str__(self) -> str:
        return f"{self.methodology_name} {self.year}（{self.input_hash[:8]}）"
