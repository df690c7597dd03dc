from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from baolei.accounts.models import User
from baolei.regions.models import Region
from baolei.reports import briefing, output


class Command(BaseCommand):
    help = "通报：baolei report briefing --user 用户名 [--region 代码] --as-of 日期 --format html|docx|pdf --out 文件"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        brief = sub.add_parser("briefing", help="生成工作情况通报 / write a briefing")
        brief.add_argument(
            "--user", required=True, help="以该用户的可见范围统计 / whose scope to count in"
        )
        brief.add_argument("--region", help="区划代码，默认为该用户所在区划")
        brief.add_argument("--as-of", type=date.fromisoformat, help="截至日期，默认为北京时间今天")
        brief.add_argument(
            "--from", dest="start", type=date.fromisoformat, help="对比起点，默认截至日前300天"
        )
        brief.add_argument("--format", choices=["html", "docx", "pdf"], default="docx")
        brief.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None or user.scope_prefix is None:
            raise CommandError(f"用户 {options['user']} 不存在、已停用或未分配单位")
        region = (
            Region.objects.visible_to(user).filter(code=options["region"]).first()
            if options["region"]
            else user.agency.region
        )
        if region is None:
            raise CommandError(f"区划 {options['region']} 不存在或不在该用户的范围内")
        as_of = options["as_of"] or timezone.localdate()
        document = briefing.build(
            user, region, as_of, options["start"] or as_of - timedelta(days=300)
        )
        out: Path = options["out"]
        try:
            out.write_bytes(output.render(document, options["format"]))
        except output.OfficeMissing as missing:
            raise CommandError(str(missing)) from None
        self.stdout.write(f"已生成 {out}")
