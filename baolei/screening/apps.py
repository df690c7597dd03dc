from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "baolei.screening"
    label = "screening"
    verbose_name = "软弱涣散村党组织排查整顿"
