"""baolei backup DIR: database snapshot, uploaded files and a checksummed manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baolei.web.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库和上传的文件到一个新目录（不含字段加密密钥）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", type=Path, help="备份目录（不存在或为空）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["dir"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已备份到 {options['dir']}：{len(manifest['files'])} 个文件，"
            f"数据库结构 {len(manifest['schema'])} 个应用。字段加密密钥不在备份中，请另行保管。"
        )
