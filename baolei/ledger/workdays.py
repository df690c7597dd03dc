"""Working-day arithmetic on the Chinese calendar (pure Python, no Django).

A day is a working day when the calendar says so: public holidays are off even
on weekdays, make-up workdays (调休) are on even at weekends; any other day
follows Monday–Friday.  Years whose holiday schedule has not been entered are
refused, because a deadline counted on a guessed calendar would be wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta


class CalendarMissing(ValueError):
    def __init__(self, year: int) -> None:
        super().__init__(f"{year}年的节假日安排尚未录入，无法按工作日计算期限，请管理员先录入。")
        self.year = year


@dataclass(frozen=True)
class WorkCalendar:
    #: date → True for a make-up workday, False for a public holiday
    exceptions: Mapping[date, bool]
    #: years whose schedule is complete
    years: frozenset[int]

    def is_workday(self, day: date) -> bool:
        if day.year not in self.years:
            raise CalendarMissing(day.year)
        special = self.exceptions.get(day)
        if special is not None:
            return special
        return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (start itself not counted)."""
        day = start
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        return sum(1 for d in days_after(start, end) if self.is_workday(d))


def days_after(start: date, end: date) -> Iterable[date]:
    day = start + timedelta(days=1)
    while day <= end:
        yield day
        day += timedelta(days=1)
