"""Writes to the region tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from baolei.audit.models import Action
from baolei.audit.services import record_event
from baolei.regions import importing
from baolei.regions.models import Region, significant_length


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    errors: list[tuple[int, str]]

    @property
    def ok(self) -> bool:
        return not self.errors


def import_regions(path: Path, *, actor: Any = None) -> ImportResult:
    """All or nothing: every row is validated first; one bad row changes nothing."""
    try:
        table = importing.read_table(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, not raised
        return ImportResult(0, 0, [(0, f"无法读取文件：{exc}")])
    existing = {r.code: r for r in Region.objects.all()}
    parsed = importing.parse(table, set(existing))
    for row in parsed.rows:
        stored = existing.get(row.code)
        if stored is not None and stored.level != row.level:
            parsed.errors.append(
                (row.line, f"区划 {row.code} 已存在，层级为“{stored.get_level_display()}”")
            )
    if parsed.errors:
        return ImportResult(0, 0, sorted(parsed.errors))
    created = updated = 0
    with transaction.atomic():
        for row in sorted(parsed.rows, key=lambda r: (significant_length(r.code), r.code)):
            stored = existing.get(row.code)
            if stored is None:
                parent = existing.get(row.parent) if row.parent else None
                existing[row.code] = Region.objects.create(
                    code=row.code, name=row.name, level=row.level, parent=parent
                )
                created += 1
            elif stored.name != row.name:
                stored.name = row.name
                stored.save(update_fields=["name"])
                updated += 1
        record_event(
            Action.IMPORT,
            actor=actor or "baolei regions import",
            target=path.name,
            detail={"created": created, "updated": updated},
        )
    return ImportResult(created, updated, [])
