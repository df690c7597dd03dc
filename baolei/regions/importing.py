"""The region file (CSV or XLSX: 区划代码, 名称, 层级[, 上级代码]) on the import framework:
every row checked, a parent found in the file or already stored, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from baolei.core.importing import Importer, ImportReport, RowError, Sheet, cell_text
from baolei.regions.models import (
    SIGNIFICANT_DIGITS,
    Level,
    Region,
    parent_code,
    significant_length,
)

LEVEL_BY_TEXT = {choice.value: choice for choice in Level} | {
    choice.label: choice for choice in Level
}


@dataclass(frozen=True)
class RegionRow:
    line: int
    code: str
    name: str
    level: Level
    parent: str | None


class RegionImport(Importer[RegionRow]):
    """Divisions by their 12-digit code; a known code is renamed, never re-levelled."""

    title = "区划导入"
    marker = "区划代码"
    required = ("区划代码", "名称", "层级")
    aliases = {
        "区划代码": ("code", "代码"),
        "名称": ("name",),
        "层级": ("level",),
        "上级代码": ("parent", "上级"),
    }

    def prepare(self, sheet: Sheet) -> None:
        self.existing = {r.code: r for r in Region.objects.all()}
        self.seen: dict[str, int] = {}
        self.rows: list[RegionRow] = []

    def check(self, line: int, value: dict[str, Any]) -> tuple[RegionRow | None, list[RowError]]:
        cells = {k: cell_text(v) for k, v in value.items()}
        row, problems = check_row(line, cells, self.seen)
        if row is not None and not problems:
            self.seen[row.code] = line
            stored = self.existing.get(row.code)
            if stored is not None and stored.level != row.level:
                message = f"区划 {row.code} 已存在，层级为“{stored.get_level_display()}”"
                problems.append(message)
        return row, [RowError(line, "区划代码", p) for p in problems]

    def review(self, checked: list[tuple[int, RegionRow]]) -> list[RowError]:
        available = set(self.existing) | set(self.seen)
        return [
            RowError(line, "上级代码", f"上级区划 {row.parent} 不存在")
            for line, row in checked
            if row.parent is not None
            and row.parent not in available
            and row.level != Level.CITY  # a city may come without its province
        ]

    def apply(self, row: RegionRow, report: ImportReport) -> None:
        self.rows.append(row)

    def finish(self, report: ImportReport) -> None:
        """Parents before children, whatever the order of the file."""
        for row in sorted(self.rows, key=lambda r: (significant_length(r.code), r.code)):
            stored = self.existing.get(row.code)
            if stored is None:
                parent = self.existing.get(row.parent) if row.parent else None
                self.existing[row.code] = Region.objects.create(
                    code=row.code, name=row.name, level=row.level, parent=parent
                )
                report.created += 1
            elif stored.name != row.name:
                stored.name = row.name
                stored.save(update_fields=["name"])
                report.updated += 1


def check_row(
    line: int, cells: dict[str, str], seen: dict[str, int]
) -> tuple[RegionRow | None, list[str]]:
    problems = []
    code, name = cells["区划代码"].replace(" ", ""), cells["名称"]
    level = LEVEL_BY_TEXT.get(cells["层级"])
    if len(code) != 12 or not code.isdigit():
        problems.append(f"区划代码“{code}”不是12位数字")
    if not name:
        problems.append("名称为空")
    if level is None:
        problems.append(f"层级“{cells['层级']}”无法识别")
    if problems:
        return None, problems
    assert level is not None  # noqa: S101 - narrowed by the checks above
    if significant_length(code) != SIGNIFICANT_DIGITS[level]:
        problems.append(f"层级“{level.label}”与区划代码 {code} 不符")
    if code in seen:
        problems.append(f"区划代码 {code} 与第{seen[code]}行重复")
    parent = parent_code(code)
    given_parent = cells.get("上级代码", "").replace(" ", "")
    if given_parent and given_parent != parent:
        problems.append(f"上级代码 {given_parent} 与区划代码不符（应为 {parent}）")
    return RegionRow(line, code, name, level, parent), problems
