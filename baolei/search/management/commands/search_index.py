from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from baolei.search import index
from baolei.search.models import Kind


class Command(BaseCommand):
    help = (
        "重建全局搜索索引（升级或恢复数据库后运行；平时随记录保存自动更新）。"
        "Rebuild the search index from the records."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind", action="append", choices=Kind.values, help="只重建某类记录（可重复）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            written = index.rebuild([Kind(k) for k in options["kind"] or []])
        for kind, count in written.items():
            self.stdout.write(f"{Kind(kind).label}：{count} 个检索词")
