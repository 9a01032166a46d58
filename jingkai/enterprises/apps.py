from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "jingkai.enterprises"
    verbose_name = "企业"
