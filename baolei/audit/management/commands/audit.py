from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from baolei.audit import checkpoints, guard
from baolei.audit.services import LogBroken, purge_expired, verify_chain, write_checkpoint


class Command(BaseCommand):
    help = (
        "安全日志：verify 校验哈希链、检查点和触发器；checkpoint 写入并打印签名检查点；"
        "purge 清理超过保留期（至少180天）的日志；guard 重新安装触发器。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="校验哈希链、检查点和触发器 / verify chain, checkpoint and triggers"
        )
        verify.add_argument(
            "--checkpoint",
            metavar="LINE",
            help="以这一行检查点（如异地保存的副本）代替检查点文件 / verify against this line",
        )
        sub.add_parser(
            "checkpoint", help="写入并打印签名检查点 / write and print a signed checkpoint"
        )
        sub.add_parser("purge", help="删除超过保留期的日志 / delete entries past retention")
        sub.add_parser("guard", help="重新安装安全日志触发器 / reinstall the triggers")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "verify":
                self.verify(options.get("checkpoint"))
            elif action == "checkpoint":
                checkpoint = write_checkpoint()
                self.stdout.write(checkpoint.line())
            elif action == "guard":
                guard.remove(connection)
                guard.install(connection)
                self.stdout.write("安全日志触发器已安装 / triggers installed")
            else:
                count = purge_expired(actor="baolei audit purge")
                self.stdout.write(f"已清理 {count} 条过期日志 / purged {count} entries")
        except (LogBroken, checkpoints.CheckpointError) as exc:
            raise CommandError(f"{exc} / security log does not verify") from None

    def verify(self, line: str | None) -> None:
        given = checkpoints.parse(line) if line else None
        result = verify_chain(given)
        if not result.ok:
            where = f"第 {result.broken_seq} 条，" if result.broken_seq is not None else ""
            raise CommandError(
                f"安全日志被篡改：{where}{result.reason}（此前 {result.checked} 条完好）"
                f" / security log broken at entry {result.broken_seq}"
            )
        if result.checkpoint is None:
            self.stdout.write(
                "尚无检查点：末尾条目被删除无法发现，请运行 baolei audit checkpoint"
                " / no checkpoint yet"
            )
        else:
            self.stdout.write(
                f"检查点 {result.checkpoint.at.isoformat()}：第 {result.checkpoint.head_seq} 条"
                " 仍在且未被改动 / checkpoint entry present and unchanged"
            )
        self.stdout.write(
            f"安全日志完整：已校验 {result.checked} 条 / chain intact, {result.checked} entries"
        )
        absent = guard.missing(connection)
        if absent:
            raise CommandError(
                f"数据库缺少安全日志触发器：{'、'.join(absent)}（日志可被直接改动），"
                "查明原因后运行 baolei audit guard 重新安装"
                f" / security-log triggers missing: {', '.join(absent)}"
            )
