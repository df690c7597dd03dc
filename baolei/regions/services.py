"""Writes to the region tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baolei.core.importing import run
from baolei.regions import importing


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
    importer = importing.RegionImport(actor or "baolei regions import")
    with path.open("rb") as stream:
        report = run(importer, stream, filename=path.name)
    errors = sorted((e.row, e.message) for e in report.errors)
    return ImportResult(report.created, report.updated, errors)
