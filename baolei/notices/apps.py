from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "baolei.notices"
    label = "notices"
    verbose_name = "通知"
