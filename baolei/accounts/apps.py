from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "baolei.accounts"
    label = "accounts"
    verbose_name = "单位与用户"

    def ready(self) -> None:
        from baolei.accounts import checks, receivers  # noqa: F401
