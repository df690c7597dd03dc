"""Small explicit builders for the background-review tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from baolei.cadres.models import Appointment, Post
from baolei.people.idnumber import check_char
from baolei.people.services import create_person
from baolei.regions.models import Region
from baolei.vetting import services
from baolei.vetting.models import Candidate, ExternalList, VettingRun

FIRST17 = "52010219800307123"
ID_NUMBER = FIRST17 + check_char(FIRST17)
TYPO = ID_NUMBER[:10] + "1" + ID_NUMBER[11:]  # a one-digit typo in the birth month


def appoint(world: Any, name: str, region: Region, started_on: date, **fields: Any) -> Appointment:
    person = create_person(actor=world.a_clerk, name=name, region=region, **fields)
    return Appointment.objects.create(
        person=person,
        region=region,
        post=Post.SECRETARY
        if not Appointment.objects.filter(region=region).exists()
        else Post.MEMBER,
        started_on=started_on,
        term_starts_on=started_on,
        term_ends_on=date(started_on.year + 5, started_on.month, 1),
    )


@pytest.fixture
def cadre(world: Any) -> Appointment:
    """张建国, secretary of 甲县一村 since 2024, ID number on record."""
    return appoint(world, "张建国", world.village_a, date(2024, 1, 1), id_number=ID_NUMBER)


@pytest.fixture
def hit_list(world: Any, cadre: Appointment) -> ExternalList:
    """A police list on which 张建国 appears in traditional characters with a mistyped ID."""
    return services.import_external_list(
        actor=world.a_clerk,
        name="前科人员名单",
        source_agency="市公安局",
        rows=[
            services.EntryRow("張建國", TYPO, None, "寻衅滋事"),
            services.EntryRow("李四", "", date(1970, 1, 1), ""),
        ],
    )


def make_candidate(
    run: VettingRun, appointment: Appointment, entry: Any, score: float, name: str = "某人"
) -> Candidate:
    return Candidate.objects.create(
        run=run,
        appointment=appointment,
        source="external",
        entry=entry,
        matched_name=name,
        score=score,
        evidence=["same_name"],
    )
