"""The vetting rows of the fixed cast's county B (乙县), which the scoping tests
expect no county-A user to reach."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from baolei.conftest import World


def add_vetting_rows(w: World) -> None:
    """A county-B vetting run with one candidate, for the scoping tests."""
    from baolei.cadres.models import Appointment
    from baolei.people.models import Person
    from baolei.vetting.models import Candidate, VettingRun

    run = VettingRun.objects.create(
        region=w.county_b, sources=["cases"], threshold=0.2, status="done", progress=100
    )
    w.outsider_rows[VettingRun] = run
    w.outsider_rows[Candidate] = Candidate.objects.create(
        run=run,
        appointment=w.outsider_rows[Appointment],
        source="cases",
        person=w.outsider_rows[Person],
        matched_name="乙县比中人员",
        score=0.9,
        evidence=["same_name"],
    )
    from baolei.vetting.models import DecisionRecord

    candidate = w.outsider_rows[Candidate]
    candidate.decision, candidate.note = "unsure", "乙县研判意见"
    candidate.decided_by, candidate.decided_at = w.users["b_clerk"], run.started_at
    candidate.save()
    w.outsider_rows[DecisionRecord] = DecisionRecord.objects.create(
        candidate=candidate, decision="unsure", note="乙县研判意见", decided_by=w.users["b_clerk"]
    )
