"""The network rows of the fixed cast's county B (乙县), which the scoping tests
expect no county-A user to reach."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from baolei.conftest import World


def add_network_rows(w: World) -> None:
    """A county-B relation between the county-B person and a relative of theirs, and a
    candidate for the same person between them."""
    from baolei.network.models import Identity, Relation
    from baolei.people.models import Person

    person = w.outsider_rows[Person]
    # Born earliest of the cast, so lists ordered by birth date keep their order on
    # both databases (which disagree on where a missing date sorts).
    relative = Person.objects.create(
        name="乙县张四", region=w.village_b, birth_date=date(1950, 1, 1)
    )
    first, second = sorted((person, relative), key=lambda p: p.pk)
    w.outsider_rows[Relation] = Relation.objects.create(
        person_a=first,
        person_b=second,
        kind="kin",
        detail="兄弟姐妹",
        source="乙县户籍资料",
        region=w.village_b,
        entered_by=w.users["b_clerk"],
        entering_agency=w.agencies["b_office"],
    )
    w.outsider_rows[Identity] = Identity.objects.create(
        person=relative,
        other=person,
        score=0.5,
        evidence=["same_village"],
        found_by=w.users["b_clerk"],
    )
