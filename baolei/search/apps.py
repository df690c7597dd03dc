"""Search across every kind of record the user may see."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "baolei.search"
    label = "search"
    verbose_name = "全局搜索"

    def ready(self) -> None:
        from baolei.search import index

        index.connect()
