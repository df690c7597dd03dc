from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.conftest import make_region, make_user
from baolei.regions.models import Level
from baolei.screening import services


@pytest.fixture
def reviewers(world: Any) -> dict[str, Any]:
    """A reviewer in each of the four default joint-review agencies, at city level."""
    people = {}
    for kind in (
        AgencyKind.DISCIPLINE,
        AgencyKind.POLITICAL_LEGAL,
        AgencyKind.POLICE,
        AgencyKind.ORGANISATION,
    ):
        agency, _ = Agency.objects.get_or_create(
            name=f"某市{kind.label}", defaults={"kind": kind, "region": world.city}
        )
        people[kind] = make_user(f"review_{kind}", agency, Role.REVIEWER)
    return people


@pytest.fixture
def organiser(world: Any) -> Any:
    return make_user("org_reviewer", world.agencies["city_office"], Role.REVIEWER, Role.CLERK)


@pytest.fixture
def villages(world: Any) -> list[Any]:
    """County A gets nine more villages (ten in all) under its township."""
    extra = [
        make_region(f"5101211002{n:02d}", f"甲县{n}号村", Level.VILLAGE, world.township_a)
        for n in range(1, 10)
    ]
    Agency.objects.create(
        name="甲县一镇党委", kind=AgencyKind.TOWNSHIP_PARTY, region=world.township_a
    )
    return [world.village_a, *extra]


@pytest.fixture
def round_(world: Any, organiser: Any, villages: Any) -> Any:
    return services.open_round(
        actor=organiser,
        name="2026年第一轮排查",
        region=world.county_a,
        negative_list=services.ensure_default_list(),
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 6, 30),
    )
