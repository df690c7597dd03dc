"""External lists from .xlsx: all rows or none, every bad cell reported."""

from __future__ import annotations

from typing import IO, Any

from baolei.accounts.models import User
from baolei.core.importing import Importer, ImportReport, RowError, parse_date, run
from baolei.people.idnumber import IdNumberError, validate
from baolei.vetting import services

COLUMNS = ("姓名", "身份证号码", "出生日期", "备注")


class ListImport(Importer[services.EntryRow]):
    """An agency's list of people, stored whole by one service call."""

    title = "外部名单导入"
    marker = "姓名"
    required = ("姓名", "身份证号码")
    logged_by_service = True

    def __init__(self, actor: User, name: str, source_agency: str) -> None:
        super().__init__(actor)
        self.name, self.source_agency = name, source_agency
        self.rows: list[services.EntryRow] = []

    def check(
        self, line: int, value: dict[str, Any]
    ) -> tuple[services.EntryRow | None, list[RowError]]:
        errors: list[RowError] = []
        return check_row(line, value, errors), errors

    def apply(self, row: services.EntryRow, report: ImportReport) -> None:
        self.rows.append(row)

    def finish(self, report: ImportReport) -> None:
        services.import_external_list(
            actor=self.actor, name=self.name, source_agency=self.source_agency, rows=self.rows
        )
        report.created = len(self.rows)


def import_list(stream: IO[bytes], *, actor: User, name: str, source_agency: str) -> ImportReport:
    """Every row checked; with any error nothing is imported."""
    return run(ListImport(actor, name, source_agency), stream, filename=name)


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
