from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "baolei.core"
    label = "core"
    verbose_name = "基础组件"

    def ready(self) -> None:
        # Each app states its action rules in its own policy.py (baolei.core.policy).
        autodiscover_modules("policy")
