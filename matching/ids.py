"""Resident ID numbers read leniently: a typo must survive to be matched as one.

The strict rules (GB 11643-1999: 15 → 18 digits, MOD 11-2 check character) are
the same as ``baolei.people.idnumber``; here a number whose check character is
wrong is kept, flagged, because a one-character typo is evidence, not noise.
"""

from __future__ import annotations

import re
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸx", "0123456789XXX")
SHAPE_18 = re.compile(r"[0-9]{17}[0-9X]")
SHAPE_15 = re.compile(r"[0-9]{15}")


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def canonical(raw: str | None) -> str:
    """The 18-character form ("" when the number is missing or not shaped like one);
    a 15-digit number gains the century and its check character."""
    number = "".join((raw or "").split()).translate(FULL_WIDTH)
    if SHAPE_15.fullmatch(number):
        first17 = number[:6] + "19" + number[6:]
        return first17 + check_char(first17)
    return number if SHAPE_18.fullmatch(number) else ""


def is_legacy(raw: str | None) -> bool:
    """Written in the old 15-digit form (no check character of its own)."""
    number = "".join((raw or "").split()).translate(FULL_WIDTH)
    return bool(SHAPE_15.fullmatch(number))


def is_valid(number: str) -> bool:
    """Shaped like an 18-character number, with the right check character."""
    return bool(SHAPE_18.fullmatch(number)) and number[17] == check_char(number[:17])


def birth_date(number: str) -> date | None:
    """The birth date written in an 18-character number, if it is a real date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def sex(number: str) -> str:
    return "male" if int(number[16]) % 2 else "female"


def one_edit(a: str, b: str) -> bool:
    """Different by one character, or by two adjacent characters swapped."""
    if len(a) != 18 or len(b) != 18 or a == b:
        return False
    diff = [i for i in range(18) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )
