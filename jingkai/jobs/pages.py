"""What a domain's page calls to hand long work to the job worker: submit the job, say why in Chinese, and
go to the job's page (its progress bar; 待办 tells the user when it is done)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from jingkai.jobs import services


def start(request: Any, kind_code: str, params: dict[str, Any], title: str, why: str) -> HttpResponse:
    job = services.submit(request.user, kind_code, params, title)
    messages.info(request, f"{why}，已转为后台任务：完成后在本页查看结果，也会在“我的待办”中提示。")
    return redirect("jobs:detail", pk=job.pk)
