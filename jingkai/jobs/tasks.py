"""The one queued task: run a Job. The queue is django-tasks' database backend, drained by `jingkai worker`."""

from django_tasks import task

from jingkai.jobs import services


@task()
def run_job(job_id: int) -> None:
    services.run(job_id)
