"""Coordination writes through the API: a meeting, its decisions, a mechanism, a manual
score, each the same as its page (the machinery is in ``baolei.web.tests.equivalence``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client

from baolei.accounts.models import Role
from baolei.conftest import make_user
from baolei.coordination import services
from baolei.coordination.models import AssessmentScheme, Meeting
from baolei.web.tests.equivalence import (
    Act,
    checks_for,
    post_as,
    snapshot,
    token_of,
)

TODAY = date(2026, 11, 26)
APPS = ("coordination", "ledger", "notices")


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@dataclass
class Cast:
    world: Any
    office: Any
    page: Client
    api: Client

    def persona(self, name: str) -> Any:
        return self.office if name == "office" else self.world.users[name]


@pytest.fixture
def cast(world: Any) -> Cast:
    return Cast(
        world=world,
        office=make_user(
            "city_office_clerk", world.agencies["city_office"], Role.CLERK, Role.REVIEWER
        ),
        page=Client(),
        api=Client(),
    )


def city_meeting(c: Cast) -> Meeting:
    return services.record_meeting(
        actor=c.office,
        kind="leading_group",
        held_on=date(2026, 11, 10),
        topic="部署常态化扫黑除恶斗争",
        region=c.world.city,
        convener=c.world.agencies["city_office"],
        attendees=[c.world.agencies["a_office"]],
    )


def city_scheme(c: Cast) -> AssessmentScheme:
    return services.create_scheme(
        actor=c.office,
        name="2026年度扫黑除恶考核",
        region=c.world.city,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        indicators=[
            ("会议制度落实", Decimal("10"), "manual", Decimal("0")),
            ("台账整改完成率", Decimal("20"), "rectification_rate", Decimal("0")),
        ],
    )


MEETING = {
    "kind": "joint_meeting",
    "held_on": "2026-11-20",
    "topic": "研究涉黑涉恶线索双向移送工作",
}
MECHANISM = {
    "title": "涉黑涉恶问题线索双向移送工作办法",
    "document_number": "甲扫黑办〔2026〕8号",
    "issued_on": "2026-11-18",
    "kind": "system",
    "status": "trial",
}
DECISION = {
    "title": "一个月内完成涉“伞”线索集中移送",
    "responsible_person": "甲县公安局局长",
    "deadline": "2026-12-20",
}


def agencies(c: Cast, *names: str) -> list[int]:
    return [c.world.agencies[name].pk for name in names]


ACTS = [
    Act(
        "record meeting",
        lambda c: None,
        "a_clerk",
        "city_leader",
        lambda c, r: (
            "/coordination/meetings/new/",
            MEETING
            | {
                "region": c.world.county_a.pk,
                "convener": c.world.agencies["a_office"].pk,
                "attendees": agencies(c, "a_office", "a_police"),
            },
        ),
        lambda c, r: (
            "/api/v1/coordination/meetings/",
            MEETING
            | {
                "region": c.world.county_a.code,
                "convener": c.world.agencies["a_office"].pk,
                "attendees": agencies(c, "a_office", "a_police"),
            },
        ),
        apps=APPS,
    ),
    Act(
        "decide",
        city_meeting,
        "office",
        "a_clerk",
        lambda c, r: (
            f"/coordination/meetings/{r.pk}/decide/",
            DECISION | {"owner": c.world.agencies["a_police"].pk},
        ),
        lambda c, r: (
            f"/api/v1/coordination/meetings/{r.pk}/decide/",
            DECISION | {"owner": c.world.agencies["a_police"].pk},
        ),
        apps=APPS,
    ),
    Act(
        "record mechanism",
        lambda c: None,
        "a_clerk",
        "city_leader",
        lambda c, r: (
            "/coordination/mechanisms/new/",
            MECHANISM
            | {"region": c.world.county_a.pk, "issuers": agencies(c, "a_office", "a_police")},
        ),
        lambda c, r: (
            "/api/v1/coordination/mechanisms/",
            MECHANISM
            | {"region": c.world.county_a.code, "issuers": agencies(c, "a_office", "a_police")},
        ),
        apps=APPS,
    ),
    Act(
        "score",
        city_scheme,
        "office",
        "a_reviewer",
        lambda c, r: (
            f"/coordination/assessment/{r.pk}/score/",
            {
                "indicator": r.indicators.get(metric="manual").pk,
                "county": c.world.county_a.pk,
                "score": "8.50",
                "reason": "联席会议制度落实较好，会议纪要归档不全",
            },
        ),
        lambda c, r: (
            f"/api/v1/coordination/assessments/{r.pk}/score/",
            {
                "indicator": r.indicators.get(metric="manual").pk,
                "county": c.world.county_a.code,
                "score": "8.50",
                "reason": "联席会议制度落实较好，会议纪要归档不全",
            },
        ),
        apps=APPS,
    ),
]

SCHEME = {"name": "2027年度甲县扫黑除恶考核", "starts_on": "2027-01-01", "ends_on": "2027-12-31"}
CADENCE = {"kind": "joint_meeting", "every_days": 92, "since": "2026-01-01"}

ACTS += [
    Act(
        "require cadence",
        lambda c: None,
        "a_reviewer",
        "a_clerk",
        lambda c, r: (
            "/coordination/meetings/cadence/",
            CADENCE | {"region": c.world.county_a.pk},
        ),
        lambda c, r: (
            "/api/v1/coordination/meetings/cadence/",
            CADENCE | {"region": c.world.county_a.code},
        ),
        apps=APPS,
    ),
    Act(
        "create scheme",
        lambda c: None,
        "a_reviewer",
        "a_clerk",
        lambda c, r: (
            "/coordination/assessment/new/",
            SCHEME
            | {
                "region": c.world.county_a.pk,
                "indicators": "台账整改完成率,30,rectification_rate,0\n"
                "逾期台账事项,20,overdue_items,0.5\n会议制度落实,10,人工评分,0",
            },
        ),
        lambda c, r: (
            "/api/v1/coordination/assessments/",
            SCHEME
            | {
                "region": c.world.county_a.code,
                "indicators": [
                    {"name": "台账整改完成率", "points": "30", "metric": "rectification_rate"},
                    {
                        "name": "逾期台账事项",
                        "points": "20",
                        "metric": "overdue_items",
                        "per_occurrence": "0.5",
                    },
                    {"name": "会议制度落实", "points": "10", "metric": "manual"},
                ],
            },
        ),
        apps=APPS,
    ),
]

PERSONAS = [
    "office",
    "city_leader",
    "a_clerk",
    "a_reviewer",
    "b_clerk",
    "discipline_clerk",
    "police_clerk",
    "auditadmin",
]


(
    test_the_page_and_the_api_write_the_same,
    test_the_page_and_the_api_refuse_the_same,
    test_every_persona_is_answered_alike,
) = checks_for(ACTS, PERSONAS)


post = post_as


def test_a_meeting_and_its_decision_through_the_api(cast: Cast) -> None:
    created = post(
        cast,
        "a_clerk",
        "/api/v1/coordination/meetings/",
        MEETING | {"region": cast.world.county_a.code, "convener": agencies(cast, "a_office")[0]},
    )
    assert created.status_code == 201, created.json()
    assert created.json()["region"] == cast.world.county_a.code
    assert created.json()["attendees"] == [] and created.json()["decisions"] == []
    url = f"/api/v1/coordination/meetings/{created.json()['id']}/decide/"
    early = post(
        cast,
        "a_clerk",
        url,
        DECISION | {"owner": agencies(cast, "a_police")[0]} | {"deadline": "2026-11-01"},
    )
    assert early.json() == {"deadline": ["落实时限不能早于会议日期。"]}
    decided = post(cast, "a_clerk", url, DECISION | {"owner": agencies(cast, "a_police")[0]})
    assert decided.status_code == 201, decided.json()
    assert decided.json()["source_kind"] == "meeting"
    assert decided.json()["owner_agency_name"] == "甲县公安局"
    meeting = cast.world.users["a_clerk"]
    shown = cast.api.get(
        f"/api/v1/coordination/meetings/{created.json()['id']}/",
        headers=token_of(meeting),
    )
    assert shown.json()["decisions"] == [decided.json()["id"]]


def test_a_meeting_out_of_the_users_region_is_404_and_unchanged(cast: Cast) -> None:
    outsider = cast.world.outsider_rows[Meeting]
    post(cast, "a_clerk", "/api/v1/coordination/meetings/", {})  # the token
    before = snapshot(APPS)
    hidden = post(
        cast,
        "a_clerk",
        f"/api/v1/coordination/meetings/{outsider.pk}/decide/",
        DECISION | {"owner": agencies(cast, "a_police")[0]},
    )
    assert hidden.status_code == 404
    assert snapshot(APPS) == before


def test_a_malformed_meeting_is_400_in_chinese_and_unchanged(cast: Cast) -> None:
    post(cast, "a_clerk", "/api/v1/coordination/meetings/", {})  # the token
    before = snapshot(APPS)
    bad = post(
        cast,
        "a_clerk",
        "/api/v1/coordination/meetings/",
        {
            "kind": "party",
            "held_on": "2026-11-31",
            "region": cast.world.county_b.code,
            "convener": cast.world.agencies["b_office"].pk,
        },
    )
    assert bad.status_code == 400
    errors = bad.json()
    assert errors["kind"] == ["“party” 不是合法选项。"]
    assert errors["held_on"] == ["日期应在 1949-10-01 至 2100-12-31 之间，格式为 YYYY-MM-DD。"]
    assert errors["topic"] == ["该字段是必填项。"]
    assert "不存在" in errors["region"][0] and "不存在" in errors["convener"][0]
    assert snapshot(APPS) == before


def test_the_requests_choices_are_the_read_sides_enums() -> None:
    """A request's kind and status point at the enum its read side names; that enum
    must be there, with the model's choices."""
    from drf_spectacular.generators import SchemaGenerator

    from baolei.coordination.models import MechanismKind, MechanismStatus, MeetingKind

    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    for component, field, enum, choices in (
        ("MeetingRequest", "kind", "MeetingKindEnum", MeetingKind),
        ("CadenceRequest", "kind", "MeetingKindEnum", MeetingKind),
        ("Cadence", "kind", "MeetingKindEnum", MeetingKind),
        ("MechanismRequest", "kind", "MechanismKindEnum", MechanismKind),
        ("MechanismRequest", "status", "MechanismStatusEnum", MechanismStatus),
    ):
        ref = schemas[component]["properties"][field]["allOf"][0]["$ref"]
        assert ref == f"#/components/schemas/{enum}"
        assert schemas[enum]["enum"] == list(choices.values)
