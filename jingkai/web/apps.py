from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jingkai.web"
    verbose_name = "门户"
