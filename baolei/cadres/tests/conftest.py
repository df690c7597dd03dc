from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.cadres import services
from baolei.cadres.models import Appointment, Post
from baolei.conftest import make_user
from baolei.people.idnumber import check_char
from baolei.people.services import create_person

TERM = {"term_starts_on": date(2024, 3, 1), "term_ends_on": date(2029, 2, 28)}


def id_number(serial: int, area: str = "510121", born: str = "19750304") -> str:
    """A valid-checksum ID number that belongs to nobody (the area code is the test city's)."""
    first17 = f"{area}{born}{serial:03d}"
    return first17 + check_char(first17)


def appoint(world: Any, name: str, serial: int, region: Any = None, **kwargs: Any) -> Appointment:
    region = region or world.village_a
    actor = world.a_clerk if region.code.startswith("510121") else world.b_clerk
    person = create_person(actor=actor, name=name, region=region, id_number=id_number(serial))
    fields = {"post": Post.SECRETARY, "started_on": date(2024, 3, 1), **TERM, **kwargs}
    return services.appoint(actor=actor, person=person, region=region, **fields)


@pytest.fixture
def org_reviewer(world: Any) -> Any:
    """A reviewer of the city's organisation department: the one who approves adjustments."""
    agency = Agency.objects.create(
        name="某市委组织部", kind=AgencyKind.ORGANISATION, region=world.city
    )
    return make_user("org_reviewer", agency, Role.REVIEWER)


@pytest.fixture
def secretary(world: Any) -> Appointment:
    return appoint(world, "王书记", 11)


@pytest.fixture
def evaluator(world: Any) -> Any:
    """A clerk of county A's township Party committee: duty evaluations are the Party
    organisation's to record, not the campaign office's."""
    agency = Agency.objects.create(
        name="甲县一镇党委", kind=AgencyKind.TOWNSHIP_PARTY, region=world.township_a
    )
    return make_user("township_clerk", agency, Role.CLERK)
