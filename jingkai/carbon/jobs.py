"""The zone account as a background job (extension point "jobs.kinds"), for zones with many records: the same
`services.compute` the page calls, for the user who asked, within that user's scope when it runs."""

from __future__ import annotations

from jingkai.carbon.capabilities import COMPUTE_CARBON
from jingkai.jobs.kinds import JobContext, JobKind, JobOutput
from jingkai.zones.selectors import zone_get


def run_account(job: JobContext) -> JobOutput:
    from jingkai.carbon.services import compute  # services queues this kind: imported when it runs

    zone = zone_get(job.user.scope, job.params["zone"])
    job.progress(0, 1, "正在核算")
    account = compute(job.user, zone, int(job.params["year"]))
    return JobOutput(None, "", f"已完成{zone.name}{account.year}年碳排放核算（{account.result['zone']['enterprises']} 家企业）")


KINDS = [JobKind("carbon.account", "碳排放核算", run_account, COMPUTE_CARBON)]
