"""Importing a ledger from .xlsx in the office layout: every row checked, all or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import load_workbook

from baolei.accounts.models import Agency, User
from baolei.audit.models import Action
from baolei.audit.services import record_event
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
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d")


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行「{self.column}」：{self.message}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def split_measures(value: Any) -> list[str]:
    parts = re.split(r"[\n；;]+", str(value or ""))
    return [re.sub(r"^\s*\d+[.、．)]\s*", "", p).strip() for p in parts if p.strip()]


def read_rows(stream: IO[bytes]) -> tuple[int, dict[str, int], list[tuple[int, list[Any]]]]:
    """Find the header row (below any merged title rows) and return the data rows."""
    book = load_workbook(stream, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    rows = [(n, list(r)) for n, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    book.close()
    for number, cells in rows[:6]:
        titles = [str(c).strip() if c is not None else "" for c in cells]
        if "事项" in titles and "责任单位" in titles:
            return (
                number,
                {t: i for i, t in enumerate(titles) if t},
                [(n, r) for n, r in rows if n > number and any(c not in (None, "") for c in r)],
            )
    return 0, {}, []


def import_ledger(stream: IO[bytes], *, actor: User, filename: str = "") -> ImportReport:
    """Apply every row in one transaction, or none and report each bad cell."""
    report = ImportReport()
    try:
        header_row, columns, rows = read_rows(stream)
    except Exception:  # noqa: BLE001 - any unreadable upload is reported, never raised
        report.errors.append(RowError(1, "文件", "无法读取，请上传 .xlsx 格式的台账"))
        return report
    missing = [c for c in REQUIRED if c not in columns]
    if not header_row or missing:
        report.errors.append(
            RowError(header_row or 1, "表头", f"缺少列：{'、'.join(missing or REQUIRED)}")
        )
        return report
    regions = {r.code: r for r in Region.objects.visible_to(actor)}
    agencies = {a.name: a for a in Agency.objects.visible_to(actor)}
    existing = {
        i.key: i
        for i in LedgerItem.objects.filter(
            key__in=[str(r[columns["编号"]] or "").strip() for _, r in rows]
        )
    }
    parsed: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        value = {name: (cells[i] if i < len(cells) else None) for name, i in columns.items()}
        row, problems = check_row(number, value, regions, agencies, seen)
        report.errors += problems
        if row:
            parsed.append(row)
    if report.errors:
        return report
    line = header_row
    try:
        with transaction.atomic():
            for row in parsed:
                line = row["line"]
                apply_row(row, existing.get(row["key"]), actor, report)
            record_event(
                Action.IMPORT,
                actor=actor,
                target=filename or "台账导入",
                detail={"created": report.created, "updated": report.updated},
            )
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        report.errors.append(RowError(line, "—", "；".join(messages)))
        report.created = report.updated = report.unchanged = 0
    return report


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


@dataclass
class Sheet:
    """The data rows of an office sheet, each as {header: value}, with its line number."""

    header_line: int
    rows: list[tuple[int, dict[str, Any]]]


def read_sheet(
    stream: IO[bytes], *, marker: str, required: tuple[str, ...]
) -> tuple[Sheet | None, list[RowError]]:
    """Find the header row (the first of six holding ``marker``, below any merged title
    rows), check the required columns, and return the non-empty rows below it."""
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
        table = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    except Exception:  # noqa: BLE001 - an unreadable upload is reported, never raised
        return None, [RowError(1, "文件", "无法读取，请上传 .xlsx 文件")]
    header_at = next(
        (n for n, r in enumerate(table[:6]) if marker in [str(c).strip() for c in r if c]), None
    )
    if header_at is None:
        return None, [RowError(1, "表头", f"缺少列：{'、'.join(required)}")]
    columns = {str(c).strip(): i for i, c in enumerate(table[header_at]) if c}
    missing = [c for c in required if c not in columns]
    if missing:
        return None, [RowError(header_at + 1, "表头", f"缺少列：{'、'.join(missing)}")]
    rows = [
        (line, {k: cells[i] if i < len(cells) else None for k, i in columns.items()})
        for line, cells in enumerate(table[header_at + 1 :], start=header_at + 2)
        if any(c not in (None, "") for c in cells)
    ]
    return Sheet(header_at + 1, rows), []
