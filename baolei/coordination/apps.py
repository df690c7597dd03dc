from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "baolei.coordination"
    label = "coordination"
    verbose_name = "会议、制度与考核"
