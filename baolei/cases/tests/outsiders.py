"""The cases rows of the fixed cast's county B (乙县), which the scoping tests
expect no county-A user to reach."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from baolei.accounts.models import Agency, AgencyKind

if TYPE_CHECKING:
    from baolei.conftest import World


def add_case_rows(w: World) -> None:
    """A county-B case, for the scoping tests."""
    from baolei.cases.models import Case, Stage, StageEvent

    police = Agency.objects.create(name="乙县公安局", kind=AgencyKind.POLICE, region=w.county_b)
    case = Case.objects.create(
        number="乙公刑〔2026〕1号",
        name="乙县某恶势力案",
        kind="evil_force",
        region=w.village_b,
        lead_agency=police,
        opened_on=date(2026, 2, 1),
    )
    StageEvent.objects.create(
        case=case,
        stage=Stage.FILED,
        on=date(2026, 2, 1),
        agency=police,
        recorded_by=w.users["b_clerk"],
    )
    w.outsider_rows[Case] = case
