from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sanxiang.accounts"
    verbose_name = "账户"

    def ready(self) -> None:
        from sanxiang.accounts import signals  # noqa: F401
