"""Excel export in the layout offices use: a merged title row, 序号, then columns."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: What XML 1.0 — and so every .xlsx and .docx — cannot hold: control characters other
#: than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
NOT_IN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def office_text(text: str) -> str:
    """Text as an .xlsx cell or a .docx run can hold it. Exports and documents clean what
    they write with this; stored text keeps what the user typed."""
    return NOT_IN_XML.sub("", text)


def xlsx_cell(value: Any) -> Any:
    return office_text(value) if isinstance(value, str) else value


def xlsx_value(value: Any) -> Any:
    """``cell_value`` as an .xlsx cell holds it, text cleaned before the formula check
    (the common case, text, tested first: a 100,000-row export calls this a million times)."""
    if isinstance(value, str):
        text = office_text(value)
        return "'" + text if text.startswith(FORMULA_START) else text
    return xlsx_cell(cell_value(value))


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    width: int = 16


def cell_value(value: Any) -> Any:
    """Plain values for a cell; text that Excel would run as a formula is escaped."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def build_workbook(title: str, columns: list[Column], rows: Iterable[Any]) -> Workbook:
    """The sheet in memory, for a caller that works on it further."""
    book = Workbook()
    sheet = book.active
    sheet.title = office_text(title)[:31]
    fill(sheet, title, columns, rows)
    return book


def write_xlsx(
    target: Any, title: str, columns: list[Column], rows: Iterable[Any], on_row: Tick = None
) -> None:
    """The same sheet, streamed: openpyxl's write-only mode keeps no cell in memory, so
    a 100,000-row export takes about as little memory as a 100-row one."""
    book = Workbook(write_only=True)
    fill(book.create_sheet(office_text(title)[:31]), title, columns, rows, on_row)
    book.save(target)


def fill(
    sheet: Any, title: str, columns: list[Column], rows: Iterable[Any], on_row: Tick = None
) -> None:
    """A merged title row, a bordered header row starting with 序号, one row per record;
    frozen under the headers, printed landscape with the headers on every page. The
    cells are appended in order, which both an ordinary and a write-only sheet take.
    ``on_row(n)`` is called after every ``PROGRESS_EVERY`` rows and at the end."""
    headers = ["序号", *(c.header for c in columns)]
    sheet.column_dimensions["A"].width = 6
    for index, column in enumerate(columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.merged_cells.add(CellRange(min_col=1, min_row=1, max_col=len(headers), max_row=1))
    sheet.row_dimensions[1].height = 30
    heading = WriteOnlyCell(sheet, value=office_text(title))
    heading.font = Font(name="黑体", size=16, bold=True)
    heading.alignment = Alignment(horizontal="center", vertical="center")
    sheet.append([heading])
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=office_text(header))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        header_cells.append(cell)
    sheet.append(header_cells)
    values = [c.value for c in columns]
    for number, row in counted(rows, on_row):
        sheet.append([number, *[xlsx_value(value(row)) for value in values]])


def write_csv(
    target: Any, title: str, columns: list[Column], rows: Iterable[Any], on_row: Tick = None
) -> None:
    """CSV with a BOM so that Excel on Windows opens the Chinese text correctly;
    ``target`` is a text stream."""
    target.write("\ufeff")
    writer = csv.writer(target)
    writer.writerow(["序号", *(c.header for c in columns)])
    for number, row in counted(rows, on_row):
        writer.writerow([number, *(cell_value(c.value(row)) for c in columns)])


Tick = Callable[[int], None] | None
PROGRESS_EVERY = 500


def counted(rows: Iterable[Any], on_row: Tick) -> Iterator[tuple[int, Any]]:
    number = 0
    for number, row in enumerate(rows, start=1):
        yield number, row
        if on_row is not None and number % PROGRESS_EVERY == 0:
            on_row(number)
    if on_row is not None:
        on_row(number)


def xlsx_response(title: str, columns: list[Column], rows: Iterable[Any]) -> HttpResponse:
    buffer = BytesIO()
    write_xlsx(buffer, title, columns, rows)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"{title}_{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def csv_response(title: str, columns: list[Column], rows: Iterable[Any]) -> HttpResponse:
    buffer = io.StringIO()
    write_csv(buffer, title, columns, rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{title}_{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def write_file(
    fmt: str, path: Path, title: str, columns: list[Column], rows: Iterable[Any], on_row: Tick
) -> None:
    """A background export's file, in the format of ``EXPORTERS``' key ``fmt``."""
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as stream:
            write_csv(stream, title, columns, rows, on_row)
    else:
        write_xlsx(path, title, columns, rows, on_row)


EXPORTERS: dict[str, Callable[[str, list[Column], Iterable[Any]], HttpResponse]] = {
    "xlsx": xlsx_response,
    "csv": csv_response,
}
