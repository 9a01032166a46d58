from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jingkai.accounts"
    verbose_name = "用户与机构"

    def ready(self) -> None:
        from jingkai.accounts import lockout  # noqa: F401  (connects the lockout's log and audit)
