"""Reading and validating a region file (CSV or XLSX) before anything is written."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from baolei.regions.models import SIGNIFICANT_DIGITS, Level, parent_code, significant_length

LEVEL_BY_TEXT = {choice.value: choice for choice in Level} | {
    choice.label: choice for choice in Level
}
HEADERS = {
    "code": ("code", "区划代码", "代码"),
    "name": ("name", "名称"),
    "level": ("level", "层级"),
    "parent": ("parent", "上级代码", "上级"),
}


@dataclass(frozen=True)
class RegionRow:
    line: int
    code: str
    name: str
    level: Level
    parent: str | None


@dataclass
class ParsedFile:
    rows: list[RegionRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_table(path: Path) -> list[list[str]]:
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        table = [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        book.close()
        return table
    text = path.read_bytes().decode("utf-8-sig")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def header_index(header: list[str]) -> dict[str, int]:
    index = {}
    for key, names in HEADERS.items():
        for position, title in enumerate(header):
            if title.strip().lower() in names:
                index[key] = position
    return index


def parse(table: list[list[str]], known_codes: set[str]) -> ParsedFile:
    """Validate every row; rows may refer to parents in the file or already stored."""
    result = ParsedFile()
    if not table:
        result.errors.append((1, "文件为空"))
        return result
    columns = header_index(table[0])
    missing = [k for k in ("code", "name", "level") if k not in columns]
    if missing:
        result.errors.append((1, f"缺少列：{'、'.join(HEADERS[k][1] for k in missing)}"))
        return result
    seen: dict[str, int] = {}
    for line, raw in enumerate(table[1:], start=2):
        if not any(raw):
            continue
        cells = {k: (raw[i] if i < len(raw) else "") for k, i in columns.items()}
        row, problems = check_row(line, cells, seen)
        if problems:
            result.errors.extend((line, p) for p in problems)
        elif row is not None:
            seen[row.code] = line
            result.rows.append(row)
    available = known_codes | set(seen)
    for row in result.rows:
        if row.parent is not None and row.parent not in available:
            result.errors.append((row.line, f"上级区划 {row.parent} 不存在"))
    result.errors.sort()
    return result


def check_row(
    line: int, cells: dict[str, str], seen: dict[str, int]
) -> tuple[RegionRow | None, list[str]]:
    problems = []
    code, name = cells["code"].replace(" ", ""), cells["name"]
    level = LEVEL_BY_TEXT.get(cells["level"])
    if len(code) != 12 or not code.isdigit():
        problems.append(f"区划代码“{code}”不是12位数字")
    if not name:
        problems.append("名称为空")
    if level is None:
        problems.append(f"层级“{cells['level']}”无法识别")
    if problems:
        return None, problems
    assert level is not None  # noqa: S101 - narrowed by the checks above
    if significant_length(code) != SIGNIFICANT_DIGITS[level]:
        problems.append(f"层级“{level.label}”与区划代码 {code} 不符")
    if code in seen:
        problems.append(f"区划代码 {code} 与第{seen[code]}行重复")
    parent = parent_code(code) if level != Level.CITY else None
    given_parent = cells.get("parent", "").replace(" ", "")
    if given_parent and given_parent != parent:
        problems.append(f"上级代码 {given_parent} 与区划代码不符（应为 {parent}）")
    return RegionRow(line, code, name, level, parent), problems
