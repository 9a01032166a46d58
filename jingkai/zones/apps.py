from django.apps import AppConfig


class ZonesConfig(AppConfig):
    name = "jingkai.zones"
    verbose_name = "园区与指标"
