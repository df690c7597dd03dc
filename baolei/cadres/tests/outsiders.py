"""The cadres rows of the fixed cast's county B (乙县), which the scoping tests
expect no county-A user to reach."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from baolei.conftest import World


def add_cadre_rows(w: World) -> None:
    """County-B cadre records of every kind with a page or API detail, for the scoping tests."""
    from baolei.cadres import models as cd
    from baolei.people.models import Person

    person = w.outsider_rows[Person]
    user = w.users["b_clerk"]
    appointment = cd.Appointment.objects.create(
        person=person,
        region=w.village_b,
        post=cd.Post.SECRETARY,
        started_on=date(2021, 3, 1),
        term_starts_on=date(2021, 3, 1),
        term_ends_on=date(2026, 2, 28),
    )
    campaign = cd.EvaluationCampaign.objects.create(
        name="乙县履职研判",
        region=w.county_b,
        period_starts_on=date(2026, 1, 1),
        period_ends_on=date(2026, 6, 30),
    )
    evaluation = cd.Evaluation.objects.create(
        campaign=campaign,
        appointment=appointment,
        rating=cd.Rating.INCOMPETENT,
        findings="乙县研判意见",
        evaluator="乙县二镇党委",
        evaluated_on=date(2026, 3, 1),
        recorded_by=user,
    )
    base = cd.TrainingBase.objects.create(
        name="乙县实训基地", region=w.village_b, level="county", opened_on=date(2019, 5, 1)
    )
    w.outsider_rows[cd.Appointment] = appointment
    w.outsider_rows[cd.EvaluationCampaign] = campaign
    w.outsider_rows[cd.Evaluation] = evaluation
    w.outsider_rows[cd.Adjustment] = cd.Adjustment.objects.create(
        appointment=appointment,
        reason=cd.Reason.INCOMPETENT,
        details="乙县调整",
        evaluation=evaluation,
        proposed_on=date(2026, 3, 2),
        proposed_by=user,
    )
    w.outsider_rows[cd.Enrolment] = cd.Enrolment.objects.create(
        person=person,
        target_level="junior_college",
        institution="乙县开放大学",
        enrolled_on=date(2024, 9, 1),
        expected_on=date(2027, 7, 1),
    )
    w.outsider_rows[cd.TrainingBase] = base
    w.outsider_rows[cd.TrainingSession] = cd.TrainingSession.objects.create(
        base=base,
        title="乙县跟岗培训",
        kind="shadowing",
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 4, 30),
    )
