from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.conftest import make_user
from baolei.ledger import services as ledger
from baolei.ledger.models import AcceptanceResult
from baolei.supervision import queries, services
from baolei.supervision.models import Problem, ProblemScope, ProblemSource, ProblemStatus

ON = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as t:
        yield t


@pytest.fixture
def office(world: Any) -> Any:
    return make_user("city_office_clerk", world.agencies["city_office"], Role.CLERK, Role.REVIEWER)


@pytest.fixture
def acceptor(world: Any) -> Any:
    agency = Agency.objects.create(name="某市委督查室", kind=AgencyKind.OTHER, region=world.city)
    return make_user("inspector", agency, Role.REVIEWER)


def common(world: Any, office: Any, number: str = "G01") -> Problem:
    return services.create_problem(
        actor=office,
        source=ProblemSource.CENTRAL,
        scope=ProblemScope.COMMON,
        number=number,
        region=world.city,
        description="基层组织建设薄弱，软弱涣散村整顿不彻底",
        deadline=date(2026, 12, 31),
        received_on=date(2026, 6, 1),
        measures=["全面排查", "逐村整顿"],
        units=[
            (world.agencies["a_office"], "甲县扫黑办主任"),
            (world.agencies["b_office"], "乙县扫黑办主任"),
        ],
    )


def status_of(problem: Problem) -> str:
    """The status as the city office that registered the problem sees it (every item)."""
    rows = queries.with_status(Problem.objects.filter(pk=problem.pk), user=problem.created_by)
    return rows.get().status  # type: ignore[attr-defined]


def test_common_problem_creates_one_item_per_unit(world: Any, office: Any) -> None:
    problem = common(world, office)
    assert sorted(i.owner_agency.name for i in problem.items.all()) == ["乙县扫黑办", "甲县扫黑办"]
    with pytest.raises(ValidationError, match="个性问题须且只能有一个责任单位"):
        services.create_problem(
            actor=office,
            source=ProblemSource.CENTRAL,
            scope=ProblemScope.INDIVIDUAL,
            number="G02",
            region=world.city,
            description="x",
            deadline=date(2026, 12, 31),
            received_on=date(2026, 6, 1),
            units=[],
        )


def test_status_all_done_one_long_term_one_open(world: Any, office: Any, acceptor: Any) -> None:
    problem = common(world, office)
    first, second = problem.items.order_by("owner_agency__name")
    assert status_of(problem) == ProblemStatus.IN_PROGRESS
    ledger.accept_item(actor=acceptor, item=first, on=ON, result=AcceptanceResult.ACCEPTED)
    assert status_of(problem) == ProblemStatus.IN_PROGRESS  # one still open
    ledger.accept_item(actor=acceptor, item=second, on=ON, result=AcceptanceResult.ACCEPTED)
    assert status_of(problem) == ProblemStatus.DONE
    other = common(world, office, "G03")
    for n, item in enumerate(other.items.all()):
        ledger.accept_item(
            actor=acceptor, item=item, on=ON, result=AcceptanceResult.ACCEPTED, long_term=n == 0
        )
    assert status_of(other) == ProblemStatus.DONE_LONG_TERM


def test_status_as_of_a_day_counts_only_what_was_accepted_by_then(
    world: Any, office: Any, acceptor: Any
) -> None:
    problem = common(world, office)
    first, second = problem.items.all()
    ledger.accept_item(
        actor=acceptor, item=first, on=date(2026, 11, 2), result=AcceptanceResult.ACCEPTED
    )
    ledger.accept_item(
        actor=acceptor, item=second, on=ON, result=AcceptanceResult.ACCEPTED, long_term=True
    )

    def as_of(day: date) -> str:
        rows = queries.with_status(
            Problem.objects.filter(pk=problem.pk), day, user=problem.created_by
        )
        return rows.get().status  # type: ignore[attr-defined]

    assert as_of(date(2026, 11, 1)) == ProblemStatus.IN_PROGRESS
    assert as_of(date(2026, 11, 19)) == ProblemStatus.IN_PROGRESS  # one of two accepted
    assert as_of(ON) == ProblemStatus.DONE_LONG_TERM
    assert status_of(problem) == ProblemStatus.DONE_LONG_TERM


def test_summary_counts_per_source_and_scope(
    world: Any, office: Any, acceptor: Any, client: Any
) -> None:
    done = common(world, office, "G01")
    for item in done.items.all():
        ledger.accept_item(
            actor=acceptor, item=item, on=ON, result=AcceptanceResult.ACCEPTED, long_term=True
        )
    common(world, office, "G02")
    client.force_login(world.city_leader)
    body = client.get("/api/v1/supervision/problems/summary/", {"source": "central"}).json()
    assert body == [
        {
            "source": "central",
            "source_display": "中央督导组反馈",
            "scope": "common",
            "scope_display": "共性问题",
            "total": 2,
            "done": 1,
            "done_long_term": 1,
            "in_progress": 1,
            "recurred": 0,
            "sentence": "中央督导组反馈2项共性问题，已完成整改1项（含长期坚持整改1项），其余1项正在整改中",
        }
    ]


def test_recurrence_reopens_and_keeps_the_first_completion(
    world: Any, office: Any, acceptor: Any
) -> None:
    problem = common(world, office)
    for item in problem.items.all():
        ledger.accept_item(
            actor=acceptor, item=item, on=date(2026, 9, 1), result=AcceptanceResult.ACCEPTED
        )
    recurrence = services.reopen_problem(
        actor=office,
        problem=problem,
        on=ON,
        reason="村霸问题反弹",
        units=[(world.agencies["a_office"], "甲县扫黑办主任")],
        deadline=date(2027, 1, 31),
    )
    assert recurrence.previous_done_on == date(2026, 9, 1)
    assert status_of(problem) == ProblemStatus.IN_PROGRESS
    assert queries.regression(world.city_leader) == {"recurred": 1, "ever_done": 1, "rate": 1.0}


def test_county_sees_only_problems_it_answers_for(world: Any, office: Any) -> None:
    common(world, office)
    services.create_problem(
        actor=office,
        source=ProblemSource.PROVINCIAL,
        scope=ProblemScope.INDIVIDUAL,
        number="S01",
        region=world.city,
        description="乙县问题",
        deadline=date(2026, 12, 31),
        received_on=date(2026, 6, 1),
        units=[(world.agencies["b_office"], "乙县扫黑办主任")],
    )
    numbers = list(Problem.objects.visible_to(world.a_clerk).values_list("number", flat=True))
    assert numbers == ["G01"]


def test_problem_page_shows_how_many_units_are_done(
    world: Any, office: Any, acceptor: Any, client: Any
) -> None:
    problem = common(world, office)
    first, _ = problem.items.order_by("owner_agency__name")  # 乙县扫黑办 first
    client.force_login(office)
    url = f"/supervision/problems/{problem.pk}/"
    page = client.get(url).content.decode()
    assert 'data-tally="0/2"' in page and "单位已完成" in page
    ledger.accept_item(actor=acceptor, item=first, on=ON, result=AcceptanceResult.ACCEPTED)
    page = client.get(url).content.decode()
    assert 'data-tally="1/2"' in page
    waiting = page.split("待：")[1].split("</span>")[0]
    assert waiting == "甲县扫黑办"
    # A county sees its own unit's item only, and the tally counts what it sees.
    client.force_login(world.a_clerk)
    assert 'data-tally="0/1"' in client.get(url).content.decode()
