from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baolei.ledger.calendar import complete_year, seed_from_package, set_day
from baolei.ledger.models import CalendarDay, CalendarDayKind, CalendarYear


class Command(BaseCommand):
    help = "工作日历：seed 从 chinesecalendar 录入节假日；set 录入或删除某日；complete 确认某年已录入完整；show 查看。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("seed", help="从已安装的 chinesecalendar 录入节假日与调休")
        day = sub.add_parser("set", help="录入一天：baolei calendar set 2027-01-01 holiday 元旦")
        day.add_argument("day", type=date.fromisoformat)
        day.add_argument("kind", choices=[*CalendarDayKind.values, "normal"])
        day.add_argument("name", nargs="?", default="")
        year = sub.add_parser(
            "complete",
            help="确认某年节假日已全部录入：baolei calendar complete 2027 --source 国办发明电〔2026〕X号",
        )
        year.add_argument("year", type=int)
        year.add_argument("--source", required=True)
        show = sub.add_parser("show", help="列出某年的节假日与调休")
        show.add_argument("year", type=int)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "seed":
            years = seed_from_package()
            self.stdout.write(f"已录入年度：{'、'.join(map(str, years)) or '无新增'}")
        elif action == "set":
            kind = None if options["kind"] == "normal" else CalendarDayKind(options["kind"])
            set_day(options["day"], kind, options["name"])
            self.stdout.write(f"{options['day']} 已设为 {kind.label if kind else '普通日'}")
        elif action == "complete":
            if not CalendarDay.objects.filter(day__year=options["year"]).exists():
                raise CommandError(f"{options['year']}年尚无任何节假日记录，请先用 set 录入")
            complete_year(options["year"], options["source"])
            self.stdout.write(f"{options['year']}年已确认")
        else:
            confirmed = CalendarYear.objects.filter(year=options["year"]).exists()
            self.stdout.write(f"{options['year']}年{'已' if confirmed else '未'}确认完整")
            for row in CalendarDay.objects.filter(day__year=options["year"]):
                self.stdout.write(f"  {row.day} {row.get_kind_display()} {row.name}")
