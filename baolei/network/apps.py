from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "baolei.network"
    label = "network"
    verbose_name = "关系网络"
