from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "baolei.core"
    label = "core"
    verbose_name = "基础组件"
