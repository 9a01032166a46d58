from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "jingkai.intake"
    verbose_name = "数据导入导出"
