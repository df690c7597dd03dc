"""Excel export in the layout offices use: a merged title row, 序号, then columns."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

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
    book = Workbook()
    sheet = book.active
    sheet.title = office_text(title)[:31]
    headers = ["序号", *(c.header for c in columns)]
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([office_text(title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(name="黑体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([office_text(header) for header in headers])
    for index, _ in enumerate(headers, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *(xlsx_cell(cell_value(c.value(row))) for c in columns)])
    sheet.column_dimensions["A"].width = 6
    for index, column in enumerate(columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    return book


def xlsx_response(title: str, columns: list[Column], rows: Iterable[Any]) -> HttpResponse:
    buffer = BytesIO()
    build_workbook(title, columns, rows).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"{title}_{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def csv_response(title: str, columns: list[Column], rows: Iterable[Any]) -> HttpResponse:
    """CSV with a BOM so that Excel on Windows opens the Chinese text correctly."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(["序号", *(c.header for c in columns)])
    for number, row in enumerate(rows, start=1):
        writer.writerow([number, *(cell_value(c.value(row)) for c in columns)])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{title}_{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


EXPORTERS: dict[str, Callable[[str, list[Column], Iterable[Any]], HttpResponse]] = {
    "xlsx": xlsx_response,
    "csv": csv_response,
}
