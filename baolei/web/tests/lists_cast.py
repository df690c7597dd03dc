"""Children under the fixed cast's county-B rows, so that a join over two kinds of child
would multiply what a list shows: suspects and assets of the case, trainees of the base."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from baolei.cadres.models import Attendance, TrainingBase, TrainingSession
from baolei.cases.models import Asset, Case, Suspect
from baolei.people.services import create_person


def build(world: Any) -> None:
    case = world.outsider_rows[Case]
    people = [
        create_person(actor=world.b_clerk, name=f"乙县嫌疑人{n}", region=world.village_b)
        for n in range(3)
    ]
    for person in people:
        Suspect.objects.create(case=case, person=person, role="other")
    for value in ("80000000.00", "1200.50"):
        Asset.objects.create(
            case=case,
            kind="cash",
            measure="seize",
            description="现金",
            value=Decimal(value),
            on=date(2026, 2, 1),
            recorded_by=world.b_clerk,
        )
    session = world.outsider_rows[TrainingSession]
    base = world.outsider_rows[TrainingBase]
    second = TrainingSession.objects.create(
        base=base,
        title="第二期",
        kind=session.kind,
        starts_on=session.starts_on,
        ends_on=session.ends_on,
    )
    for n, person in enumerate(people):
        Attendance.objects.create(session=session, person=person, completed=n != 2)
        Attendance.objects.create(session=second, person=person, completed=True)
