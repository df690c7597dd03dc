from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "baolei.audit"
    label = "audit"
    verbose_name = "审计"
