"""The cadence warning and the assessment count missed meetings by one rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from baolei.coordination import queries, services
from baolei.coordination.models import MeetingKind, Metric
from baolei.coordination.tests.test_coordination import office  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as t:
        yield t


def joint_meeting(world: Any, actor: Any, on: date) -> None:
    services.record_meeting(
        actor=actor,
        kind=MeetingKind.JOINT_MEETING,
        held_on=on,
        topic="纪检监察机关与政法机关联席会议",
        region=world.county_a,
        convener=world.agencies["a_office"],
    )


def meetings_score(world: Any, scheme: Any) -> Any:
    results = {r.county.name: r for r in queries.assess(scheme, world.city_leader)}
    return results["甲县"].scores[0]


def test_entering_the_missed_meeting_clears_warning_and_deduction(
    world: Any,
    office: Any,  # noqa: F811
) -> None:
    # the cadence counts from a day that is not the assessment year's first day
    services.require_cadence(
        actor=office,
        kind=MeetingKind.JOINT_MEETING,
        region=world.county_a,
        every_days=91,
        since=date(2025, 11, 26),
    )
    scheme = services.create_scheme(
        actor=office,
        name="2026年度考核",
        region=world.city,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        indicators=[("联席会议召开情况", Decimal("5"), Metric.MISSED_MEETINGS, Decimal("1"))],
    )
    for day in (date(2025, 12, 1), date(2026, 2, 25), date(2026, 8, 26)):
        joint_meeting(world, office, day)
    missed = [(date(2026, 5, 27), date(2026, 8, 25))]
    warnings = queries.cadence_warnings(world.city_leader)
    assert [w["missed"] for w in warnings] == [missed]
    score = meetings_score(world, scheme)
    assert score.score == Decimal("4.00")
    assert "未按要求召开会议 1 次" in score.explanation
    assert "2026-05-27 至 2026-08-25" in score.explanation

    joint_meeting(world, office, date(2026, 8, 25))  # the missed meeting, entered late
    assert queries.cadence_warnings(world.city_leader) == []
    score = meetings_score(world, scheme)
    assert score.score == Decimal("5.00") and "未按要求召开会议 0 次" in score.explanation


def test_a_period_missed_before_the_assessment_counts_only_in_the_warning(
    world: Any,
    office: Any,  # noqa: F811
) -> None:
    services.require_cadence(
        actor=office,
        kind=MeetingKind.JOINT_MEETING,
        region=world.county_a,
        every_days=91,
        since=date(2025, 6, 1),
    )
    scheme = services.create_scheme(
        actor=office,
        name="2026年度考核",
        region=world.city,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        indicators=[("联席会议召开情况", Decimal("5"), Metric.MISSED_MEETINGS, Decimal("1"))],
    )
    # the period 2025-08-31..2025-11-29 has no meeting; every period since has one
    for day in (date(2025, 6, 2), date(2025, 12, 1), date(2026, 3, 1), date(2026, 6, 1)):
        joint_meeting(world, office, day)
    joint_meeting(world, office, date(2026, 8, 30))
    warnings = queries.cadence_warnings(world.city_leader)
    assert [w["missed"] for w in warnings] == [[(date(2025, 8, 31), date(2025, 11, 29))]]
    assert meetings_score(world, scheme).score == Decimal("5.00")
