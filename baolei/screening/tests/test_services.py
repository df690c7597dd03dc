from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from baolei.accounts.models import AgencyKind
from baolei.audit.models import Action, SecurityEvent
from baolei.ledger import services as ledger
from baolei.ledger.models import AcceptanceResult, Status
from baolei.screening import queries, services
from baolei.screening.models import Decision, ListChangeKind, Proposal, Standing

ON = date(2026, 4, 1)


def flag(world: Any, screening: Any, item_code: str = "07") -> Any:
    item = screening.round.negative_list.items.get(code=item_code)
    return services.record_result(
        actor=world.a_clerk,
        screening=screening,
        proposal=Proposal.FLAG,
        hits=[(item, "村霸欺压群众，群众多次举报")],
        on=ON,
    )


def agree_all(reviewers: dict[str, Any], screening: Any) -> None:
    for reviewer in reviewers.values():
        services.review(actor=reviewer, screening=screening, decision=Decision.AGREE, on=ON)


def test_base_is_snapshotted_at_opening(round_: Any, world: Any) -> None:
    assert round_.screenings.count() == 10
    assert round_.negative_list.items.count() == 14


def test_confirmation_needs_every_required_agency(round_: Any, world: Any, reviewers: Any) -> None:
    screening = flag(world, round_.screenings.get(region=world.village_a))
    for kind in (AgencyKind.DISCIPLINE, AgencyKind.POLITICAL_LEGAL, AgencyKind.POLICE):
        services.review(actor=reviewers[kind], screening=screening, decision=Decision.AGREE, on=ON)
        screening.refresh_from_db()
        assert screening.standing == Standing.PROPOSED and screening.plan is None
    services.review(
        actor=reviewers[AgencyKind.ORGANISATION],
        screening=screening,
        decision=Decision.AGREE,
        on=ON,
    )
    screening.refresh_from_db()
    assert screening.standing == Standing.CONFIRMED and screening.confirmed_on == ON
    assert screening.plan.owner_agency.name == "甲县一镇党委"
    assert screening.plan.deadline == date(2026, 9, 28)


def test_disagreement_returns_the_proposal_with_its_reason(
    round_: Any, world: Any, reviewers: Any
) -> None:
    screening = flag(world, round_.screenings.get(region=world.village_a))
    with pytest.raises(ValidationError):
        services.review(
            actor=reviewers[AgencyKind.POLICE], screening=screening, decision=Decision.DISAGREE
        )
    services.review(
        actor=reviewers[AgencyKind.POLICE],
        screening=screening,
        decision=Decision.DISAGREE,
        reason="举报经核查不属实",
        on=ON,
    )
    screening.refresh_from_db()
    assert screening.standing == Standing.RETURNED
    change = screening.changes.first()
    assert change.kind == ListChangeKind.RETURNED and "举报经核查不属实" in change.reason
    # proposing again starts the joint review over
    flag(world, screening)
    agree_all(reviewers, screening)
    screening.refresh_from_db()
    assert screening.standing == Standing.CONFIRMED


def test_only_required_reviewers_and_only_in_scope(round_: Any, world: Any, reviewers: Any) -> None:
    screening = flag(world, round_.screenings.get(region=world.village_a))
    with pytest.raises(PermissionDenied, match="联审部门"):
        services.review(actor=world.a_reviewer, screening=screening, decision=Decision.AGREE)
    with pytest.raises(PermissionDenied):
        services.record_result(actor=world.b_clerk, screening=screening, proposal=Proposal.CLEAR)


def test_flag_needs_a_hit(round_: Any, world: Any) -> None:
    screening = round_.screenings.get(region=world.village_a)
    with pytest.raises(ValidationError, match="至少命中一条"):
        services.record_result(actor=world.a_clerk, screening=screening, proposal=Proposal.FLAG)


def confirm_n(round_: Any, world: Any, reviewers: Any, n: int) -> None:
    for screening in round_.screenings.order_by("region__code")[:n]:
        flag(world, screening)
        agree_all(reviewers, screening)


def test_ratio_rule_at_exactly_ten_percent(
    round_: Any, world: Any, reviewers: Any, organiser: Any
) -> None:
    confirm_n(round_, world, reviewers, 1)  # 1 of 10
    services.close_round(actor=organiser, round_=round_, on=ON)
    round_.refresh_from_db()
    assert round_.status == "closed"


def test_ratio_rule_just_below(world: Any, organiser: Any, reviewers: Any, villages: Any) -> None:
    from baolei.conftest import make_region
    from baolei.regions.models import Level

    make_region("510121100211", "甲县11号村", Level.VILLAGE, world.township_a)  # base of 11
    round_ = services.open_round(
        actor=organiser,
        name="第二轮",
        region=world.county_a,
        negative_list=services.ensure_default_list(),
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 9, 30),
    )
    confirm_n(round_, world, reviewers, 1)  # 1 of 11 = 9.1%
    with pytest.raises(ValidationError, match="已确认 1 个，占 9.1%，低于 10%"):
        services.close_round(actor=organiser, round_=round_, on=ON)
    leader = world.city_leader
    with pytest.raises(ValidationError):
        services.close_round(actor=leader, round_=round_, on=ON, justification="")
    services.close_round(actor=leader, round_=round_, on=ON, justification="其余村经排查确无问题")
    assert SecurityEvent.objects.filter(action=Action.RATIO_OVERRIDE, actor="city_leader").exists()


def test_acceptance_of_the_plan_marks_it_rectified(round_: Any, world: Any, reviewers: Any) -> None:
    confirm_n(round_, world, reviewers, 1)
    screening = round_.screenings.get(standing=Standing.CONFIRMED)
    from baolei.accounts.models import Role
    from baolei.conftest import make_user

    county_reviewer = make_user("county_office_reviewer", world.agencies["a_office"], Role.REVIEWER)
    ledger.accept_item(
        actor=county_reviewer,
        item=screening.plan,
        on=date(2026, 5, 20),
        result=AcceptanceResult.ACCEPTED,
    )
    row = queries.with_rectification(type(screening).objects.filter(pk=screening.pk)).get()
    assert row.rectified_on == date(2026, 5, 20)
    assert row.plan.status == Status.DONE
    summary = queries.round_summary(round_, world.city_leader, today=date(2026, 6, 1))
    assert (summary.total.confirmed, summary.total.rectified, summary.total.base) == (1, 1, 10)


def test_even_quota_warning(world: Any, organiser: Any, reviewers: Any, villages: Any) -> None:
    from baolei.conftest import make_region
    from baolei.regions.models import Level

    towns = [world.township_a]
    for t in (2, 3):
        town = make_region(f"510121{100 + t}000", f"甲县{t}镇", Level.TOWNSHIP, world.county_a)
        for v in range(1, 11):
            make_region(f"510121{100 + t}2{v:02d}", f"甲县{t}镇{v}村", Level.VILLAGE, town)
        towns.append(town)
    round_ = services.open_round(
        actor=organiser,
        name="均衡轮",
        region=world.county_a,
        negative_list=services.ensure_default_list(),
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 9, 30),
    )
    for town in towns:
        screening = round_.screenings.filter(region__parent=town).order_by("region__code").first()
        flag(world, screening)
        agree_all(reviewers, screening)
    assert "疑似按指标平均分配" in queries.even_quota_warning(round_, world.city_leader)
    extra = round_.screenings.filter(region__parent=towns[0], standing=Standing.BASE).first()
    flag(world, extra)
    agree_all(reviewers, extra)
    assert queries.even_quota_warning(round_, world.city_leader) == ""


def test_dynamic_list_changes_are_dated_and_justified(
    round_: Any, world: Any, reviewers: Any, organiser: Any
) -> None:
    confirm_n(round_, world, reviewers, 1)
    confirmed = round_.screenings.get(standing=Standing.CONFIRMED)
    with pytest.raises(ValidationError):
        services.remove_from_list(actor=organiser, screening=confirmed, on=ON, reason="")
    services.remove_from_list(actor=organiser, screening=confirmed, on=ON, reason="问题系误报")
    confirmed.refresh_from_db()
    assert confirmed.standing == Standing.REMOVED and confirmed.plan.status == Status.CANCELLED
    other = round_.screenings.filter(standing=Standing.BASE).first()
    services.add_to_list(actor=organiser, screening=other, on=ON, reason="新发现村霸问题")
    other.refresh_from_db()
    assert other.standing == Standing.CONFIRMED and other.plan is not None
    assert [c.kind for c in other.changes.all()] == [ListChangeKind.ADDED]


def test_revising_a_list_in_use_creates_a_new_version(round_: Any, organiser: Any) -> None:
    old = round_.negative_list
    items = [
        {
            "code": i.code,
            "text": i.text,
            "category": i.category,
            "evidence_agency": i.evidence_agency,
        }
        for i in old.items.all()
    ]
    items.append(
        {"code": "15", "text": "新增条目", "category": "其他", "evidence_agency": "police"}
    )
    new = services.revise_list(actor=organiser, negative_list=old, items=items, note="增加第15条")
    assert (new.version, new.items.count(), old.items.count()) == (2, 15, 14)
    round_.refresh_from_db()
    assert round_.negative_list == old
