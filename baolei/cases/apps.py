from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "baolei.cases"
    label = "cases"
    verbose_name = "涉黑涉恶案件"
