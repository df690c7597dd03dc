"""The ``baolei`` command: Django's management commands with a friendly front page."""

from __future__ import annotations

import os
import sys

HELP = """\
堡垒 Baolei —— 扫黑除恶专项斗争工作平台 / campaign platform against organised crime

用法 Usage: baolei <命令 command> [选项 options]

常用命令 Common commands:
  migrate                 建立或升级数据库 / create or upgrade the database
  demo                    生成演示城市与演示账户 / create the demo city and accounts
  runserver [地址:端口]    启动开发服务器 / serve at http://127.0.0.1:8000
  regions import FILE     导入行政区划（CSV/XLSX）/ import administrative divisions
  report briefing ...     生成工作情况通报 / write a briefing (html, docx, pdf)
  audit verify            校验安全日志哈希链 / verify the security-log hash chain
  audit purge             清理超过保留期的安全日志 / purge entries past retention
  check --deploy          检查生产部署配置 / check production settings
  bootstrap_admin ...     创建第一位系统/安全/审计管理员及其单位 / the first administrators

baolei help             列出全部命令 / list every command
baolei help <命令>       某命令的说明 / help on one command

配置通过 BAOLEI_* 环境变量，见 .env.example / configure through BAOLEI_* variables.
"""


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baolei.settings")
    if not args or args[0] in {"-h", "--help"}:
        sys.stdout.write(HELP)
        return
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - loading settings validates the environment
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"{exc}\n")
        raise SystemExit(2) from None
    from django.core.management import execute_from_command_line

    if args[0] == "db_worker":
        sweep_interrupted_jobs()
    execute_from_command_line(["baolei", *args])


def sweep_interrupted_jobs() -> None:
    """A starting worker first marks failed the vetting runs, exports and imports whose
    worker died (后台任务中断)."""
    import django
    from django.db.utils import DatabaseError

    django.setup()
    from baolei.core import export_jobs, import_jobs
    from baolei.vetting.services import sweep_stale_runs

    try:
        count = sweep_stale_runs() + export_jobs.sweep_stale() + import_jobs.sweep_stale()
    except DatabaseError as exc:  # not migrated yet: the worker reports it itself
        sys.stderr.write(f"未能检查中断的后台任务：{exc}\n")
        return
    if count:
        sys.stderr.write(f"已将 {count} 个中断的后台任务标记为失败（后台任务中断）。\n")


if __name__ == "__main__":
    main()
