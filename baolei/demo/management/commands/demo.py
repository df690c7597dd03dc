from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from baolei.demo.cadres import build_cadres
from baolei.demo.cases import build_cases
from baolei.demo.city import DEMO_PASSWORD, build_city
from baolei.demo.clues import build_clues
from baolei.demo.coordination import build_coordination
from baolei.demo.ledger import build_ledger
from baolei.demo.screening import build_screening
from baolei.demo.supervision import build_supervision


class Command(BaseCommand):
    help = "生成演示城市（虚构地名、人名）与演示账户；重复运行不会改变已有数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-accounts", action="store_true", help="不打印账户表")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "生产模式下不能生成演示数据 / refusing to create demo data in production"
            )
        report = build_city()
        items = build_ledger(timezone.localdate())
        confirmed = build_screening(timezone.localdate())
        problems = build_supervision(timezone.localdate())
        meetings = build_coordination(timezone.localdate())
        cases = build_cases(timezone.localdate())
        cadres = build_cadres(timezone.localdate())
        clues = build_clues(timezone.localdate())
        self.stdout.write(
            f"演示城市已就绪：新增区划 {report.regions_created} 个、综治中心 {report.centres_created} 个、"
            f"单位 {report.agencies_created} 个、台账事项 {items} 条、软弱涣散村党组织 {confirmed} 个、"
            f"督导问题 {problems} 项、会议 {meetings} 次、案件 {cases} 件、"
            f"线索 {clues} 条。"
        )
        self.stdout.write(f"村干部队伍：新增任职 {cadres} 条。")
        if options["quiet_accounts"]:
            return
        self.stdout.write(f"\n演示账户（初始密码均为 {DEMO_PASSWORD}）：")
        for account in report.accounts or []:
            note = "" if account.created else "（已存在，密码未重置）"
            self.stdout.write(
                f"  {account.username:<22}{account.role:<8}{account.agency} {account.name}{note}"
            )
