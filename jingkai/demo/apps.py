from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jingkai.demo"
    verbose_name = "演示数据"
