from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "baolei.ledger"
    label = "ledger"
    verbose_name = "台账"
