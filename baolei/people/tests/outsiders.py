"""The people rows of the fixed cast's county B (乙县), which the scoping tests
expect no county-A user to reach."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from baolei.conftest import World


def add_people_rows(w: World) -> None:
    """One county-B person with an ID and phone number, for the scoping tests."""
    from baolei.people.models import Person
    from baolei.people.services import create_person

    w.outsider_rows[Person] = create_person(
        actor=w.users["b_clerk"],
        name="乙县张三",
        region=w.village_b,
        id_number="529902197208150029",
        phone="13912345678",
    )
