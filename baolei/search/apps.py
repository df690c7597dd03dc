from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "baolei.search"
    label = "search"
    verbose_name = "全局搜索"
