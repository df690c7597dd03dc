from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "baolei.cadres"
    label = "cadres"
    verbose_name = "村干部队伍"
