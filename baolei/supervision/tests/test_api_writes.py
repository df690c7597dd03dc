"""Supervision writes through the API: a problem, its recurrence, a plan and its parts,
each the same as its page (the machinery is in ``baolei.web.tests.equivalence``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.conftest import make_user
from baolei.ledger import services as ledger
from baolei.ledger.models import AcceptanceResult, LedgerItem
from baolei.supervision import services
from baolei.supervision.models import (
    Problem,
    ProblemScope,
    ProblemSource,
    Recurrence,
    SupervisionPlan,
)
from baolei.web.tests.equivalence import (
    Act,
    checks_for,
    post_as,
    snapshot,
)

TODAY = date(2026, 11, 26)
APPS = ("supervision", "ledger", "notices")


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@dataclass
class Cast:
    world: Any
    office: Any
    acceptor: Any
    page: Client
    api: Client

    def persona(self, name: str) -> Any:
        return getattr(self, name) if name in ("office", "acceptor") else self.world.users[name]


@pytest.fixture
def cast(world: Any) -> Cast:
    inspection = Agency.objects.create(
        name="某市委督查室", kind=AgencyKind.OTHER, region=world.city
    )
    return Cast(
        world=world,
        office=make_user(
            "city_office_clerk", world.agencies["city_office"], Role.CLERK, Role.REVIEWER
        ),
        acceptor=make_user("inspector", inspection, Role.REVIEWER),
        page=Client(),
        api=Client(),
    )


def units(c: Cast) -> list[int]:
    return [c.world.agencies["a_office"].pk, c.world.agencies["a_police"].pk]


def registered(c: Cast) -> Problem:
    return services.create_problem(
        actor=c.office,
        source=ProblemSource.CENTRAL,
        scope=ProblemScope.COMMON,
        number="G01",
        region=c.world.city,
        description="基层组织建设薄弱，软弱涣散村整顿不彻底",
        deadline=date(2026, 12, 31),
        received_on=date(2026, 6, 1),
        measures=["全面排查", "逐村整顿"],
        units=[
            (c.world.agencies["a_office"], "甲县扫黑办主任"),
            (c.world.agencies["a_police"], "甲县公安局局长"),
        ],
    )


def rectified(c: Cast) -> Problem:
    problem = registered(c)
    for item in problem.items.all():
        ledger.accept_item(
            actor=c.acceptor, item=item, on=date(2026, 9, 1), result=AcceptanceResult.ACCEPTED
        )
    return problem


def city_plan(c: Cast) -> SupervisionPlan:
    return services.create_plan(
        actor=c.office,
        title="某市督导工作方案",
        region=c.world.city,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )


def with_team(c: Cast) -> SupervisionPlan:
    plan = city_plan(c)
    services.create_team(
        actor=c.office, plan=plan, name="第一督导组", leader="卫正华", counties=[c.world.county_a]
    )
    return plan


PROBLEM = {
    "source": "provincial",
    "scope": "common",
    "number": "P07",
    "description": "打伞破网力度不够，线索移送不及时",
    "responsible_person": "主要负责人",
    "received_on": "2026-11-20",
    "deadline": "2027-03-31",
}
REOPEN = {
    "on": "2026-11-24",
    "reason": "村霸问题整改后反弹",
    "responsible_person": "甲县扫黑办主任",
    "deadline": "2027-01-31",
}


def plan_action(name: str, page: Any, api: Any) -> tuple[Any, Any]:
    return (
        lambda c, r: (f"/supervision/plans/{r.pk}/{name}/", page(c, r)),
        lambda c, r: (f"/api/v1/supervision/plans/{r.pk}/{name}/", api(c, r)),
    )


ACTS = [
    Act(
        "create problem",
        lambda c: None,
        "office",
        "police_clerk",
        lambda c, r: (
            "/supervision/problems/new/",
            PROBLEM | {"units": units(c), "measures": "逐条梳理涉“伞”线索\n限期移送纪委监委"},
        ),
        lambda c, r: (
            "/api/v1/supervision/problems/",
            PROBLEM | {"units": units(c), "measures": ["逐条梳理涉“伞”线索", "限期移送纪委监委"]},
        ),
        apps=APPS,
    ),
    Act(
        "reopen",
        rectified,
        "office",
        "a_clerk",
        lambda c, r: (
            f"/supervision/problems/{r.pk}/reopen/",
            REOPEN | {"units": [c.world.agencies["a_office"].pk]},
        ),
        lambda c, r: (
            f"/api/v1/supervision/problems/{r.pk}/reopen/",
            REOPEN | {"units": [c.world.agencies["a_office"].pk]},
        ),
        apps=APPS,
    ),
    Act(
        "create plan",
        lambda c: None,
        "office",
        "police_clerk",
        lambda c, r: (
            "/supervision/plans/new/",
            {
                "title": "某市常态化督导方案",
                "document_number": "市扫黑办〔2026〕12号",
                "region": c.world.city.pk,
                "starts_on": "2026-12-01",
                "ends_on": "2027-11-30",
            },
        ),
        lambda c, r: (
            "/api/v1/supervision/plans/",
            {
                "title": "某市常态化督导方案",
                "document_number": "市扫黑办〔2026〕12号",
                "region": c.world.city.code,
                "starts_on": "2026-12-01",
                "ends_on": "2027-11-30",
            },
        ),
        apps=APPS,
    ),
    Act(
        "assign",
        city_plan,
        "office",
        "a_clerk",
        *plan_action(
            "assign",
            lambda c, r: {
                "leader": "韩立明",
                "leader_title": "市委常委",
                "county": c.world.county_a.pk,
            },
            lambda c, r: {
                "leader": "韩立明",
                "leader_title": "市委常委",
                "county": c.world.county_a.code,
            },
        ),
        apps=APPS,
    ),
    Act(
        "team",
        city_plan,
        "office",
        "a_clerk",
        *plan_action(
            "team",
            lambda c, r: {
                "name": "第二督导组",
                "leader": "林晓东",
                "deputy": "周敏",
                "members": "陈刚、李娜",
                "counties": [c.world.county_a.pk, c.world.county_b.pk],
            },
            lambda c, r: {
                "name": "第二督导组",
                "leader": "林晓东",
                "deputy": "周敏",
                "members": ["陈刚", "李娜"],
                "counties": [c.world.county_a.code, c.world.county_b.code],
            },
        ),
        apps=APPS,
    ),
    Act(
        "round",
        with_team,
        "office",
        "a_clerk",
        *plan_action(
            "round",
            lambda c, r: {
                "number": 1,
                "starts_on": "2026-12-05",
                "ends_on": "2026-12-25",
                "teams": [r.teams.get().pk],
                "counties": [c.world.county_a.pk],
            },
            lambda c, r: {
                "number": 1,
                "starts_on": "2026-12-05",
                "ends_on": "2026-12-25",
                "teams": [r.teams.get().pk],
                "counties": [c.world.county_a.code],
            },
        ),
        apps=APPS,
    ),
    Act(
        "lagging",
        city_plan,
        "office",
        "a_clerk",
        *plan_action(
            "lagging",
            lambda c, r: {
                "county": c.world.county_b.pk,
                "on": "2026-11-20",
                "reason": "线索核查进度滞后",
                "remediation_plan": "乙县整改提升方案",
            },
            lambda c, r: {
                "county": c.world.county_b.code,
                "on": "2026-11-20",
                "reason": "线索核查进度滞后",
                "remediation_plan": "乙县整改提升方案",
            },
        ),
        apps=APPS,
    ),
]

PERSONAS = [
    "office",
    "acceptor",
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


def test_a_problem_and_its_recurrence_through_the_api(cast: Cast) -> None:
    created = post(
        cast,
        "office",
        "/api/v1/supervision/problems/",
        PROBLEM | {"units": units(cast), "measures": ["逐条梳理"]},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["region"] == cast.world.city.code and body["status"] == "in_progress"
    assert len(body["items"]) == 2 and body["measures"] == ["逐条梳理"]
    problem = Problem.objects.get(pk=body["id"])
    early = post(
        cast,
        "office",
        f"/api/v1/supervision/problems/{problem.pk}/reopen/",
        REOPEN | {"units": [cast.world.agencies["a_office"].pk]},
    )
    assert early.status_code == 400
    assert early.json() == ["只有已完成整改的问题才能登记反弹。"]
    for item in problem.items.all():
        ledger.accept_item(
            actor=cast.acceptor, item=item, on=date(2026, 11, 25), result=AcceptanceResult.ACCEPTED
        )
    reopened = post(
        cast,
        "office",
        f"/api/v1/supervision/problems/{problem.pk}/reopen/",
        REOPEN | {"units": [cast.world.agencies["a_office"].pk]},
    )
    assert reopened.status_code == 200, reopened.json()
    assert reopened.json()["status"] == "in_progress" and len(reopened.json()["items"]) == 3
    assert Recurrence.objects.get(problem=problem).previous_done_on == date(2026, 11, 25)


def test_a_problem_out_of_the_users_region_is_404_and_unchanged(cast: Cast) -> None:
    outsider = cast.world.outsider_rows[Problem]
    post(cast, "a_clerk", "/api/v1/supervision/problems/", {})  # the token, refused
    before = snapshot(APPS)
    hidden = post(
        cast,
        "a_clerk",
        f"/api/v1/supervision/problems/{outsider.pk}/reopen/",
        REOPEN | {"units": [cast.world.agencies["a_office"].pk]},
    )
    assert hidden.status_code == 404
    assert snapshot(APPS) == before


def test_a_malformed_problem_is_400_in_chinese_and_unchanged(cast: Cast) -> None:
    post(cast, "office", "/api/v1/supervision/problems/", {})  # the token
    post(cast, "a_clerk", "/api/v1/supervision/problems/", {})
    before = snapshot(APPS)
    bad = post(
        cast,
        "office",
        "/api/v1/supervision/problems/",
        PROBLEM
        | {
            "source": "city_round",
            "deadline": "2026-13-01",
            "units": [cast.world.agencies["b_office"].pk, 999999],
        },
    )
    assert bad.status_code == 400
    errors = bad.json()
    assert "不存在" in errors["units"][0]
    assert errors["deadline"] == ["日期应在 1949-10-01 至 2100-12-31 之间，格式为 YYYY-MM-DD。"]
    county = post(
        cast,
        "a_clerk",
        "/api/v1/supervision/problems/",
        PROBLEM | {"source": "city_round", "units": [cast.world.agencies["a_office"].pk]},
    )
    assert county.json() == {"round": ["市级督导发现的问题须选择督导轮次。"]}
    assert post(cast, "office", "/api/v1/supervision/problems/", "问题").status_code == 400
    assert snapshot(APPS) == before
    assert not LedgerItem.objects.filter(title__startswith="P07").exists()
