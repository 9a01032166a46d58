"""Bulletin drafts as background jobs (extension point "jobs.kinds"): the Word document is built from every
zone's figures of the period, in the worker; the draft is stored with its audit entry, or nothing is."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from jingkai.jobs.kinds import JobContext, JobKind, JobOutput
from jingkai.monitoring.bulletin import MissingCJKFont
from jingkai.monitoring.capabilities import DRAFT_BULLETIN
from jingkai.monitoring.selectors import monthly_calendar, period_label
from jingkai.monitoring.services import draft_bulletin


def run(job: JobContext) -> JobOutput:
    p = job.params
    issued = dt.date.fromisoformat(p["issue_date"]) if p.get("issue_date") else None
    job.progress(0, 1, "正在汇总各园区数据并生成通报")
    try:
        with transaction.atomic():
            bulletin = draft_bulletin(job.user, monthly_calendar(), p["period"], issued,
                                      p.get("number") or None)
            job.checkpoint()
    except MissingCJKFont as exc:
        raise ValidationError(str(exc)) from exc
    return JobOutput(None, "", f"{period_label(bulletin.period)}经济运行通报草稿已生成",
                     url=reverse("monitoring:bulletins"))


KINDS = [JobKind("monitoring.bulletin", "通报起草", run, DRAFT_BULLETIN)]
