from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "baolei.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from baolei.audit import checks  # noqa: F401 - registers the deployment check
