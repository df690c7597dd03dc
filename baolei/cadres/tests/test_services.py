from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.cadres import queries, services
from baolei.cadres.models import Adjustment, AdjustmentStatus, Post, Rating, Reason
from baolei.cadres.tests.conftest import appoint, id_number
from baolei.conftest import make_region, make_user
from baolei.people.services import create_person
from baolei.regions.models import Level


def decided(
    world: Any,
    org_reviewer: Any,
    appointment: Any,
    decision: str,
    note: str = "",
    reason: str = Reason.INCOMPETENT,
) -> Adjustment:
    """An adjustment proposed on 1 May and decided on 10 May by the organisation
    department."""
    adjustment = services.propose_adjustment(
        actor=world.a_clerk,
        appointment=appointment,
        reason=reason,
        details="长期不在岗",
        on=date(2026, 5, 1),
    )
    return services.decide_adjustment(
        actor=org_reviewer,
        adjustment=adjustment,
        decision=decision,
        on=date(2026, 5, 10),
        note=note,
    )


def approved(
    world: Any, org_reviewer: Any, appointment: Any, reason: str = Reason.INCOMPETENT
) -> Adjustment:
    return decided(world, org_reviewer, appointment, "approved", reason=reason)


def team_names(world: Any, on: date) -> list[str]:
    team = queries.village_team(world.village_a, world.a_clerk, on)
    return [m.person.name for m in team.members]


def test_adjustment_not_on_roster_until_executed(
    world: Any, org_reviewer: Any, secretary: Any
) -> None:
    adjustment = approved(world, org_reviewer, secretary)
    assert team_names(world, date(2026, 6, 1)) == ["王书记"]
    successor = create_person(
        actor=world.a_clerk, name="李接任", region=world.village_a, id_number=id_number(12)
    )
    services.execute_adjustment(
        actor=world.a_clerk, adjustment=adjustment, on=date(2026, 6, 1), successor=successor
    )
    assert team_names(world, date(2026, 5, 31)) == ["王书记"]
    assert team_names(world, date(2026, 6, 1)) == ["李接任"]
    states = dict(
        queries.with_state(world.village_a.cadre_appointments.all(), date(2026, 6, 1)).values_list(
            "person__name", "state"
        )
    )
    assert states == {"王书记": "removed", "李接任": "serving"}


def test_post_left_vacant_without_successor(world: Any, org_reviewer: Any, secretary: Any) -> None:
    adjustment = approved(world, org_reviewer, secretary)
    services.execute_adjustment(actor=world.a_clerk, adjustment=adjustment, on=date(2026, 6, 1))
    team = queries.village_team(world.village_a, world.a_clerk, date(2026, 6, 2))
    assert team.members == []
    assert [v.appointment.post for v in team.vacancies] == [Post.SECRETARY]


def test_only_an_organisation_department_reviewer_approves(
    world: Any, org_reviewer: Any, secretary: Any
) -> None:
    adjustment = services.propose_adjustment(
        actor=world.a_clerk,
        appointment=secretary,
        reason=Reason.DISCIPLINE,
        details="违纪",
        on=date(2026, 5, 1),
    )
    org_clerk = make_user("org_clerk", org_reviewer.agency, Role.CLERK)
    for actor in (world.a_reviewer, world.city_leader, org_clerk, world.a_clerk):
        with pytest.raises(PermissionDenied, match="组织部的审核员"):
            services.decide_adjustment(
                actor=actor, adjustment=adjustment, decision="approved", on=date(2026, 5, 2)
            )
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.PROPOSED
    services.decide_adjustment(
        actor=org_reviewer, adjustment=adjustment, decision="approved", on=date(2026, 5, 2)
    )
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.APPROVED and adjustment.decided_by == org_reviewer


def test_execution_needs_approval(world: Any, secretary: Any) -> None:
    adjustment = services.propose_adjustment(
        actor=world.a_clerk,
        appointment=secretary,
        reason=Reason.OTHER,
        details="辞职",
        on=date(2026, 5, 1),
    )
    with pytest.raises(ValidationError, match="须经组织部批准"):
        services.execute_adjustment(actor=world.a_clerk, adjustment=adjustment, on=date(2026, 6, 1))
    assert team_names(world, date(2026, 7, 1)) == ["王书记"]


def test_rejection_needs_a_reason_and_allows_a_new_proposal(
    world: Any, org_reviewer: Any, secretary: Any
) -> None:
    adjustment = services.propose_adjustment(
        actor=world.a_clerk,
        appointment=secretary,
        reason=Reason.OTHER,
        details="x",
        on=date(2026, 5, 1),
    )
    with pytest.raises(ValidationError):
        services.decide_adjustment(
            actor=org_reviewer, adjustment=adjustment, decision="rejected", on=date(2026, 5, 2)
        )
    services.decide_adjustment(
        actor=org_reviewer,
        adjustment=adjustment,
        decision="rejected",
        on=date(2026, 5, 2),
        note="证据不足",
    )
    with pytest.raises(ValidationError):
        services.decide_adjustment(
            actor=org_reviewer, adjustment=adjustment, decision="approved", on=date(2026, 5, 3)
        )
    services.propose_adjustment(
        actor=world.a_clerk,
        appointment=secretary,
        reason=Reason.OTHER,
        details="再次提出",
        on=date(2026, 6, 1),
    )


def test_one_secretary_at_a_time_and_posts_fit_the_village(world: Any, secretary: Any) -> None:
    with pytest.raises(ValidationError, match="现由王书记担任"):
        appoint(world, "赵第二", 13)
    with pytest.raises(ValidationError, match="不是村的职务"):
        appoint(world, "钱社区", 14, post=Post.COMMUNITY_SECRETARY)
    appoint(world, "孙委员", 15, post=Post.MEMBER)
    appoint(world, "周委员", 16, post=Post.MEMBER)


def test_county_b_clerk_cannot_appoint_in_county_a(world: Any) -> None:
    person = create_person(
        actor=world.a_clerk, name="吴某", region=world.village_a, id_number=id_number(17)
    )
    with pytest.raises(PermissionDenied):
        services.appoint(
            actor=world.b_clerk,
            person=person,
            region=world.village_a,
            post=Post.SECRETARY,
            started_on=date(2024, 3, 1),
            term_starts_on=date(2024, 3, 1),
            term_ends_on=date(2029, 2, 28),
        )


@pytest.fixture
def campaign(world: Any) -> Any:
    city_clerk = make_user("city_clerk", world.agencies["city_office"], Role.CLERK)
    return services.open_campaign(
        actor=city_clerk,
        name="2026年村党组织书记履职研判",
        region=world.city,
        period_starts_on=date(2026, 1, 1),
        period_ends_on=date(2026, 6, 30),
    )


def test_coverage_per_county(world: Any, campaign: Any, secretary: Any, evaluator: Any) -> None:
    second_village = make_region("510121100201", "甲县二村", Level.VILLAGE, world.township_a)
    other = appoint(world, "陈书记", 21, region=second_village)
    appoint(world, "冯委员", 23, post=Post.MEMBER)  # members are not evaluated
    services.record_evaluation(
        actor=evaluator,
        campaign=campaign,
        appointment=secretary,
        rating=Rating.COMPETENT,
        findings="履职较好",
        evaluator="甲县一镇党委",
        on=date(2026, 4, 1),
    )
    leader = world.city_leader
    total, counties = queries.campaign_coverage(campaign, leader)
    rows = {c.name: (c.evaluated, c.secretaries) for c in counties}
    # county B's one secretary is the world's outsider row
    assert rows == {"甲县": (1, 2), "乙县": (0, 1)}
    assert (total.evaluated, total.secretaries) == (1, 3)
    assert counties[0].percent == "50%"
    _, own = queries.campaign_coverage(campaign, world.a_clerk)
    assert [c.name for c in own] == ["甲县"]
    assert other.pk in set(
        queries.campaign_secretaries(campaign, world.a_clerk).values_list("pk", flat=True)
    )


def test_incompetent_rating_proposes_an_adjustment(
    world: Any, campaign: Any, secretary: Any, evaluator: Any
) -> None:
    evaluation = services.record_evaluation(
        actor=evaluator,
        campaign=campaign,
        appointment=secretary,
        rating=Rating.INCOMPETENT,
        findings="软弱涣散，群众意见大",
        evaluator="甲县一镇党委",
        on=date(2026, 4, 1),
    )
    adjustment = Adjustment.objects.get(evaluation=evaluation)
    assert (
        adjustment.reason == Reason.INCOMPETENT and adjustment.status == AdjustmentStatus.PROPOSED
    )
    assert team_names(world, date(2026, 4, 2)) == ["王书记"]


def test_flagged_incompetent_also_proposes(
    world: Any, campaign: Any, secretary: Any, evaluator: Any
) -> None:
    services.record_evaluation(
        actor=evaluator,
        campaign=campaign,
        appointment=secretary,
        rating=Rating.BASIC,
        flagged_incompetent=True,
        findings="能力不足",
        evaluator="甲县一镇党委",
        on=date(2026, 4, 1),
    )
    assert Adjustment.objects.filter(appointment=secretary).count() == 1


def test_only_secretaries_are_evaluated(world: Any, campaign: Any, evaluator: Any) -> None:
    member = appoint(world, "委员甲", 31, post=Post.MEMBER)
    with pytest.raises(ValidationError, match="党组织书记"):
        services.record_evaluation(
            actor=evaluator,
            campaign=campaign,
            appointment=member,
            rating=Rating.COMPETENT,
            findings="-",
            evaluator="-",
            on=date(2026, 4, 1),
        )


def test_education_progress_and_training_counts(world: Any, secretary: Any) -> None:
    enrolment = services.enrol(
        actor=world.a_clerk,
        person=secretary.person,
        target_level="junior_college",
        institution="某市开放大学",
        enrolled_on=date(2024, 9, 1),
        expected_on=date(2027, 7, 1),
    )
    member = appoint(world, "委员乙", 32, post=Post.MEMBER)
    services.enrol(
        actor=world.a_clerk,
        person=member.person,
        target_level="undergraduate",
        institution="某市开放大学",
        enrolled_on=date(2024, 9, 1),
        expected_on=date(2027, 7, 1),
    )
    services.finish_enrolment(actor=world.a_clerk, enrolment=enrolment, on=date(2026, 7, 1))
    with pytest.raises(ValidationError, match="已毕业"):
        services.finish_enrolment(actor=world.a_clerk, enrolment=enrolment, on=date(2026, 7, 2))
    progress = queries.education_progress(world.a_clerk, date(2026, 8, 1))
    assert [(p["name"], p["enrolled"], p["studying"], p["graduated"]) for p in progress] == [
        ("甲县", 2, 1, 1)
    ]
    base = services.open_base(
        actor=world.a_clerk,
        name="甲县领头雁实训基地",
        region=world.village_a,
        level="county",
        opened_on=date(2019, 5, 1),
    )
    session = services.schedule_session(
        actor=world.a_clerk,
        base=base,
        title="第一期",
        kind="shadowing",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
    )
    services.record_attendance(actor=world.a_clerk, session=session, person=secretary.person)
    services.record_attendance(
        actor=world.a_clerk, session=session, person=member.person, completed=False
    )
    with pytest.raises(ValidationError, match="已在本期"):
        services.record_attendance(actor=world.a_clerk, session=session, person=secretary.person)
    counts = queries.training_counts(world.a_clerk)
    assert [(c["name"], c["trained"]) for c in counts["counties"]] == [("甲县", 1)]
    assert [(b["session__base__name"], b["trained"]) for b in counts["bases"]] == [
        ("甲县领头雁实训基地", 1)
    ]


def test_training_needs_a_cadre(world: Any) -> None:
    base = services.open_base(
        actor=world.a_clerk,
        name="基地",
        region=world.village_a,
        level="county",
        opened_on=date(2019, 5, 1),
    )
    session = services.schedule_session(
        actor=world.a_clerk,
        base=base,
        title="一期",
        kind="classroom",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 2),
    )
    stranger = create_person(actor=world.a_clerk, name="群众", region=world.village_a)
    with pytest.raises(ValidationError, match="不在村干部名册中"):
        services.record_attendance(actor=world.a_clerk, session=session, person=stranger)


def test_police_may_not_keep_the_roster(world: Any) -> None:
    police = make_user("a_police_clerk", Agency.objects.get(name="甲县公安局"), Role.CLERK)
    person = create_person(actor=world.a_clerk, name="某", region=world.village_a)
    assert police.agency_kind == AgencyKind.POLICE
    with pytest.raises(PermissionDenied):
        services.appoint(
            actor=police,
            person=person,
            region=world.village_a,
            post=Post.MEMBER,
            started_on=date(2024, 3, 1),
            term_starts_on=date(2024, 3, 1),
            term_ends_on=date(2029, 2, 28),
        )


def test_in_office_agrees_with_the_state_on_every_day(
    world: Any, org_reviewer: Any, secretary: Any
) -> None:
    """``in_office`` filters without computing the state; on each day around the
    roster's changes it holds exactly the appointments whose state is in office:
    one removed by an executed adjustment, one whose adjustment was rejected, one
    not yet started and one past its term."""
    removed = approved(world, org_reviewer, secretary)
    services.execute_adjustment(actor=world.a_clerk, adjustment=removed, on=date(2026, 6, 1))
    director = appoint(world, "李主任", 12, post=Post.DIRECTOR)
    decided(world, org_reviewer, director, "rejected", note="反映不实")
    appoint(world, "赵委员", 13, post=Post.MEMBER, started_on=date(2026, 9, 1))
    appoint(
        world,
        "钱委员",
        14,
        post=Post.MEMBER,
        started_on=date(2021, 3, 1),
        term_starts_on=date(2021, 3, 1),
        term_ends_on=date(2024, 2, 29),
    )
    rows = world.village_a.cadre_appointments.all()
    for day in (date(2024, 3, 1), date(2026, 5, 31), date(2026, 6, 1), date(2026, 9, 1)):
        expected = {
            a.person.name for a in queries.with_state(rows, day) if a.state in queries.IN_OFFICE
        }
        assert {a.person.name for a in queries.in_office(rows, day)} == expected, day
    assert {a.person.name for a in queries.in_office(rows, date(2026, 6, 1))} == {
        "李主任",
        "钱委员",
    }
