from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "baolei.vetting"
    label = "vetting"
    verbose_name = "背景审查"
    default_auto_field = "django.db.models.BigAutoField"
