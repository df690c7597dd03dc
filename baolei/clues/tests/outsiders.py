"""The clues rows of the fixed cast's county B (乙县), which the scoping tests
expect no county-A user to reach."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from baolei.conftest import World


def add_clue_rows(w: World) -> None:
    """A county-B clue with a referral, for the scoping tests."""
    from baolei.clues.models import Clue, ClueCounter, Referral

    ClueCounter.objects.create(year=2026, last=0)
    clue = Clue.objects.create(
        year=1999,
        sequence=1,
        number="线索〔1999〕乙县0001号",
        received_on=date(1999, 1, 4),
        source="hotline",
        category="gang",
        summary="乙县线索",
        region=w.village_b,
        handling_agency=w.agencies["b_office"],
        deadline=date(1999, 2, 3),
    )
    w.outsider_rows[Clue] = clue
    w.outsider_rows[Referral] = Referral.objects.create(
        clue=clue,
        from_agency=w.agencies["b_office"],
        to_agency=w.agencies["city_police"],
        sent_on=date(1999, 1, 5),
        reason="乙县移送",
        sent_by=w.users["b_clerk"],
        acknowledge_by=date(1999, 1, 8),
        feedback_by=date(1999, 2, 5),
    )
