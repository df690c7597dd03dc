from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from baolei.ledger.services import notify_deadlines


class Command(BaseCommand):
    help = (
        "临期与逾期提醒：台账事项进入蓝色预警（临近期限）或红色预警（已逾期）时，"
        "通知责任单位与责任人，每项每级只通知一次；可随时重复运行（建议每天由 cron 运行）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="按此日期计算（默认今天）"
        )

    def handle(self, *args: Any, today: date | None = None, **options: Any) -> None:
        sent = notify_deadlines(today)
        self.stdout.write(f"已发送临期、逾期提醒 {sent} 条。")
