from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jingkai.accounts"
    verbose_name = "用户与机构"
