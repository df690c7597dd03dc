from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baolei.regions.services import import_regions


class Command(BaseCommand):
    help = "行政区划：import 导入 CSV 或 XLSX（列：区划代码、名称、层级，可选上级代码）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="导入区划文件 / import a CSV or XLSX file")
        load.add_argument("file", type=Path)

    def handle(self, *args: Any, action: str, file: Path, **options: Any) -> None:
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        result = import_regions(file)
        if not result.ok:
            for line, message in result.errors:
                self.stderr.write(f"第{line}行：{message}")
            raise CommandError(f"共 {len(result.errors)} 处错误，未导入任何区划 / nothing imported")
        self.stdout.write(f"导入完成：新增 {result.created} 个，更新 {result.updated} 个。")
