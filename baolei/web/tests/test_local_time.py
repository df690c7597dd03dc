"""Every time of day shown to a user is Beijing time: no code formats a moment as stored (UTC).

Templates are safe by construction (Django's ``date`` filter and plain output convert to
``TIME_ZONE``); Python code must go through ``timezone.localtime``/``localdate`` or hand the
datetime itself to the export, which converts it (``baolei.core.exports.cell_value``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from baolei.core.exports import cell_value

ROOT = Path(__file__).resolve().parents[2]
SKIP = ("tests", "migrations", "formats")

#: formatting a time of day: strftime/f-string with %H, %M or %I
TIME_FORMAT = re.compile(r"%[HIM]")
#: the calendar day of a stored moment, taken without converting it: ``x_at.date()``,
#: ``f"{x_at:%Y-%m-%d}"``, or the machine's own day
UTC_DAY = re.compile(r"_at\.date\(\)|\{[\w.]*_at:%|date\.today\(\)|datetime\.(now|utcnow)\(\)")


def source_lines() -> list[tuple[str, int, str]]:
    lines = []
    for path in sorted(ROOT.rglob("*.py")):
        if any(part in SKIP for part in path.relative_to(ROOT).parts):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            lines.append((str(path.relative_to(ROOT)), number, line))
    return lines


def test_no_code_formats_a_time_of_day_without_converting_it() -> None:
    offenders = [
        f"{path}:{number}: {line.strip()}"
        for path, number, line in source_lines()
        if TIME_FORMAT.search(line)
        and ("strftime" in line or re.search(r"\{[^}]*:[^}]*%[HIM]", line))
        and "localtime" not in line
        and "_FORMATS" not in line
    ]
    assert offenders == []


def test_no_code_takes_the_day_of_a_moment_in_utc() -> None:
    offenders = [
        f"{path}:{number}: {line.strip()}"
        for path, number, line in source_lines()
        if UTC_DAY.search(line) and "CHINA" not in line
    ]
    assert offenders == []


def test_exports_write_a_moment_in_beijing_time() -> None:
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    moment = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    assert cell_value(moment) == "2026-11-26 07:30"
    assert timezone.localdate(moment).isoformat() == "2026-11-26"
