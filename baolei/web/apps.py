from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "baolei.web"
    label = "web"
    verbose_name = "界面"
