"""One way to bring an office sheet (.xlsx) into Baolei.

``run(importer, stream)`` reads the upload within bounds (its size, its number of rows,
and it must be an .xlsx at all), finds the header row below any merged title rows and
maps the columns by name in the office layout, checks every row before anything is
written, then applies every row in one transaction with one security-log entry — or
none, and the report names every bad cell by line and column. A refused import is in the
security log too, with its reason. A page shows the first ``MAX_SHOWN`` errors; the
error workbook (``error_workbook``) holds all of them.

An upload of more than ``settings.IMPORT_JOB_ROWS`` data rows (``count_rows``) is run by
a background worker instead (``baolei.core.import_jobs``): the worker sets ``watching``
to an ``Observer`` that ``run`` tells its phase, its progress and its report.

Each importer keeps only what is its own: the columns, how one row is checked
(``check``), and how a checked row is applied through its app's services (``apply``).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import IO, Any, ClassVar, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from baolei.core import security_log
from baolei.core.exports import Column, build_workbook

#: How many bad cells a page lists; the error workbook has every one.
MAX_SHOWN = 200
#: The header row is looked for in this many rows from the top (title rows above it).
HEADER_SEARCH_ROWS = 6
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d")
ZIP_MAGIC = b"PK\x03\x04"

#: A watched import reports its progress every this many rows.
PROGRESS_EVERY = 200
READING, CHECKING, APPLYING = "读取", "校验", "写入"

Row = TypeVar("Row")


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

    @property
    def shown(self) -> list[RowError]:
        return self.errors[:MAX_SHOWN]

    @property
    def hidden(self) -> int:
        return max(0, len(self.errors) - MAX_SHOWN)

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def summary(self) -> str:
        parts = [("新增", self.created), ("更新", self.updated), ("未变", self.unchanged)]
        return "，".join(f"{label} {n} 条" for label, n in parts if n) or "没有需要导入的行"


@dataclass
class Sheet:
    """The data rows of an office sheet, each as {header: value}, with its line number."""

    header_line: int
    rows: list[tuple[int, dict[str, Any]]]


def parse_date(value: Any) -> date | None:
    """A date as offices type it: a date cell, 2026-12-31, 2026/12/31, 2026年12月31日."""
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


def cell_text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


class Refused(Exception):
    """The upload cannot be read as a sheet; the error says where and why."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


def size_of(stream: IO[bytes]) -> int:
    position = stream.tell()
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(position)
    return size


def table_rows(stream: IO[bytes], *, csv: bool = False) -> Generator[list[Any], None, None]:
    """The first sheet's rows, read one at a time (openpyxl's read-only mode), after the
    checks that need no parsing: the size limit and the .xlsx (zip) signature.  A .csv
    (UTF-8, with or without a BOM) is read as one sheet."""
    limit = settings.IMPORT_MAX_MB * 1024 * 1024
    if size_of(stream) > limit:
        raise Refused(
            RowError(1, "文件", f"文件超过 {settings.IMPORT_MAX_MB} MB 的上限，请分批导入")
        )
    if csv:
        yield from csv_rows(stream)
        return
    start = stream.read(4)
    stream.seek(0)
    if start != ZIP_MAGIC:
        raise Refused(RowError(1, "文件", "不是 .xlsx 文件，请用 Excel 另存为 .xlsx 后上传"))
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - an unreadable upload is reported, never raised
        raise Refused(RowError(1, "文件", "无法读取，请上传 .xlsx 文件")) from None
    try:
        for cells in book.worksheets[0].iter_rows(values_only=True):
            yield list(cells)
    except Exception:  # noqa: BLE001 - a damaged sheet part is reported, never raised
        raise Refused(RowError(1, "文件", "文件已损坏，无法读取全部内容")) from None
    finally:
        book.close()


def csv_rows(stream: IO[bytes]) -> Iterator[list[Any]]:
    """The rows of a UTF-8 .csv; the stream is given back open (``count_rows`` reads it
    before the import does)."""
    import csv
    import io

    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        yield from csv.reader(text)
    except UnicodeDecodeError:
        raise Refused(RowError(1, "文件", "无法按 UTF-8 读取，请另存为 UTF-8 编码的 CSV")) from None
    finally:
        text.detach()


def read_sheet(
    stream: IO[bytes],
    *,
    marker: str,
    required: tuple[str, ...],
    aliases: dict[str, tuple[str, ...]] | None = None,
    csv: bool = False,
) -> tuple[Sheet | None, list[RowError]]:
    """Find the header row (the first of ``HEADER_SEARCH_ROWS`` holding ``marker``), check
    the required columns, and return the non-empty rows below it — no more than
    ``IMPORT_MAX_ROWS``; reading stops at the first row past the limit.  ``aliases``
    names other headers a column may have (``{"区划代码": ("code", "代码")}``)."""
    rows = table_rows(stream, csv=csv)
    canonical = {alias.lower(): name for name, names in (aliases or {}).items() for alias in names}
    try:
        return collect(rows, marker=marker, required=required, canonical=canonical)
    except Refused as refused:
        return None, [refused.error]
    finally:
        rows.close()


def collect(
    rows: Iterator[list[Any]],
    *,
    marker: str,
    required: tuple[str, ...],
    canonical: dict[str, str],
) -> tuple[Sheet | None, list[RowError]]:
    limit = settings.IMPORT_MAX_ROWS
    header: dict[str, int] | None = None
    header_line = 0
    data: list[tuple[int, dict[str, Any]]] = []
    for line, cells in enumerate(rows, start=1):
        if header is None:
            titles = [canonical.get(cell_text(c).lower(), cell_text(c)) for c in cells]
            if marker in titles:
                header, header_line = {t: i for i, t in enumerate(titles) if t}, line
            elif line >= HEADER_SEARCH_ROWS:
                break
            continue
        if not any(c not in (None, "") for c in cells):
            continue
        if len(data) == limit:
            message = f"数据超过 {limit} 行的上限，请分批导入（每批不超过 {limit} 行）"
            return None, [RowError(line, "文件", message)]
        data.append((line, {k: cells[i] if i < len(cells) else None for k, i in header.items()}))
    if header is None:
        return None, [RowError(1, "表头", f"缺少列：{'、'.join(required)}")]
    missing = [c for c in required if c not in header]
    if missing:
        return None, [RowError(header_line, "表头", f"缺少列：{'、'.join(missing)}")]
    return Sheet(header_line, data), []


class Importer(Generic[Row]):
    """What one kind of sheet needs: its columns, its row check and its apply step."""

    #: What is imported, as the security log names it when the upload has no file name.
    title: ClassVar[str]
    #: A header that marks the header row.
    marker: ClassVar[str]
    required: ClassVar[tuple[str, ...]]
    #: Other names a column's header may have.
    aliases: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def permit(self) -> None:
        """Raise PermissionDenied when the actor may not import this sheet at all."""

    def prepare(self, sheet: Sheet) -> None:
        """Load what every row is checked against (regions, agencies, existing keys) once."""

    def check(self, line: int, value: dict[str, Any]) -> tuple[Row | None, list[RowError]]:
        raise NotImplementedError

    def review(self, checked: list[tuple[int, Row]]) -> list[RowError]:
        """Rules across rows, once every row has passed its own (a parent in the file)."""
        return []

    def apply(self, row: Row, report: ImportReport) -> None:
        raise NotImplementedError

    def finish(self, report: ImportReport) -> None:
        """After the last row, in the same transaction: for a sheet that one service
        call writes whole (and logs itself; then set ``logged_by_service``)."""

    #: The service that ``finish`` calls writes the security-log entry of the import.
    logged_by_service: ClassVar[bool] = False


class Observer:
    """What a background import job learns of the import it runs (nothing by default).
    ``phase`` and ``checked`` are called outside the transaction, ``applied`` inside it."""

    def phase(self, name: str, total: int) -> None:
        """A phase begins (READING, CHECKING, APPLYING) over ``total`` rows."""

    def checked(self, done: int, total: int) -> None:
        """Every ``PROGRESS_EVERY`` rows checked."""

    def applied(self, done: int, total: int) -> None:
        """Every ``PROGRESS_EVERY`` rows written, inside the import's transaction."""

    def finished(self, report: ImportReport) -> None:
        """The import's report, refused or applied."""


#: Set by the background worker for the import it runs; None in a web request.
watching: ContextVar[Observer | None] = ContextVar("import_watching", default=None)


def run(importer: Importer[Any], stream: IO[bytes], *, filename: str = "") -> ImportReport:
    """Every row checked, then all applied in one transaction or none; see the module."""
    watch = watching.get() or Observer()
    report = apply_sheet(importer, stream, filename, watch)
    watch.finished(report)
    return report


def apply_sheet(
    importer: Importer[Any], stream: IO[bytes], filename: str, watch: Observer
) -> ImportReport:
    report = ImportReport()
    target = filename or importer.title
    try:
        importer.permit()
    except PermissionDenied as exc:
        report.errors.append(RowError(1, "权限", str(exc)))
        return refused(importer, report, target)
    watch.phase(READING, 0)
    sheet, report.errors = read_sheet(
        stream,
        marker=importer.marker,
        required=importer.required,
        aliases=importer.aliases,
        csv=filename.lower().endswith(".csv"),
    )
    if sheet is None:
        return refused(importer, report, target)
    total = len(sheet.rows)
    watch.phase(CHECKING, total)
    importer.prepare(sheet)
    checked = []
    for done, (line, value) in enumerate(sheet.rows, start=1):
        row, problems = importer.check(line, value)
        report.errors += problems
        if row is not None and not problems:
            checked.append((line, row))
        if done % PROGRESS_EVERY == 0:
            watch.checked(done, total)
    report.errors += importer.review(checked)
    if report.errors:
        return refused(importer, report, target)
    line = sheet.header_line
    watch.phase(APPLYING, len(checked))
    try:
        with transaction.atomic():
            for done, (line, row) in enumerate(checked, start=1):  # noqa: B007 - the except names line
                importer.apply(row, report)
                if done % PROGRESS_EVERY == 0:
                    watch.applied(done, len(checked))
            line = sheet.header_line
            importer.finish(report)
            if not importer.logged_by_service:
                security_log.record(
                    security_log.IMPORT, actor=importer.actor, target=target, detail=report.counts()
                )
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        report.errors.append(RowError(line, "—", "；".join(messages)))
        report.created = report.updated = report.unchanged = 0
        return refused(importer, report, target)
    return report


def refused(importer: Importer[Any], report: ImportReport, target: str) -> ImportReport:
    """A refused import is logged with how many cells were wrong and the first reason."""
    security_log.record(
        security_log.IMPORT_REFUSED,
        actor=importer.actor,
        target=target,
        detail={"errors": len(report.errors), "first": str(report.errors[0])[:200]},
    )
    return report


#: The session key naming the signed-in user's last error workbook.
ERRORS_SESSION_KEY = "import_errors"
ERRORS_DIR = "import-errors"


def keep_errors(request: Any, title: str, report: ImportReport) -> None:
    """Keep the error workbook of a refused import for its user to download
    (``web:import_errors``); each user's newest replaces their previous one."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    if watching.get() is not None:  # a background job keeps the workbook on its own page
        return
    previous = request.session.get(ERRORS_SESSION_KEY)
    if previous and default_storage.exists(previous):
        default_storage.delete(previous)
    name = default_storage.save(
        f"{ERRORS_DIR}/{request.user.pk}.xlsx", ContentFile(error_workbook(title, report.errors))
    )
    request.session[ERRORS_SESSION_KEY] = name


def count_rows(stream: IO[bytes], *, csv: bool = False, stop_after: int) -> int:
    """The data rows of an upload, counted cheaply to decide whether it is imported in
    the request or by a worker: the filled rows below the header (the first of the top
    ``HEADER_SEARCH_ROWS`` rows with two or more filled cells; merged title rows above
    it have one), read one at a time and no further than ``stop_after + 1``.  An upload
    that cannot be read counts 0: the import in the request refuses it at once.  The
    stream is left where it was, open."""
    position = stream.tell()
    stream.seek(0)
    count = 0
    header = False
    rows = table_rows(stream, csv=csv)
    try:
        for line, cells in enumerate(rows, start=1):
            filled = sum(1 for c in cells if c not in (None, ""))
            if not header:
                header = filled >= 2
                if not header and line >= HEADER_SEARCH_ROWS:
                    break
                continue
            if filled:
                count += 1
                if count > stop_after:
                    break
    except Refused:
        count = 0
    finally:
        rows.close()
        stream.seek(position)
    return count


ERROR_COLUMNS = [
    Column("行号", lambda e: e.row, 8),
    Column("列", lambda e: e.column, 16),
    Column("问题", lambda e: e.message, 80),
]


def error_workbook(title: str, errors: list[RowError]) -> bytes:
    """Every bad cell of a refused import, as a sheet the office can fix its file from."""
    buffer = BytesIO()
    build_workbook(f"{title}错误清单", ERROR_COLUMNS, errors).save(buffer)
    return buffer.getvalue()
