"""Resident identity card numbers (公民身份号码, GB 11643-1999), in plain Python.

An 18-character number is a 6-digit address code, an 8-digit birth date, a
3-digit sequence code whose last digit is odd for men and even for women, and
an ISO 7064 MOD 11-2 check character.  Numbers issued before 1999 have 15
digits (a 6-digit birth date, no check character); they are read as their
18-character form.  The address code is checked only for shape, because no
list of codes is complete (and the demo city's codes are invented).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH = date(1900, 1, 1)
MALE = "male"
FEMALE = "female"

# Birth dates are judged on the date in China, whatever the server's zone.
CHINA = timezone(timedelta(hours=8), "CST")
FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸx", "0123456789XXX")
SHAPE_18 = re.compile(r"[0-9]{17}[0-9X]")
SHAPE_15 = re.compile(r"[0-9]{15}")


class IdNumberError(ValueError):
    """A number that is not a valid resident ID; the message is for the person typing it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise(raw: str) -> str:
    """Without spaces, with half-width digits and a capital X."""
    return "".join(raw.split()).translate(FULL_WIDTH)


def check_char(first17: str) -> str:
    """The MOD 11-2 check character of the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def upgrade(number15: str) -> str:
    """A 15-digit number as 18: century 19 before the birth date, and a check character."""
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + check_char(first17)


def validate(raw: str, *, today: date | None = None) -> str:
    """The canonical 18-character form of a 15- or 18-character number, or IdNumberError."""
    number = normalise(raw)
    if len(number) == 15:
        if not SHAPE_15.fullmatch(number):
            raise IdNumberError("15位身份证号码应全部为数字")
        number = upgrade(number)
    elif len(number) != 18:
        raise IdNumberError(f"身份证号码应为18位（旧证15位），现为{len(number)}位")
    elif not SHAPE_18.fullmatch(number):
        raise IdNumberError("身份证号码前17位应为数字，最后一位为数字或 X")
    if number[0] == "0":
        raise IdNumberError("身份证号码前6位地址码无效")
    check_birth_date(number[6:14], today or datetime.now(CHINA).date())
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdNumberError(f"身份证号码校验位错误，应为 {expected}")
    return number


def check_birth_date(digits: str, today: date) -> date:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise IdNumberError(f"身份证号码中的出生日期 {digits} 不存在") from None
    if born < EARLIEST_BIRTH:
        raise IdNumberError(f"身份证号码中的出生日期 {digits} 早于1900年")
    if born > today:
        raise IdNumberError(f"身份证号码中的出生日期 {digits} 晚于今天")
    return born


def birth_date(number: str) -> date:
    """The birth date of a validated 18-character number."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex(number: str) -> str:
    """MALE or FEMALE, read from the 17th digit of a validated 18-character number."""
    return MALE if int(number[16]) % 2 else FEMALE


def mask(number: str) -> str:
    """The first 4 and last 4 characters, stars in between: 5201**********123X."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
