"""baolei restore DIR: checks a backup, then restores it into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baolei.web.backup import BackupError, restore


class Command(BaseCommand):
    help = "校验备份后恢复到空数据库；数据库非空时需加 --force"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", type=Path, help="备份目录")
        parser.add_argument("--force", action="store_true", help="覆盖非空数据库")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["dir"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已从 {options['dir']} 恢复（备份时间 {manifest['created_at']}）。"
            "请运行 baolei audit verify 核对安全日志。"
        )
