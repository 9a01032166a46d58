from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "jingkai.measures"
    verbose_name = "措施督办"
