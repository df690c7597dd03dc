"""External lists from .xlsx: all rows or none, every bad cell reported."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError

from baolei.accounts.models import User
from baolei.ledger.importing import RowError, parse_date, read_sheet
from baolei.people.idnumber import IdNumberError, validate
from baolei.vetting import services

COLUMNS = ("姓名", "身份证号码", "出生日期", "备注")


def import_list(
    stream: IO[bytes], *, actor: User, name: str, source_agency: str
) -> tuple[int, list[RowError]]:
    """(rows imported, errors); with any error nothing is imported."""
    sheet, errors = read_sheet(stream, marker="姓名", required=("姓名", "身份证号码"))
    if sheet is None:
        return 0, errors
    rows = []
    for line, value in sheet.rows:
        row = check_row(line, value, errors)
        if row is not None:
            rows.append(row)
    if errors:
        return 0, errors
    try:
        services.import_external_list(
            actor=actor, name=name, source_agency=source_agency, rows=rows
        )
    except ValidationError as exc:
        return 0, [RowError(sheet.header_line, "名单", m) for m in exc.messages]
    return len(rows), []


def check_row(line: int, value: dict[str, Any], errors: list[RowError]) -> services.EntryRow | None:
    name = str(value.get("姓名") or "").strip()
    raw_id = str(value.get("身份证号码") or "").strip()
    raw_birth = value.get("出生日期")
    count = len(errors)
    if not name:
        errors.append(RowError(line, "姓名", "不能为空"))
    number = ""
    if raw_id:
        try:
            number = validate(raw_id)
        except IdNumberError as exc:
            errors.append(RowError(line, "身份证号码", exc.message))
    born = parse_date(raw_birth) if raw_birth not in (None, "") else None
    if raw_birth not in (None, "") and born is None:
        errors.append(RowError(line, "出生日期", "日期格式应为 2019-11-07"))
    if not number and born is None and len(errors) == count:
        errors.append(RowError(line, "身份证号码", "身份证号码与出生日期至少填写一项"))
    if len(errors) > count:
        return None
    return services.EntryRow(name, number, born, str(value.get("备注") or "").strip()[:200])
