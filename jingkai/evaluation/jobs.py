"""Evaluation runs with Monte Carlo uncertainty analysis as background jobs (extension point "jobs.kinds"):
more than EVALUATION_INLINE_REPLICATIONS replications run in the worker, not in the request."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode

from jingkai.engines.evaluation import EvaluationError
from jingkai.evaluation import capabilities as caps
from jingkai.evaluation.services import run_evaluation
from jingkai.jobs.kinds import JobContext, JobKind, JobOutput


def run(job: JobContext) -> JobOutput:
    """All or nothing: the run and its audit entry are written together, or not at all (a failure or a
    cancel after writing rolls both back)."""
    meth_id, year, n = job.params["methodology"], job.params.get("year"), int(job.params["sensitivity"])
    job.progress(0, 1, f"正在计算综合评价及不确定性分析（{n} 次）")
    try:
        with transaction.atomic():
            outcome = run_evaluation(meth_id, year, user=job.user, sensitivity=n)
            job.checkpoint()
    except EvaluationError as exc:
        raise ValidationError(f"计算失败：{exc}") from exc
    r = outcome.run
    what = "数据与评价方法未变，沿用已有结果" if outcome.reused else "已完成计算并保存"
    return JobOutput(None, "", f"{r.methodology_name} {r.year} 年度：{what}（含不确定性分析 N = {n}）",
                     url=f"{reverse('evaluation:ranking')}?{urlencode({'methodology': meth_id, 'year': r.year})}")


KINDS = [JobKind("evaluation.run", "综合评价计算", run, caps.COMPUTE)]
