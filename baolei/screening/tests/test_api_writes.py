"""Screening writes through the API: opening and closing a round, an organisation's
result, joint review, adding to and removing from the list, each the same as its page
(the machinery is in ``baolei.web.tests.equivalence``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.conftest import make_user
from baolei.screening import services
from baolei.screening.models import (
    Hit,
    NegativeList,
    Screening,
    ScreeningRound,
    Standing,
)
from baolei.web.tests.equivalence import (
    Act,
    checks_for,
    post_as,
    snapshot,
)

TODAY = date(2026, 11, 26)
APPS = ("screening", "ledger", "notices")


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@dataclass
class Cast:
    world: Any
    police: Any
    page: Client
    api: Client

    def persona(self, name: str) -> Any:
        return self.police if name == "police" else self.world.users[name]


@pytest.fixture
def cast(world: Any) -> Cast:
    police = Agency.objects.create(name="某市公安局联审", kind=AgencyKind.POLICE, region=world.city)
    return Cast(
        world=world,
        police=make_user("police_reviewer", police, Role.REVIEWER),
        page=Client(),
        api=Client(),
    )


def negative_list() -> NegativeList:
    return services.ensure_default_list()


def opened(c: Cast) -> ScreeningRound:
    return services.open_round(
        actor=c.world.a_clerk,
        name="2026年甲县排查",
        region=c.world.county_a,
        negative_list=negative_list(),
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 12, 31),
        required_reviewers=[AgencyKind.POLICE],
    )


def organisation(c: Cast) -> Screening:
    return opened(c).screenings.get(region=c.world.village_a)


def items() -> list[Any]:
    return list(negative_list().items.order_by("code")[:2])


def flagged(c: Cast) -> Screening:
    first, second = items()
    return services.record_result(
        actor=c.world.a_clerk,
        screening=organisation(c),
        proposal="flag",
        hits=[(first, "村党支部书记长期空缺"), (second, "村务长期不公开")],
    )


def on_the_list(c: Cast) -> Screening:
    return services.add_to_list(
        actor=c.world.a_reviewer,
        screening=organisation(c),
        on=date(2026, 11, 20),
        reason="巡察发现班子严重不团结",
    )


def closable(c: Cast) -> ScreeningRound:
    return on_the_list(c).round


def screening_action(name: str, page: Any, api: Any) -> tuple[Any, Any]:
    return (
        lambda c, r: (f"/screening/organisations/{r.pk}/{name}/", page(c, r)),
        lambda c, r: (f"/api/v1/screening/organisations/{r.pk}/{name}/", api(c, r)),
    )


def result_page(c: Cast, r: Any) -> dict[str, Any]:
    first, second = items()
    return {
        "proposal": "flag",
        "items": [first.pk, second.pk],
        f"note_{first.pk}": "村党支部书记长期空缺",
        f"note_{second.pk}": "村务长期不公开",
        "checked_by": "张敏",
        "checked_on": "2026-11-20",
        "findings": "档案记载信访问题三起",
    }


def result_api(c: Cast, r: Any) -> dict[str, Any]:
    first, second = items()
    return {
        "proposal": "flag",
        "hits": [
            {"item": first.code, "note": "村党支部书记长期空缺"},
            {"item": second.code, "note": "村务长期不公开"},
        ],
        "checked_by": "张敏",
        "checked_on": "2026-11-20",
        "findings": "档案记载信访问题三起",
    }


CHANGE = {"on": "2026-11-24", "reason": "经复核调整"}
ROUND = {
    "name": "2026年甲县第二轮排查",
    "starts_on": "2026-12-01",
    "ends_on": "2027-02-28",
    "required_reviewers": ["police", "discipline"],
    "plan_days": 120,
}

ACTS = [
    Act(
        "open round",
        lambda c: None,
        "a_clerk",
        "city_leader",
        lambda c, r: (
            "/screening/rounds/new/",
            ROUND
            | {
                "region": c.world.county_a.pk,
                "negative_list": negative_list().pk,
                "minimum_ratio": "15",
            },
        ),
        lambda c, r: (
            "/api/v1/screening/rounds/",
            ROUND
            | {
                "region": c.world.county_a.code,
                "negative_list": negative_list().pk,
                "minimum_ratio": "0.150",
            },
        ),
        apps=APPS,
    ),
    Act(
        "result",
        organisation,
        "a_clerk",
        "city_leader",
        *screening_action("result", result_page, result_api),
        apps=APPS,
    ),
    Act(
        "review",
        flagged,
        "police",
        "a_reviewer",
        *screening_action(
            "review", lambda c, r: {"decision": "agree"}, lambda c, r: {"decision": "agree"}
        ),
        apps=APPS,
    ),
    Act(
        "add",
        organisation,
        "a_reviewer",
        "a_clerk",
        *screening_action("add", lambda c, r: CHANGE, lambda c, r: CHANGE),
        apps=APPS,
    ),
    Act(
        "remove",
        on_the_list,
        "a_reviewer",
        "a_clerk",
        *screening_action("remove", lambda c, r: CHANGE, lambda c, r: CHANGE),
        apps=APPS,
    ),
    Act(
        "close round",
        closable,
        "a_reviewer",
        "a_clerk",
        lambda c, r: (f"/screening/rounds/{r.pk}/close/", {"on": "2026-11-26"}),
        lambda c, r: (f"/api/v1/screening/rounds/{r.pk}/close/", {"on": "2026-11-26"}),
        apps=APPS,
    ),
]

PERSONAS = [
    "police",
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


def test_an_organisation_goes_onto_the_list_through_the_api(cast: Cast) -> None:
    screening = organisation(cast)
    base = f"/api/v1/screening/organisations/{screening.pk}"
    result = post(cast, "a_clerk", f"{base}/result/", result_api(cast, screening))
    assert result.status_code == 200, result.json()
    assert result.json()["standing"] == Standing.PROPOSED
    assert result.json()["hits"] == [i.code for i in items()]
    assert screening.archive_checks.get().checked_by == "张敏"
    reviewed = post(cast, "police", f"{base}/review/", {"decision": "agree"})
    assert reviewed.status_code == 200, reviewed.json()
    assert reviewed.json()["standing"] == Standing.CONFIRMED
    assert reviewed.json()["plan"] is not None
    removed = post(cast, "a_reviewer", f"{base}/remove/", CHANGE)
    assert removed.status_code == 200 and removed.json()["standing"] == Standing.REMOVED
    again = post(cast, "a_reviewer", f"{base}/remove/", CHANGE)
    assert again.json() == ["只有已确定的组织可以移出名单。"]


def test_an_organisation_out_of_the_users_region_is_404_and_unchanged(cast: Cast) -> None:
    outsider = cast.world.outsider_rows[Screening]
    post(cast, "a_clerk", "/api/v1/screening/rounds/", {})  # the token
    before = snapshot(APPS)
    hidden = post(
        cast,
        "a_clerk",
        f"/api/v1/screening/organisations/{outsider.pk}/result/",
        {"proposal": "clear"},
    )
    assert hidden.status_code == 404
    assert snapshot(APPS) == before


def test_a_malformed_result_is_400_in_chinese_and_unchanged(cast: Cast) -> None:
    screening = organisation(cast)
    url = f"/api/v1/screening/organisations/{screening.pk}/result/"
    post(cast, "a_clerk", url, "")  # the token
    before = snapshot(APPS)
    first = items()[0]
    bad = post(
        cast,
        "a_clerk",
        url,
        {
            "proposal": "flag",
            "hits": [
                {"item": first.code, "note": " "},
                {"item": "99", "note": "不存在的条目"},
            ],
            "findings": "档案记载信访问题",
        },
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "hits": [f"请写明第 {first.code} 条的具体情况。", "第 99 条不在本轮使用的负面清单中。"]
    }
    undated = post(cast, "a_clerk", url, {"proposal": "flag", "findings": "档案记载信访问题"})
    assert undated.json() == {"checked_on": ["请填写档案核查日期。"]}
    empty = post(cast, "a_clerk", url, {"proposal": "flag"})
    assert empty.json() == {"proposal": ["建议列入须至少命中一条负面清单。"]}
    pending = post(cast, "a_clerk", url, {"proposal": "pending"})
    assert pending.json() == {"proposal": ["请选择“建议列入”或“不列入”。"]}
    assert post(cast, "a_clerk", url, ["flag"]).status_code == 400
    assert snapshot(APPS) == before
    assert not Hit.objects.filter(screening=screening).exists()


def test_the_requests_choices_are_the_read_sides_enums() -> None:
    """The joint-review agencies of a new round are the agencies' own enum, which must
    be there with every agency kind."""
    from drf_spectacular.generators import SchemaGenerator

    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    items = schemas["OpenRound"]["properties"]["required_reviewers"]["items"]
    assert items == {"$ref": "#/components/schemas/AgencyKindEnum"}
    assert schemas["AgencyKindEnum"]["enum"] == list(AgencyKind.values)
