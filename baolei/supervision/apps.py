from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "baolei.supervision"
    label = "supervision"
    verbose_name = "督导与问题整改"
