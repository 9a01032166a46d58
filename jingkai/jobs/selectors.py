from typing import Any

from django.db.models import QuerySet

from jingkai.jobs.models import Job


def jobs_of(user: Any) -> QuerySet[Job]:
    """A user sees the jobs they submitted, nobody else's."""
    return Job.objects.filter(user=user).order_by("-created_at", "-id")
