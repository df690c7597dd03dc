"""Telephone numbers as offices write them: mobile 13812341234, landline 0851-86801234."""

from __future__ import annotations

import re

from baolei.people.idnumber import FULL_WIDTH

MOBILE = re.compile(r"1[3-9][0-9]{9}")
LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")


class PhoneError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def validate(raw: str) -> str:
    """Without spaces and with half-width digits; a mobile or a landline with area code."""
    number = "".join(raw.split()).translate(FULL_WIDTH).replace("－", "-")
    if MOBILE.fullmatch(number) or LANDLINE.fullmatch(number):
        return number
    raise PhoneError("联系电话应为11位手机号码，或带区号的固定电话（如 0851-86801234）")


def mask(number: str) -> str:
    """The first 3 and last 4 characters, stars in between: 138****1234."""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
