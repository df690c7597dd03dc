from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.conftest import make_user
from baolei.coordination import queries, services
from baolei.coordination.models import MeetingKind, Metric
from baolei.ledger import services as ledger
from baolei.ledger.models import AcceptanceResult, LedgerItem


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as t:
        yield t


@pytest.fixture
def office(world: Any) -> Any:
    return make_user(
        "city_office_reviewer", world.agencies["city_office"], Role.CLERK, Role.REVIEWER
    )


def meet(world: Any, office: Any, kind: str, on: date, region: Any = None) -> Any:
    return services.record_meeting(
        actor=office,
        kind=kind,
        held_on=on,
        topic="研究部署打伞破网",
        region=region or world.city,
        convener=world.agencies["city_office"],
    )


def test_meeting_counts_by_kind_exclude_meetings_outside_the_period(
    world: Any, office: Any
) -> None:
    meet(world, office, MeetingKind.STANDING_COMMITTEE, date(2026, 3, 1))
    meet(world, office, MeetingKind.STANDING_COMMITTEE, date(2026, 9, 30))
    meet(world, office, MeetingKind.STANDING_COMMITTEE, date(2025, 12, 31))  # before
    meet(world, office, MeetingKind.ANTI_CORRUPTION, date(2026, 10, 1))  # after
    counts = queries.meeting_counts(world.city_leader, date(2026, 1, 1), date(2026, 9, 30))
    assert counts[MeetingKind.STANDING_COMMITTEE] == 2
    assert counts[MeetingKind.ANTI_CORRUPTION] == 0
    assert set(counts) == set(MeetingKind.values)


def test_a_decision_is_a_ledger_item(world: Any, office: Any) -> None:
    meeting = meet(world, office, MeetingKind.LEADING_GROUP, date(2026, 5, 1))
    with pytest.raises(ValidationError):
        services.add_decision(
            actor=office,
            meeting=meeting,
            title="x",
            owner=world.agencies["a_office"],
            responsible_person="李明",
            deadline=date(2026, 4, 1),
        )
    item = services.add_decision(
        actor=office,
        meeting=meeting,
        title="开展涉黑线索大起底",
        owner=world.agencies["a_office"],
        responsible_person="李明",
        deadline=date(2026, 6, 30),
    )
    assert item.source == meeting and item.source_kind == "meeting"
    assert list(meeting.decisions.all()) == [item]


def test_missed_quarterly_joint_meeting_is_a_warning(world: Any, office: Any) -> None:
    services.require_cadence(
        actor=office,
        kind=MeetingKind.JOINT_MEETING,
        region=world.county_a,
        every_days=91,
        since=date(2026, 1, 1),
    )
    meet(world, office, MeetingKind.JOINT_MEETING, date(2026, 2, 10), region=world.county_a)
    meet(world, office, MeetingKind.JOINT_MEETING, date(2026, 8, 1), region=world.county_a)
    warnings = queries.cadence_warnings(world.city_leader)
    assert [(w["cadence"].region.name, w["missed"]) for w in warnings] == [
        ("甲县", [(date(2026, 4, 2), date(2026, 7, 1))])
    ]


def test_computed_indicators_equal_a_hand_computed_value(world: Any, office: Any) -> None:
    acceptor_agency = Agency.objects.create(
        name="某市督查室", kind=AgencyKind.OTHER, region=world.city
    )
    acceptor = make_user("inspector", acceptor_agency, Role.REVIEWER)
    deadlines = [date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31), date(2026, 12, 20)]
    items = [
        ledger.create_item(
            actor=office,
            title=f"事项{n}",
            region=world.village_a,
            owner_agency=world.agencies["a_office"],
            responsible_person="李明",
            deadline=d,
        )
        for n, d in enumerate(deadlines)
    ]
    ledger.accept_item(
        actor=acceptor, item=items[0], on=date(2026, 3, 30), result=AcceptanceResult.ACCEPTED
    )
    scheme = services.create_scheme(
        actor=office,
        name="2026年度考核",
        region=world.city,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        indicators=[
            ("整改完成率", Decimal("10"), Metric.RECTIFICATION_RATE, Decimal("0")),
            ("逾期事项", Decimal("5"), Metric.OVERDUE_ITEMS, Decimal("0.25")),
            ("工作创新", Decimal("5"), Metric.MANUAL, Decimal("0")),
        ],
    )
    manual = scheme.indicators.get(metric=Metric.MANUAL)
    services.score_by_hand(
        actor=office,
        indicator=manual,
        county=world.county_a,
        score=Decimal("4.5"),
        reason="探索扫黑除恶+基层治理模式",
    )
    with pytest.raises(ValidationError):
        services.score_by_hand(
            actor=office, indicator=manual, county=world.county_b, score=Decimal("6"), reason="x"
        )
    results = {r.county.name: r for r in queries.assess(scheme, world.city_leader)}
    county_a = results["甲县"]
    # 4 items due in the year, 1 done → 10 × 25% = 2.50; 2 overdue on 26 Nov (Apr, May) → 5 − 0.5 = 4.50
    assert [s.score for s in county_a.scores] == [Decimal("2.50"), Decimal("4.50"), Decimal("4.5")]
    assert county_a.total == Decimal("11.50")
    assert "完成率 25.0%" in county_a.scores[0].explanation
    # county B has the cast's one overdue 2020 item (not due in the period) → full rate, 0.25 off
    assert [s.score for s in results["乙县"].scores] == [
        Decimal("10"),
        Decimal("4.75"),
        Decimal("0"),
    ]
    assert (results["乙县"].rank, county_a.rank) == (1, 2)
    assert LedgerItem.objects.count() == 5


def test_clue_indicators_computed_from_referrals_and_clues(world: Any, office: Any) -> None:
    from baolei.clues.models import Clue, Referral

    clue = Clue.objects.create(
        year=2026,
        sequence=1,
        number="线索〔2026〕0001号",
        received_on=date(2026, 2, 1),
        source="hotline",
        category="gang",
        summary="甲县线索",
        region=world.village_a,
        handling_agency=world.agencies["a_police"],
        deadline=date(2026, 3, 3),
        status="concluded",
        conclusion="partly",
        concluded_on=date(2026, 3, 1),
    )
    Clue.objects.create(
        year=2026,
        sequence=2,
        number="线索〔2026〕0002号",
        received_on=date(2026, 2, 1),
        source="hotline",
        category="gang",
        summary="甲县线索二",
        region=world.village_a,
        handling_agency=world.agencies["a_police"],
        deadline=date(2026, 3, 3),
    )
    for n, feedback_on in enumerate([date(2026, 3, 10), date(2026, 3, 25), None]):
        Referral.objects.create(
            clue=clue,
            from_agency=world.agencies["city_office"],
            to_agency=world.agencies["a_police"],
            sent_on=date(2026, 2, 2),
            reason=f"移送{n}",
            sent_by=office,
            acknowledge_by=date(2026, 2, 5),
            feedback_by=date(2026, 3, 20),
            acknowledged_on=date(2026, 2, 3) if feedback_on else None,
            feedback_on=feedback_on,
        )
    scheme = services.create_scheme(
        actor=office,
        name="线索考核",
        region=world.city,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        indicators=[
            ("按时反馈率", Decimal("6"), Metric.FEEDBACK_ON_TIME, Decimal("0")),
            ("按期办结率", Decimal("4"), Metric.CLUE_CONCLUSION, Decimal("0")),
        ],
    )
    county_a = {r.county.name: r for r in queries.assess(scheme, world.city_leader)}["甲县"]
    # 1 of 3 fed back on time → 6 × 33.3% = 2.00; 1 of 2 clues concluded by its deadline → 4 × 50% = 2.00
    assert [s.score for s in county_a.scores] == [Decimal("2.00"), Decimal("2.00")]
    assert "按时反馈 1 件" in county_a.scores[0].explanation
