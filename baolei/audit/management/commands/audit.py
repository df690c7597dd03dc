from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baolei.audit.services import purge_expired, verify_chain


class Command(BaseCommand):
    help = "安全日志：verify 校验哈希链；purge 清理超过保留期（至少180天）的日志。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验安全日志哈希链 / verify the hash chain")
        sub.add_parser("purge", help="删除超过保留期的日志 / delete entries past retention")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "verify":
            result = verify_chain()
            if not result.ok:
                raise CommandError(
                    f"安全日志被篡改：第 {result.broken_seq} 条，{result.reason}"
                    f"（此前 {result.checked} 条完好） / security log broken at entry {result.broken_seq}"
                )
            self.stdout.write(
                f"安全日志完整：已校验 {result.checked} 条 / chain intact, {result.checked} entries"
            )
        else:
            count = purge_expired(actor="baolei audit purge")
            self.stdout.write(f"已清理 {count} 条过期日志 / purged {count} entries")
