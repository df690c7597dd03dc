"""Importing a ledger from .xlsx in the office layout: every row checked, all or nothing."""

from __future__ import annotations

import re
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from baolei.accounts.models import Agency, User
from baolei.core.importing import Importer, ImportReport, RowError, Sheet, parse_date, run
from baolei.ledger import services
from baolei.ledger.models import LedgerItem, Status
from baolei.regions.models import Region

REQUIRED = ("编号", "事项", "区划代码", "责任单位", "责任人", "整改时限", "整改状态")
OPTIONAL = ("包保领导", "整改措施", "具体内容")
IMPORTABLE_STATUS = {
    "未启动": Status.NOT_STARTED,
    "整改中": Status.IN_PROGRESS,
    "进行中": Status.IN_PROGRESS,
}


def split_measures(value: Any) -> list[str]:
    parts = re.split(r"[\n；;]+", str(value or ""))
    return [re.sub(r"^\s*\d+[.、．)]\s*", "", p).strip() for p in parts if p.strip()]


class LedgerImport(Importer[dict[str, Any]]):
    """Rows keyed by 编号: a new number creates an item, a known one may update it."""

    title = "台账导入"
    marker = "事项"
    required = REQUIRED

    def prepare(self, sheet: Sheet) -> None:
        self.regions = {r.code: r for r in Region.objects.visible_to(self.actor)}
        self.agencies = {a.name: a for a in Agency.objects.visible_to(self.actor)}
        keys = [str(value.get("编号") or "").strip() for _, value in sheet.rows]
        # A sheet exported before the office numbers still names its items by the old ones.
        known = LedgerItem.objects.filter(Q(key__in=keys) | Q(former_key__in=keys))
        self.existing = {i.former_key: i for i in known if i.former_key in keys}
        self.existing |= {i.key: i for i in known if i.key in keys}
        self.seen: dict[str, int] = {}

    def check(
        self, line: int, value: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, list[RowError]]:
        return check_row(line, value, self.regions, self.agencies, self.seen)

    def apply(self, row: dict[str, Any], report: ImportReport) -> None:
        apply_row(row, self.existing.get(row["key"]), self.actor, report)


def import_ledger(stream: IO[bytes], *, actor: User, filename: str = "") -> ImportReport:
    """Apply every row in one transaction, or none and report each bad cell."""
    return run(LedgerImport(actor), stream, filename=filename)


def check_row(
    number: int,
    value: dict[str, Any],
    regions: dict[str, Region],
    agencies: dict[str, Agency],
    seen: dict[str, int],
) -> tuple[dict[str, Any] | None, list[RowError]]:
    errors = []
    text = {k: str(v).strip() if v is not None else "" for k, v in value.items()}
    key = text["编号"]
    if not key:
        errors.append(RowError(number, "编号", "编号为空（用于重复导入时识别同一事项）"))
    elif key in seen:
        errors.append(RowError(number, "编号", f"与第{seen[key]}行重复"))
    else:
        seen[key] = number
    if not text["事项"]:
        errors.append(RowError(number, "事项", "事项为空"))
    region = regions.get(text["区划代码"])
    if region is None:
        errors.append(
            RowError(number, "区划代码", f"区划“{text['区划代码']}”不存在或不在您的管理范围内")
        )
    agency = agencies.get(text["责任单位"])
    if agency is None:
        errors.append(
            RowError(number, "责任单位", f"单位“{text['责任单位']}”不存在或不在您的管理范围内")
        )
    if not text["责任人"]:
        errors.append(RowError(number, "责任人", "未填写责任人"))
    deadline = parse_date(value["整改时限"])
    if deadline is None:
        errors.append(
            RowError(number, "整改时限", f"“{text['整改时限']}”不是有效日期（如 2026-12-31）")
        )
    status = IMPORTABLE_STATUS.get(text["整改状态"])
    if status is None:
        hint = (
            "已完成须经验收，请导入后在系统中办理验收"
            if text["整改状态"].startswith("已完成")
            else "应为 未启动 或 整改中"
        )
        errors.append(RowError(number, "整改状态", f"“{text['整改状态']}”无法导入：{hint}"))
    if errors:
        return None, errors
    return {
        "line": number,
        "key": key,
        "title": text["事项"],
        "region": region,
        "owner_agency": agency,
        "responsible_person": text["责任人"],
        "deadline": deadline,
        "status": status,
        "supervising_leader": text.get("包保领导", ""),
        "measures": split_measures(value.get("整改措施")),
        "description": text.get("具体内容", ""),
    }, []


def apply_row(
    row: dict[str, Any], item: LedgerItem | None, actor: User, report: ImportReport
) -> None:
    fields = {
        k: row[k]
        for k in (
            "title",
            "region",
            "owner_agency",
            "responsible_person",
            "supervising_leader",
            "measures",
            "description",
        )
    }
    if item is None:
        services.create_item(
            actor=actor, key=row["key"], deadline=row["deadline"], status=row["status"], **fields
        )
        report.created += 1
        return
    if item.deadline != row["deadline"]:
        raise ValidationError(
            f"第{row['line']}行：编号 {item.key} 的整改时限与系统不一致，时限变更请在系统中办理延期"
        )
    starts = item.status == Status.NOT_STARTED and row["status"] == Status.IN_PROGRESS
    if item.status != row["status"] and not starts:
        raise ValidationError(
            f"第{row['line']}行：编号 {item.key} 在系统中为“{item.get_status_display()}”，"
            f"表中为“{Status(row['status']).label}”；整改状态只能由未启动改为整改中，"
            "其他变化请在系统中办理"
        )
    changed = {k: v for k, v in fields.items() if getattr(item, k) != v}
    if changed:
        item = services.update_item(actor=actor, item=item, version=None, **changed)
    if starts:
        services.start_item(actor=actor, item=item, reason="导入：整改中")
    if changed or starts:
        report.updated += 1
    else:
        report.unchanged += 1
