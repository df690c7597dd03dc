"""The screening rows of the fixed cast's county B (乙县), which the scoping tests
expect no county-A user to reach."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from baolei.conftest import World


def add_screening_rows(w: World) -> None:
    """A county-B screening round and organisation, for the scoping tests."""
    from baolei.screening.models import Screening, ScreeningRound
    from baolei.screening.services import ensure_default_list

    round_ = ScreeningRound.objects.create(
        name="乙县排查",
        region=w.county_b,
        negative_list=ensure_default_list(),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
        required_reviewers=["police"],
    )
    w.outsider_rows[ScreeningRound] = round_
    w.outsider_rows[Screening] = Screening.objects.create(round=round_, region=w.village_b)
