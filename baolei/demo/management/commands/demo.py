from __future__ import annotations

from datetime import date
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
from baolei.demo.network import build_network
from baolei.demo.screening import build_screening
from baolei.demo.supervision import build_supervision
from baolei.demo.vetting import build_vetting
from baolei.regions.models import Region

#: The seed article reports the city "截至10月15日" 2019, with 118 secretaries adjusted.
SEED_DATE = date(2019, 10, 15)
SEED_ADJUSTED = 118


class Command(BaseCommand):
    help = "生成演示城市（虚构地名、人名）与演示账户；重复运行不会改变已有数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-accounts", action="store_true", help="不打印账户表")
        parser.add_argument(
            "--scenario",
            choices=["default", "seed"],
            default="default",
            help="seed：在空数据库中按2019年10月15日生成与报道数字一致的城市 / the seed article's city",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "生产模式下不能生成演示数据 / refusing to create demo data in production"
            )
        today, executed = timezone.localdate(), None
        if options["scenario"] == "seed":
            if Region.objects.exists():
                raise CommandError(
                    "种子场景须在空数据库中生成 / the seed scenario needs an empty database"
                )
            today, executed = SEED_DATE, SEED_ADJUSTED
        report = build_city()
        items = build_ledger(today)
        confirmed = build_screening(today, rectify_all=options["scenario"] == "seed")
        problems = build_supervision(today)
        meetings = build_coordination(today)
        cases = build_cases(today)
        seed = options["scenario"] == "seed"
        cadres = build_cadres(today, executed, city_bases=8 if seed else 3)
        clues = build_clues(today)
        vetting = build_vetting(today)
        relations = build_network(today)
        self.stdout.write(
            f"演示城市已就绪：新增区划 {report.regions_created} 个、综治中心 {report.centres_created} 个、"
            f"单位 {report.agencies_created} 个、台账事项 {items} 条、软弱涣散村党组织 {confirmed} 个、"
            f"督导问题 {problems} 项、会议 {meetings} 次、案件 {cases} 件、"
            f"线索 {clues} 条。"
        )
        self.stdout.write(f"村干部队伍：新增任职 {cadres} 条。")
        self.stdout.write(f"背景审查：演示比对疑似命中 {vetting} 条。")
        self.stdout.write(f"关系网络：人员关系 {relations} 条。")
        if options["quiet_accounts"]:
            return
        self.stdout.write(f"\n演示账户（初始密码均为 {DEMO_PASSWORD}）：")
        for account in report.accounts or []:
            note = "" if account.created else "（已存在，密码未重置）"
            self.stdout.write(
                f"  {account.username:<22}{account.role:<8}{account.agency} {account.name}{note}"
            )
        self.stdout.write(
            "领导和系统、安全、审计管理员首次登录时，须用手机验证器（TOTP，如 FreeOTP）"
            "扫描页面上的二维码完成两步验证绑定，并保存恢复码；其他账户只需密码。"
        )
