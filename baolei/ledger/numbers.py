"""Ledger numbers as an office writes them on a slip: a word for the kind of work, the
year in 〔〕 and a running number (督改〔2026〕0008号 for a supervision finding's
rectification). The running number is padded to four digits, as clue numbers are, so
that numbers sort in order; a number typed without the padding (督改〔2026〕8号) still
finds its item."""

from __future__ import annotations

import re

from baolei.ledger.models import SourceKind

#: The word each kind of item is numbered under.
PREFIXES = {
    SourceKind.NONE: "台账",
    SourceKind.SUPERVISION: "督改",
    SourceKind.SCREENING: "整顿",
    SourceKind.MEETING: "议定",
}
WIDTH = 4
NUMBER = re.compile(r"^(?P<head>.*〔(?P<year>\d{4})〕)(?P<sequence>\d+)号$")


def prefix_for(source_kind: str) -> str:
    return PREFIXES.get(SourceKind(source_kind or SourceKind.NONE), PREFIXES[SourceKind.NONE])


def head(prefix: str, year: int) -> str:
    """督改〔2026〕: what every number of the kind and year starts with."""
    return f"{prefix}〔{year}〕"


def format_key(prefix: str, year: int, sequence: int) -> str:
    return f"{head(prefix, year)}{sequence:0{WIDTH}d}号"


def sequence_of(key: str) -> int | None:
    """8 for 督改〔2026〕0008号; None for a number not written this way."""
    match = NUMBER.match(key)
    return int(match["sequence"]) if match else None


def padded(text: str) -> str:
    """督改〔2026〕8号 → 督改〔2026〕0008号: a typed number as it is stored; other text unchanged."""
    match = NUMBER.match(text.strip())
    if not match:
        return text
    return f"{match['head']}{int(match['sequence']):0{WIDTH}d}号"
