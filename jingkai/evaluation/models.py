from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import cached_property
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.db import models

from jingkai.evaluation.results import UnitResult, UnitSensitivity


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

    # ------------------------------------------------------------ typed accessors (built once per instance)

    def units(self) -> Mapping[str, UnitResult]:
        """Every unit's result by unit code, best first."""
        return self._units

    def unit(self, code: str) -> UnitResult | None:
        return self._units.get(code)

    def reference(self) -> frozenset[str]:
        """The units that set the scale and the ranks (all units without a reference set)."""
        return self._reference

    def region_size(self, region: str | None) -> int:
        """How many reference units the run ranks in `region`."""
        return self._region_sizes.get(region, 0)

    def input_value(self, unit: str, column: str) -> Any:
        """The unit's value of an input column (None when the column or the unit is absent)."""
        values = self.inputs.get(column)
        row = self._input_rows.get(unit)
        return None if values is None or row is None else values[row]

    def own_sensitivity(self) -> Mapping[str, UnitSensitivity]:
        """The Monte Carlo figures stored with this run, by unit (empty without)."""
        return self._sensitivity

    @cached_property
    def _units(self) -> Mapping[str, UnitResult]:
        return MappingProxyType({u["unit"]: UnitResult.from_record(u) for u in self.result["units"]})

    @cached_property
    def _reference(self) -> frozenset[str]:
        return frozenset(self.result["reference"])

    @cached_property
    def _region_sizes(self) -> Mapping[str | None, int]:
        return MappingProxyType(dict(Counter(u.region for code, u in self._units.items() if code in self._reference)))

    @cached_property
    def _input_rows(self) -> Mapping[str, int]:
        return MappingProxyType({code: i for i, code in enumerate(self.inputs.get("zone_code", []))})

    @cached_property
    def _sensitivity(self) -> Mapping[str, UnitSensitivity]:
        units = (self.sensitivity or {}).get("units", {})
        return MappingProxyType({code: UnitSensitivity.from_record(rec) for code, rec in units.items()})
