"""Query parameters, parsed in one place for pages and the API alike.

A value that is malformed or out of range is refused with a 400 and a Chinese message
naming the parameter — never a 500, never silently replaced by a default. Pages show
the message on an error page (``BadQueryMiddleware``); the API answers it as JSON, like
any validation error. django-filter FilterSets get the same bounds from
``baolei.core.filters.FilterSet``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, overload

from django.core.exceptions import BadRequest
from rest_framework.exceptions import ValidationError

#: The range of a database integer column (PostgreSQL bigint, SQLite INTEGER).
INTEGER_MIN = -(2**63)
INTEGER_MAX = 2**63 - 1
#: Days the platform can mean: none of its records are older than the People's
#: Republic, and no deadline runs past this century.
FIRST_DAY = date(1949, 10, 1)
LAST_DAY = date(2100, 12, 31)
#: A query parameter longer than this is no search anyone typed.
TEXT_MAX = 200

DAY_RANGE_MESSAGE = (
    f"日期应在 {FIRST_DAY:%Y-%m-%d} 至 {LAST_DAY:%Y-%m-%d} 之间，格式为 YYYY-MM-DD。"
)


class BadQuery(ValidationError, BadRequest):
    """A malformed or out-of-range query parameter: a 400 on pages and in the API.

    It is DRF's ValidationError, so API views answer ``{name: [message]}``, and Django's
    BadRequest, so a page answers 400 even where no middleware renders the message."""

    def __init__(self, errors: Mapping[str, Any]) -> None:
        detail = {
            name: [str(m) for m in messages]
            if isinstance(messages, list | tuple)
            else [str(messages)]
            for name, messages in errors.items()
        }
        super().__init__(detail)
        self.errors = detail

    def messages(self) -> list[str]:
        return [f"{name}：{message}" for name, items in self.errors.items() for message in items]


def source(request: Any) -> Mapping[str, str]:
    """The query dict of a page request or a DRF request."""
    params = getattr(request, "query_params", None)
    return params if params is not None else request.GET


def raw(request: Any, name: str) -> str:
    """The stripped value of one parameter ("" when absent); NUL and overlong values refused."""
    value = source(request).get(name)
    if value is None:
        return ""
    if "\x00" in value:
        raise BadQuery({name: "不能包含空字符。"})
    if len(value) > TEXT_MAX:
        raise BadQuery({name: f"不能超过 {TEXT_MAX} 个字符。"})
    return value.strip()


def text(request: Any, name: str, default: str = "") -> str:
    return raw(request, name) or default


@overload
def integer(
    request: Any, name: str, default: int, *, minimum: int = ..., maximum: int = ...
) -> int: ...
@overload
def integer(
    request: Any, name: str, default: None = None, *, minimum: int = ..., maximum: int = ...
) -> int | None: ...
def integer(
    request: Any,
    name: str,
    default: int | None = None,
    *,
    minimum: int = INTEGER_MIN,
    maximum: int = INTEGER_MAX,
) -> int | None:
    """A whole number within [minimum, maximum]; "1.5", "1e40" and "abc" are refused."""
    value = raw(request, name)
    if not value:
        return default
    return check_integer(name, value, minimum=minimum, maximum=maximum)


def check_integer(
    name: str, value: str, *, minimum: int = INTEGER_MIN, maximum: int = INTEGER_MAX
) -> int:
    digits = value[1:] if value[:1] in "+-" else value
    if not digits.isascii() or not digits.isdigit() or len(digits) > 20:
        raise BadQuery({name: f"应为 {minimum} 到 {maximum} 之间的整数。"})
    number = int(value)
    if not minimum <= number <= maximum:
        raise BadQuery({name: f"应为 {minimum} 到 {maximum} 之间的整数。"})
    return number


def identifier(request: Any, name: str) -> int | None:
    """A record number (primary key), or None when the parameter is absent."""
    return integer(request, name, minimum=1)


def check_day(name: str, value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise BadQuery({name: DAY_RANGE_MESSAGE})
    return value


def parse_day(name: str, value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadQuery({name: DAY_RANGE_MESSAGE}) from None
    if len(value) != 10:  # fromisoformat also reads 20190101 and week dates
        raise BadQuery({name: DAY_RANGE_MESSAGE})
    return check_day(name, day)


@overload
def day(request: Any, name: str, default: date) -> date: ...
@overload
def day(request: Any, name: str, default: None = None) -> date | None: ...
def day(request: Any, name: str, default: date | None = None) -> date | None:
    """A ``YYYY-MM-DD`` day between FIRST_DAY and LAST_DAY, or the default."""
    value = raw(request, name)
    return parse_day(name, value) if value else default


def period(
    request: Any, start_name: str, end_name: str, start: date, end: date
) -> tuple[date, date]:
    """Two days that bound a period; the end may not come before the start."""
    first = day(request, start_name, start)
    last = day(request, end_name, end)
    if last < first:
        raise BadQuery({end_name: "截止日期不能早于起始日期。"})
    return first, last


def choice(request: Any, name: str, choices: Iterable[str], default: str = "") -> str:
    """One of the allowed values, or the default when absent."""
    value = raw(request, name)
    if not value:
        return default
    allowed = list(choices)
    if not allowed:
        raise BadQuery({name: "此处不接受该参数。"})
    if value not in allowed:
        raise BadQuery({name: "可选值为：" + "、".join(allowed) + "。"})
    return value


def page_number(request: Any, name: str = "page") -> int | str:
    """The page asked for: a positive whole number or ``last`` (1 when absent)."""
    value = raw(request, name)
    if value == "last":
        return value
    return integer(request, name, 1, minimum=1)


def page_size(request: Any, default: int, maximum: int, minimum: int = 1) -> int:
    """Rows per page: a whole number within [minimum, maximum], or the default."""
    return integer(request, "page_size", default, minimum=minimum, maximum=maximum)
