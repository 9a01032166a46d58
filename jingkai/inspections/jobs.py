"""Inspection plan draws as background jobs (extension point "jobs.kinds"): a zone with more than
DRAW_INLINE_ENTERPRISES enterprises is drawn in the worker. The draw and its audit entry are stored together,
or not at all."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jingkai.engines import inspections as engine
from jingkai.inspections.capabilities import RUN_DRAWS
from jingkai.inspections.models import InspectionItem
from jingkai.inspections.services import start_draw
from jingkai.jobs.kinds import JobContext, JobKind, JobOutput
from jingkai.zones.models import Zone


def run(job: JobContext) -> JobOutput:
    p = job.params
    job.progress(0, 1, "正在按检查事项抽取企业与检查人员")
    zone = Zone.objects.get(code=p["zone"])
    items = list(InspectionItem.objects.filter(pk__in=p["items"]).order_by("pk"))
    with transaction.atomic():
        draw = start_draw(job.user, zone, engine.parse_period(p["period"]), int(p["seed"]), items,
                          timezone.localdate())
        job.checkpoint()
    return JobOutput(None, "", f"已完成{zone.name}{draw.period}双随机抽取",
                     url=reverse("inspections:draw", kwargs={"draw_id": draw.pk}))


KINDS = [JobKind("inspections.draw", "双随机抽取", run, RUN_DRAWS)]
