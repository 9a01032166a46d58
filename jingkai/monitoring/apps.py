from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jingkai.monitoring"
    verbose_name = "经济运行监测"
