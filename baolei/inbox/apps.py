from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "baolei.inbox"
    label = "inbox"
    verbose_name = "待办"
