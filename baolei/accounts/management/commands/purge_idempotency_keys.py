from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from baolei.accounts.idempotency import purge_expired


class Command(BaseCommand):
    help = (
        "删除超过 24 小时的接口幂等键及其保存的响应（过期的键本就不再重放，"
        "此命令只回收空间）；建议每天由 cron 运行。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        purged = purge_expired()
        self.stdout.write(f"已清理过期幂等键 {purged} 条。")
