"""baolei bootstrap_admin: the first system, security or audit administrator."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from baolei.accounts import services
from baolei.accounts.models import ADMIN_ROLES, AgencyKind, Role
from baolei.regions.models import (
    SIGNIFICANT_DIGITS,
    Level,
    Region,
    parent_code,
    significant_length,
)


class Command(BaseCommand):
    help = (
        "创建第一位系统/安全/审计管理员及其单位（区划不存在时可一并创建）/ "
        "create the first system, security or audit administrator with an agency and region"
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        roles = sorted(str(role) for role in ADMIN_ROLES)
        parser.add_argument("--username", required=True, help="用户名")
        parser.add_argument("--name", required=True, help="姓名")
        parser.add_argument(
            "--role",
            default=Role.SECURITY_ADMIN.value,
            choices=roles,
            help="角色（默认安全管理员）",
        )
        parser.add_argument("--agency", required=True, help="所属单位名称，如 清源市扫黑办")
        parser.add_argument(
            "--agency-kind",
            default=AgencyKind.CAMPAIGN_OFFICE.value,
            choices=[kind.value for kind in AgencyKind],
            help="单位类别（默认 campaign_office 扫黑办）",
        )
        parser.add_argument("--region", required=True, help="单位所在区划的 12 位代码")
        parser.add_argument("--region-name", help="区划尚未导入时：新建它的名称")
        parser.add_argument(
            "--region-level",
            default=Level.CITY.value,
            choices=[level.value for level in Level],
            help="新建区划的层级（默认 city）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = self.read_password(options.get("stdin"))
        try:
            with transaction.atomic():
                region = self.region(options)
                user = services.bootstrap_admin(
                    username=options["username"],
                    name=options["name"],
                    password=password,
                    role=Role(options["role"]),
                    agency_name=options["agency"],
                    agency_kind=options["agency_kind"],
                    region=region,
                )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(
            f"已创建{Role(options['role']).label} {user.username}（{user.agency}，{region.name}）。"
            "首次登录时须绑定手机验证器（两步验证）。"
        )

    def region(self, options: dict[str, Any]) -> Region:
        code = options["region"]
        region = Region.objects.filter(code=code).first()
        if region is not None:
            return region
        if not options["region_name"]:
            raise CommandError(
                f"区划 {code} 不存在：先用 baolei regions import 导入区划，"
                "或加 --region-name（和 --region-level）新建它。"
            )
        if len(code) != 12 or not code.isdigit():
            raise CommandError(f"区划代码应为 12 位数字，实为 {code!r}。")
        level = Level(options["region_level"])
        if significant_length(code) != SIGNIFICANT_DIGITS[level]:
            raise CommandError(f"区划代码 {code} 与层级“{level.label}”不符。")
        above = parent_code(code)
        region = Region(
            code=code,
            name=options["region_name"],
            level=level,
            parent=Region.objects.filter(code=above).first() if above else None,
        )
        try:
            region.full_clean()
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        region.save()
        return region

    def read_password(self, stdin: Any) -> str:
        source = stdin or sys.stdin
        if not source.isatty():
            return str(source.readline().rstrip("\n"))
        first = getpass.getpass("密码 Password: ")
        if getpass.getpass("再次输入 Again: ") != first:
            raise CommandError("两次输入的密码不一致。")
        return first
