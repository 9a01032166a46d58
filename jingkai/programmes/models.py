"""Stored programme runs (梯度培育, 亩均, 创新积分): one run per rule-set version and input, one result per enterprise."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from types import MappingProxyType

from django.conf import settings
from django.db import models

from jingkai.programmes.results import EMPTY_ZONE, RunSummary, ZoneSummary


class ProgrammeRun(models.Model):
    program = models.CharField("评价项目", max_length=50, db_index=True)
    ruleset = models.CharField("规则集版本", max_length=60)
    rules_sha256 = models.CharField("规则文件哈希", max_length=64, help_text="本次所用规则文件（含前置项目）的 SHA-256")
    evaluation_date = models.DateField("评价日期")
    year = models.PositiveSmallIntegerField("数据年度")
    zones = models.JSONField("评价范围（园区代码）", default=list, blank=True, help_text="空表示全部园区")
    input_sha256 = models.CharField("输入数据哈希", max_length=64, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                                   on_delete=models.SET_NULL)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    summary = models.JSONField("汇总", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评价批次"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "ruleset", "year"])]

    def __str__(self) -> str:
        return f"{self.ruleset} {self.year}年数据（{self.evaluation_date}）"

    # ------------------------------------------------------------ typed accessors (built once per instance)

    def summary_info(self) -> RunSummary:
        return self._summary_info

    def zone_summaries(self) -> Mapping[str, ZoneSummary]:
        """Each zone's figures by zone code (the zones with results, by code)."""
        return self._zone_summaries

    def zone_summary(self, code: str) -> ZoneSummary:
        return self._zone_summaries.get(code, EMPTY_ZONE)

    @cached_property
    def _summary_info(self) -> RunSummary:
        return RunSummary.from_json(self.summary or {})

    @cached_property
    def _zone_summaries(self) -> Mapping[str, ZoneSummary]:
        zones = (self.summary or {}).get("zones", {})
        return MappingProxyType({code: ZoneSummary.from_json(z) for code, z in zones.items()})


class ProgrammeResult(models.Model):
    run = models.ForeignKey(ProgrammeRun, verbose_name="评价批次", on_delete=models.CASCADE, related_name="results")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="programme_results")
    zone = models.ForeignKey("zones.Zone", verbose_name="所在园区", on_delete=models.CASCADE, related_name="+")
    eligible = models.BooleanField("是否符合", null=True, blank=True, help_text="空：不适用或待定")
    score = models.FloatField("得分", null=True, blank=True)
    klass = models.CharField("类别", max_length=8, null=True, blank=True, db_column="class")
    stage = models.CharField("阶段/分组", max_length=20, blank=True)
    gap_count = models.PositiveSmallIntegerField("差距项数", default=0)
    criteria = models.JSONField("逐项结果", default=dict, blank=True,
                                help_text="评价所得的各列（v:/ok:/pt:…），据此由规则文件重现逐项说明")
    gap = models.JSONField("差距", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评价结果"
        constraints = [models.UniqueConstraint(fields=["run", "enterprise"], name="uniq_run_enterprise")]
        indexes = [models.Index(fields=["run", "zone"]), models.Index(fields=["run", "klass"])]

    def __str__(self) -> str:
        return f"{self.run_id} {self.enterprise_id}"
