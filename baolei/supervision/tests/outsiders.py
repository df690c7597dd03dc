"""The supervision rows of the fixed cast's county B (乙县), which the scoping tests
expect no county-A user to reach."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from baolei.conftest import World


def add_supervision_rows(w: World) -> None:
    """County-B supervision records of every kind, for the scoping tests."""
    from baolei.supervision import models as sv

    plan = sv.SupervisionPlan.objects.create(
        title="乙县督导方案",
        region=w.county_b,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    team = sv.Team.objects.create(plan=plan, name="乙县督导组", leader="乙县组长")
    team.counties.set([w.county_b])
    round_ = sv.SupervisionRound.objects.create(
        plan=plan, number=1, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31)
    )
    w.outsider_rows[sv.SupervisionPlan] = plan
    w.outsider_rows[sv.Team] = team
    w.outsider_rows[sv.SupervisionRound] = round_
    w.outsider_rows[sv.LeaderAssignment] = sv.LeaderAssignment.objects.create(
        plan=plan, leader="乙县联系领导", county=w.county_b
    )
    w.outsider_rows[sv.LaggingCounty] = sv.LaggingCounty.objects.create(
        plan=plan,
        county=w.county_b,
        designated_on=date(2026, 4, 1),
        reason="乙县滞后",
        remediation_plan="乙县方案",
    )
    w.outsider_rows[sv.Problem] = sv.Problem.objects.create(
        source="self_inspection",
        scope="individual",
        number="乙县-1",
        region=w.county_b,
        description="乙县问题",
        deadline=date(2026, 12, 31),
        received_on=date(2026, 1, 1),
    )
