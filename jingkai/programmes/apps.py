from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "jingkai.programmes"
    verbose_name = "企业培育与评价"
