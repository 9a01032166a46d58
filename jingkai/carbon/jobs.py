"""Carbon accounts as background jobs (extension point "jobs.kinds"): one zone with many records, or every zone
of the user's scope for a year. Each runs the same `services.compute` the page calls, for the user who asked and
within that user's scope when it runs; the accounts and their audit entries are stored together, or none."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from jingkai.carbon.capabilities import COMPUTE_CARBON
from jingkai.carbon.services import compute
from jingkai.jobs.kinds import JobContext, JobKind, JobOutput
from jingkai.zones.selectors import zone_get, zone_list


def run_account(job: JobContext) -> JobOutput:
    zone = zone_get(job.user.scope, job.params["zone"])
    job.progress(0, 1, "正在核算")
    with transaction.atomic():
        account = compute(job.user, zone, int(job.params["year"]))
        job.checkpoint()
    return JobOutput(None, "", f"已完成{zone.name}{account.year}年碳排放核算（{account.result['zone']['enterprises']} 家企业）")


def run_all(job: JobContext) -> JobOutput:
    year = int(job.params["year"])
    zones = list(zone_list(job.user.scope).filter(enterprises__isnull=False).distinct().order_by("code"))
    if not zones:
        raise ValidationError("您的权限范围内没有有企业的园区，未核算")
    formal = 0
    with transaction.atomic():
        for done, zone in enumerate(zones):
            job.progress(done, len(zones), f"正在核算{zone.name}")
            formal += compute(job.user, zone, year).formal
        job.checkpoint()
    return JobOutput(None, "", f"已核算 {len(zones)} 个园区 {year} 年碳排放（正式核算 {formal} 个，其余为试算）",
                     url=reverse("carbon:index"))


KINDS = [JobKind("carbon.account", "碳排放核算", run_account, COMPUTE_CARBON),
         JobKind("carbon.accounts", "园区碳排放核算", run_all, COMPUTE_CARBON)]
