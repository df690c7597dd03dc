"""A page and the API do the same thing, for the clue and case actions (the machinery is
in ``equivalence``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.cases import services as cases
from baolei.clues import services as clues
from baolei.conftest import make_user
from baolei.ledger.calendar import seed_from_package
from baolei.people.services import create_person
from baolei.web.tests.equivalence import (
    Act,
    both_ways,
    check_personas_alike,
    check_refuses_same,
    check_writes_same,
)

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@dataclass
class Cast:
    world: Any
    police: Any
    discipline: Any
    discipline_agency: Agency
    person: Any
    procuratorate: Agency
    page: Client
    api: Client

    def persona(self, name: str) -> Any:
        return getattr(self, name) if name in ("police", "discipline") else self.world.users[name]


@pytest.fixture
def cast(world: Any) -> Cast:
    seed_from_package()
    discipline_agency = Agency.objects.create(
        name="甲县纪委监委", kind=AgencyKind.DISCIPLINE, region=world.county_a
    )
    police = make_user("a_police_clerk", world.agencies["a_police"], Role.CLERK)
    return Cast(
        world=world,
        police=police,
        discipline=make_user("a_discipline_clerk", discipline_agency, Role.CLERK),
        discipline_agency=discipline_agency,
        person=create_person(actor=police, name="李某某", region=world.village_a),
        procuratorate=Agency.objects.create(
            name="甲县人民检察院", kind=AgencyKind.PROCURATORATE, region=world.county_a
        ),
        page=Client(),
        api=Client(),
    )


def register(cast: Cast, category: str = "gang", summary: str = "甲县一村有人强揽工程") -> Any:
    return clues.register_clue(
        actor=cast.police,
        received_on=date(2026, 11, 2),
        source="hotline",
        category=category,
        summary=summary,
        region=cast.world.village_a,
    )


def verifying(cast: Cast) -> Any:
    clue = register(cast)
    clues.assign(actor=cast.police, clue=clue, handler=cast.police, on=date(2026, 11, 3))
    return clues.start_verification(actor=cast.police, clue=clue, on=date(2026, 11, 4))


def referred(cast: Cast, acknowledged: bool = False) -> Any:
    clue = register(cast, "umbrella", "派出所民警为村霸通风报信")
    referral = clues.refer(
        actor=cast.police,
        clue=clue,
        to_agency=cast.discipline_agency,
        on=date(2026, 11, 20),
        reason="涉及公职人员",
    )
    if acknowledged:
        clues.acknowledge(actor=cast.discipline, referral=referral, on=date(2026, 11, 23))
    return referral


def opened(cast: Cast) -> Any:
    return cases.open_case(
        actor=cast.police,
        number="甲公刑〔2026〕1号",
        name="张某某等人恶势力犯罪集团案",
        kind="evil_group",
        region=cast.world.village_a,
        lead_agency=cast.world.agencies["a_police"],
        opened_on=date(2026, 11, 1),
    )


def clue_action(name: str, fields: Callable[[Cast, Any], dict[str, Any]]) -> Any:
    return (
        lambda c, r: (f"/clues/{r.pk}/{name}/", fields(c, r)),
        lambda c, r: (f"/api/v1/clues/{r.pk}/{name}/", fields(c, r)),
    )


def case_action(name: str, fields: Callable[[Cast, Any], dict[str, Any]]) -> Any:
    return (
        lambda c, r: (f"/cases/{r.pk}/{name}/", fields(c, r)),
        lambda c, r: (f"/api/v1/cases/{r.pk}/{name}/", fields(c, r)),
    )


def referral_action(name: str, fields: dict[str, Any]) -> Any:
    return (
        lambda c, r: (f"/clues/referrals/{r.pk}/{name}/", fields),
        lambda c, r: (f"/api/v1/clues/referrals/{r.pk}/{name}/", fields),
    )


CLUE_FIELDS = {
    "received_on": "2026-11-20",
    "source": "public_report",
    "category": "village_bully",
    "summary": "群众举报某村村霸强揽工程、威胁村民",
    "reporter": "王某 13800000000",
}
CASE_FIELDS = {
    "number": "甲公刑〔2026〕9号",
    "name": "王某某等人恶势力案",
    "kind": "evil_force",
    "opened_on": "2026-11-20",
    "summary": "王某某纠集多人寻衅滋事",
}

ACTS = [
    Act(
        "register",
        lambda c: None,
        "police",
        "city_leader",
        lambda c, r: ("/clues/new/", CLUE_FIELDS | {"region": c.world.village_a.pk}),
        lambda c, r: ("/api/v1/clues/", CLUE_FIELDS | {"region": c.world.village_a.code}),
    ),
    Act(
        "assign",
        register,
        "police",
        "city_leader",
        *clue_action("assign", lambda c, r: {"on": "2026-11-21", "handler": c.police.pk}),
    ),
    Act(
        "verify",
        lambda c: clues.assign(
            actor=c.police, clue=register(c), handler=c.police, on=date(2026, 11, 3)
        ),
        "police",
        "a_clerk",
        *clue_action("verify", lambda c, r: {"on": "2026-11-21"}),
    ),
    Act(
        "refer",
        lambda c: register(c, "umbrella", "派出所民警为村霸通风报信"),
        "police",
        "city_leader",
        *clue_action(
            "refer",
            lambda c, r: {
                "on": "2026-11-24",
                "to_agency": c.discipline_agency.pk,
                "reason": "涉及公职人员充当“保护伞”",
            },
        ),
    ),
    Act(
        "acknowledge",
        referred,
        "discipline",
        "police",
        *referral_action("acknowledge", {"on": "2026-11-24"}),
    ),
    Act(
        "feedback",
        lambda c: referred(c, acknowledged=True),
        "discipline",
        "police",
        *referral_action("feedback", {"on": "2026-11-25", "feedback": "经核查属实，已立案审查"}),
    ),
    Act(
        "conclude",
        verifying,
        "police",
        "a_clerk",
        *clue_action(
            "conclude",
            lambda c, r: {"on": "2026-11-25", "conclusion": "partly", "note": "部分属实"},
        ),
    ),
    Act(
        "merge",
        lambda c: (register(c), register(c, summary="甲县一村有人强揽工程，欺压群众"))[1],
        "police",
        "a_clerk",
        *clue_action(
            "merge",
            lambda c, r: {"on": "2026-11-24", "into": "线索〔2026〕0001号", "reason": "重复举报"},
        ),
    ),
    Act(
        "supervise",
        register,
        "a_clerk",
        "police",
        *clue_action(
            "supervise",
            lambda c, r: {"on": "2026-11-24", "deadline": "2026-12-24", "requirement": "限期查清"},
        ),
    ),
    Act(
        "promote",
        verifying,
        "police",
        "a_clerk",
        *clue_action(
            "promote",
            lambda c, r: {
                "on": "2026-11-25",
                "number": "甲公刑〔2026〕20号",
                "name": "赵某某等人恶势力案",
                "kind": "evil_force",
                "lead_agency": c.world.agencies["a_police"].pk,
            },
        ),
    ),
    Act(
        "open case",
        lambda c: None,
        "police",
        "discipline",
        lambda c, r: (
            "/cases/new/",
            CASE_FIELDS
            | {"region": c.world.village_a.pk, "lead_agency": c.world.agencies["a_police"].pk},
        ),
        lambda c, r: (
            "/api/v1/cases/",
            CASE_FIELDS
            | {"region": c.world.village_a.code, "lead_agency": c.world.agencies["a_police"].pk},
        ),
    ),
    Act(
        "stage",
        opened,
        "police",
        "city_leader",
        *case_action("stage", lambda c, r: {"stage": "transferred", "on": "2026-11-20"}),
    ),
    Act(
        "suspect",
        opened,
        "police",
        "city_leader",
        *case_action("suspect", lambda c, r: {"person": c.person.pk, "role": "leader"}),
    ),
    Act(
        "asset",
        opened,
        "a_clerk",
        "city_leader",
        *case_action(
            "asset",
            lambda c, r: {
                "kind": "deposit",
                "measure": "freeze",
                "description": "李某某名下存款",
                "value": "356000.00",
                "on": "2026-11-22",
            },
        ),
    ),
]


def with_suspect(cast: Cast) -> Any:
    case = opened(cast)
    cases.add_suspect(actor=cast.police, case=case, person=cast.person, role="leader")
    return case


def with_asset(cast: Cast) -> Any:
    case = opened(cast)
    cases.record_asset(
        actor=cast.police,
        case=case,
        kind="vehicle",
        measure="seize",
        description="轿车一辆",
        value=Decimal("80000"),
        on=date(2026, 11, 2),
    )
    return case


MORE_CASE_ACTS = [
    Act(
        "suspect status",
        with_suspect,
        "police",
        "city_leader",
        *case_action(
            "status",
            lambda c, r: {
                "suspect": r.suspects.get().pk,
                "status": "arrested",
                "on": "2026-11-23",
            },
        ),
    ),
    Act(
        "dispose",
        with_asset,
        "police",
        "city_leader",
        *case_action(
            "dispose",
            lambda c, r: {
                "asset": r.assets.get().pk,
                "disposition": "returned",
                "on": "2026-11-24",
            },
        ),
    ),
    Act(
        "consultation",
        opened,
        "police",
        "city_leader",
        lambda c, r: (
            f"/cases/{r.pk}/consultation/",
            {
                "kind": "pre_prosecution",
                "on": "2026-11-24",
                "agencies": [c.world.agencies["a_police"].pk, c.procuratorate.pk],
                "disputes": ["evidence", "characterisation"],
                "conclusion": "补充证据后移送起诉",
            },
        ),
        lambda c, r: (
            f"/api/v1/cases/{r.pk}/consultation/",
            {
                "kind": "pre_prosecution",
                "on": "2026-11-24",
                "agencies": [c.world.agencies["a_police"].pk, c.procuratorate.pk],
                "disputes": ["evidence", "characterisation"],
                "conclusion": "补充证据后移送起诉",
            },
        ),
    ),
    Act(
        "intervention",
        opened,
        "a_clerk",
        "police",
        *case_action(
            "intervention",
            lambda c, r: {"prosecutor": "刘检察官", "on": "2026-11-22", "guidance": "补强证据"},
        ),
    ),
    Act(
        "supervision",
        opened,
        "a_clerk",
        "police",
        *case_action(
            "supervision",
            lambda c, r: {
                "bodies": "县扫黑办、县公安局",
                "on": "2026-11-22",
                "deadline": "2027-02-22",
            },
        ),
    ),
]
ACTS += MORE_CASE_ACTS


@pytest.mark.parametrize("act", ACTS, ids=lambda a: a.name)
def test_the_page_and_the_api_write_the_same(cast: Cast, act: Act) -> None:
    check_writes_same(cast, act)


@pytest.mark.parametrize("act", ACTS, ids=lambda a: a.name)
def test_the_page_and_the_api_refuse_the_same(cast: Cast, act: Act) -> None:
    check_refuses_same(cast, act)


def test_the_comparison_sees_a_different_record(cast: Cast) -> None:
    """Guards the tests above: one different field through the API is a difference."""
    register_act = ACTS[0]
    other = Act(
        "register otherwise",
        register_act.setup,
        "police",
        "city_leader",
        register_act.page,
        lambda c, r: (
            "/api/v1/clues/",
            CLUE_FIELDS | {"region": c.world.village_a.code, "summary": "另一摘要"},
        ),
    )
    page, api, by_page, by_api = both_ways(cast, other, "police")
    assert page.status_code == 302 and api.status_code == 201
    assert by_api["clues.Clue"] != by_page["clues.Clue"]
    assert by_api["clues.HistoricalClue"] != by_page["clues.HistoricalClue"]


PERSONAS = [
    "police",
    "discipline",
    "city_leader",
    "a_clerk",
    "a_reviewer",
    "b_clerk",
    "discipline_clerk",
    "police_clerk",
    "auditadmin",
]


@pytest.mark.parametrize("act", ACTS, ids=lambda a: a.name)
def test_every_persona_is_answered_alike(cast: Cast, act: Act) -> None:
    check_personas_alike(cast, act, PERSONAS)


#: Writes on a record that no rule guards, and why.
UNRULED = {("me/notices", "read"): "marks the user's own notice read; visible_to is the user's own"}


def test_every_api_write_on_a_record_asks_a_rule() -> None:
    """No API write on a record skips the action policy: each names its rule in
    ``policy_actions`` (asked by PolicyPermission before the body is read)."""
    from baolei.core import policy
    from baolei.web.api_urls import router

    checked = 0
    for prefix, viewset, _ in router.registry:
        rules = getattr(viewset, "policy_actions", {})
        for extra in viewset.get_extra_actions():
            if not extra.detail or not set(extra.mapping) - {"get", "head", "options"}:
                continue
            if (prefix, extra.__name__) in UNRULED:
                continue
            assert extra.__name__ in rules, f"{prefix} {extra.__name__} names no rule"
            assert policy.known(rules[extra.__name__])
            checked += 1
    assert checked >= 25
