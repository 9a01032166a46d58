from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations of the running service (backup and restore): no pages, no data of its own."""

    name = "jingkai.ops"
    verbose_name = "运维"
