"""The coordination rows of the fixed cast's county B (乙县), which the scoping tests
expect no county-A user to reach."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from baolei.conftest import World


def add_coordination_rows(w: World) -> None:
    """County-B meetings, mechanisms and an assessment scheme, for the scoping tests."""
    from baolei.coordination import models as co

    meeting = co.Meeting.objects.create(
        kind="joint_meeting",
        held_on=date(2026, 5, 1),
        topic="乙县联席会议",
        region=w.county_b,
        convener=w.agencies["b_office"],
    )
    mechanism = co.Mechanism.objects.create(
        title="乙县线索移送制度", region=w.county_b, issued_on=date(2026, 1, 1), kind="system"
    )
    mechanism.issuers.set([w.agencies["b_office"]])
    w.outsider_rows[co.Meeting] = meeting
    w.outsider_rows[co.Mechanism] = mechanism
    w.outsider_rows[co.AssessmentScheme] = co.AssessmentScheme.objects.create(
        name="乙县考核", region=w.county_b, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
