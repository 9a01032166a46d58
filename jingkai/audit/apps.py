from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jingkai.audit"
    verbose_name = "审计日志"
