"""Reads of person records shared by pages, API and other apps."""

from __future__ import annotations

from baolei.people.models import Person, PersonQuerySet


def find_by_id_number(number: str, *, rows: PersonQuerySet | None = None) -> Person | None:
    """The person holding this ID number (15 or 18 digits, any spelling), by keyed hash.

    Without ``rows`` every record is searched, for de-duplication; pass
    ``Person.objects.visible_to(user)`` when the answer is shown to a user.
    """
    rows = Person.objects.all() if rows is None else rows
    return rows.with_id_number(number).select_related("region").first()
