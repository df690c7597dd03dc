"""The working-day calendar kept in the database, seeded from chinesecalendar."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from baolei.ledger.models import CalendarDay, CalendarDayKind, CalendarYear
from baolei.ledger.workdays import WorkCalendar

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def work_calendar() -> WorkCalendar:
    exceptions = {
        d.day: d.kind == CalendarDayKind.WORKDAY for d in CalendarDay.objects.only("day", "kind")
    }
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return WorkCalendar(exceptions, years)


@transaction.atomic
def seed_from_package(first_year: int = 2018) -> list[int]:
    """Enter every year the installed chinesecalendar release knows; existing days stay."""
    import chinese_calendar

    known = {d.day for d in CalendarDay.objects.only("day")}
    years: set[int] = set()
    for source, kind in (
        (chinese_calendar.holidays, CalendarDayKind.HOLIDAY),
        (chinese_calendar.workdays, CalendarDayKind.WORKDAY),
    ):
        for day, name in source.items():
            if day.year < first_year:
                continue
            years.add(day.year)
            if day in known:
                continue
            if kind == CalendarDayKind.HOLIDAY and day.weekday() >= 5:
                continue  # a weekend inside a holiday is off anyway
            CalendarDay.objects.create(day=day, kind=kind, name=HOLIDAY_NAMES.get(name, name or ""))
    added = []
    for year in sorted(years):
        _, created = CalendarYear.objects.get_or_create(
            year=year, defaults={"source": f"chinesecalendar {chinese_calendar.__version__}"}
        )
        if created:
            added.append(year)
    return added


@transaction.atomic
def set_day(day: date, kind: CalendarDayKind | None, name: str = "") -> None:
    """Enter or remove one exception when the State Council publishes a schedule."""
    if kind is None:
        for row in CalendarDay.objects.filter(day=day):
            row.delete()
        return
    CalendarDay.objects.update_or_create(day=day, defaults={"kind": kind, "name": name})


def complete_year(year: int, source: str) -> None:
    CalendarYear.objects.get_or_create(year=year, defaults={"source": source})
