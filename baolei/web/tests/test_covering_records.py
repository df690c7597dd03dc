"""Covering records: a city record that spans several counties shows a county user the
whole record but only the parts that are its own.

A city problem answered by units of county A and county B, a city supervision plan with
leaders, teams, rounds and lagging designations in both, a city meeting with decisions for
both, and an assessment of three counties. County A (甲县) sees its own items, leaders,
teams, decisions and score, none of county B's (乙县, the marker) or county C's (丙县), and
its rank among all three; the city leader sees everything with the same ranks.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.conftest import build_world, built_once, make_region, make_user
from baolei.coordination import services as coordination
from baolei.coordination.models import AssessmentScheme, Meeting, MeetingKind, Metric
from baolei.ledger import services as ledger
from baolei.ledger.models import AcceptanceResult, LedgerItem
from baolei.regions.models import Level
from baolei.supervision import services as supervision
from baolei.supervision.models import Problem, ProblemScope, ProblemSource, SupervisionPlan

pytestmark = pytest.mark.xdist_group("covering_records")

B_MARK = "乙县"
C_MARK = "丙县"


@dataclass
class Covering:
    world: Any
    problem: Problem
    item_a: LedgerItem
    item_b: LedgerItem
    plan: SupervisionPlan
    meeting: Meeting
    scheme: AssessmentScheme


def build_covering() -> Covering:
    w = build_world()
    county_c = make_region("510123000000", "丙县", Level.COUNTY, w.city)
    Agency.objects.create(name="丙县扫黑办", kind=AgencyKind.CAMPAIGN_OFFICE, region=county_c)
    office = make_user("city_office_reviewer", w.agencies["city_office"], Role.CLERK, Role.REVIEWER)
    today = timezone.localdate()
    plan = supervision.create_plan(
        actor=office,
        title="某市督导工作方案",
        region=w.city,
        starts_on=today - timedelta(days=100),
        ends_on=today + timedelta(days=100),
    )
    supervision.assign_leader(actor=office, plan=plan, leader="甲县联系领导", county=w.county_a)
    supervision.assign_leader(actor=office, plan=plan, leader="乙县联系领导", county=w.county_b)
    team_a = supervision.create_team(
        actor=office, plan=plan, name="第一督导组", leader="甲组组长", counties=[w.county_a]
    )
    team_b = supervision.create_team(
        actor=office, plan=plan, name="乙县第二督导组", leader="乙县组长", counties=[w.county_b]
    )
    joint = supervision.create_team(
        actor=office,
        plan=plan,
        name="联合督导组",
        leader="联合组长",
        counties=[w.county_a, w.county_b],
    )
    round_ab = supervision.create_round(
        actor=office,
        plan=plan,
        number=1,
        starts_on=today - timedelta(days=60),
        ends_on=today - timedelta(days=50),
        teams=[team_a, team_b, joint],
        counties=[w.county_a, w.county_b],
    )
    supervision.create_round(
        actor=office,
        plan=plan,
        number=2,
        starts_on=today - timedelta(days=40),
        ends_on=today - timedelta(days=30),
        teams=[team_b],
        counties=[w.county_b],
    )
    for county, agency in ((w.county_a, "a_office"), (w.county_b, "b_office")):
        lagging = supervision.designate_lagging(
            actor=office,
            plan=plan,
            county=county,
            on=today - timedelta(days=20),
            reason=f"{county.name}滞后原因",
            remediation_plan=f"{county.name}整改提升方案",
        )
        supervision.add_remediation_task(
            actor=office,
            lagging=lagging,
            title=f"{county.name}整改任务",
            owner=w.agencies[agency],
            responsible_person=f"{county.name}任务责任人",
            deadline=today + timedelta(days=30),
        )
    problem = supervision.create_problem(
        actor=office,
        source=ProblemSource.CITY_ROUND,
        scope=ProblemScope.COMMON,
        number="SJ-7",
        region=w.city,
        description="线索核查不深不细",
        deadline=today + timedelta(days=90),
        received_on=today - timedelta(days=30),
        units=[(w.agencies["a_office"], "甲县责任人"), (w.agencies["b_office"], "乙县责任人")],
        round_=round_ab,
    )
    item_a = problem.items.get(owner_agency=w.agencies["a_office"])
    item_b = problem.items.get(owner_agency=w.agencies["b_office"])
    # county A has finished its part; county B has not
    ledger.accept_item(
        actor=office, item=item_a, on=today - timedelta(days=1), result=AcceptanceResult.ACCEPTED
    )
    meeting = coordination.record_meeting(
        actor=office,
        kind=MeetingKind.LEADING_GROUP,
        held_on=today - timedelta(days=10),
        topic="全市推进会",
        region=w.city,
        convener=w.agencies["city_office"],
    )
    for agency, person in (("a_office", "甲县决定责任人"), ("b_office", "乙县决定责任人")):
        coordination.add_decision(
            actor=office,
            meeting=meeting,
            title=f"{w.agencies[agency].name}落实决定",
            owner=w.agencies[agency],
            responsible_person=person,
            deadline=today + timedelta(days=30),
        )
    scheme = coordination.create_scheme(
        actor=office,
        name="某市年度考核",
        region=w.city,
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
        indicators=[("工作实绩", Decimal("10"), Metric.MANUAL, Decimal("0.25"))],
    )
    indicator = scheme.indicators.get()
    for county, score in ((w.county_a, "6.25"), (w.county_b, "9.75"), (county_c, "8.50")):
        coordination.score_by_hand(
            actor=office,
            indicator=indicator,
            county=county,
            score=Decimal(score),
            reason=f"{county.name}评分理由",
        )
    return Covering(w, problem, item_a, item_b, plan, meeting, scheme)


@pytest.fixture(scope="module")
def shared(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Any]:
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_covering()


@pytest.fixture
def cov(shared: Covering, db: Any) -> Covering:
    return shared


def page(client: Any, user: Any, name: str, *args: Any, **query: Any) -> Any:
    client.force_login(user)
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, response.status_code
    return response


def text(response: Any) -> str:
    return response.content.decode()


def workbook_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(
        str(c) for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row
    )


def b_traces(cov: Covering) -> list[str]:
    """What would show that county B's item of the problem leaked."""
    return [B_MARK, cov.item_b.key, cov.item_b.responsible_person]


# The problem -------------------------------------------------------------------------


def test_county_a_sees_only_its_items_on_the_problem_page(cov: Covering, client: Any) -> None:
    body = text(page(client, cov.world.a_clerk, "supervision:problem", cov.problem.pk))
    assert cov.item_a.key in body and "甲县责任人" in body
    for trace in b_traces(cov):
        assert trace not in body
    assert reverse("ledger:detail", args=[cov.item_b.pk]) not in body
    # the status is that of the visible part, and the page says so
    assert "已完成整改" in body
    assert "本单位可见 1 项" in body


def test_city_leader_sees_every_item_and_the_whole_status(cov: Covering, client: Any) -> None:
    body = text(page(client, cov.world.city_leader, "supervision:problem", cov.problem.pk))
    assert cov.item_a.key in body and cov.item_b.key in body
    assert "乙县责任人" in body
    assert "整改中" in body and "已完成整改" not in body
    assert "本单位可见" not in body


def test_problem_list_export_and_zip_hold_only_county_a_units(cov: Covering, client: Any) -> None:
    client.force_login(cov.world.a_clerk)
    listing = text(client.get(reverse("supervision:problems")))
    assert "1 个单位" in listing
    export = client.get(reverse("supervision:problems"), {"export": "xlsx"})
    assert export.status_code == 200
    sheet = workbook_text(export.content)
    assert "甲县扫黑办" in sheet
    assert "乙县扫黑办" not in sheet
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("reports:ledgers_zip")).content))
    books = " ".join(workbook_text(archive.read(name)) for name in archive.namelist())
    assert "甲县扫黑办" in books
    for trace in b_traces(cov):
        assert trace not in books


def test_city_leader_export_holds_both_units(cov: Covering, client: Any) -> None:
    client.force_login(cov.world.city_leader)
    export = client.get(reverse("supervision:problems"), {"export": "xlsx", "number": "SJ-7"})
    sheet = workbook_text(export.content)
    assert "甲县扫黑办" in sheet and "乙县扫黑办" in sheet


def test_problem_api_lists_only_visible_item_ids(cov: Covering, client: Any) -> None:
    url = f"/api/v1/supervision/problems/{cov.problem.pk}/"
    client.force_login(cov.world.a_clerk)
    mine = client.get(url).json()
    assert mine["items"] == [cov.item_a.pk]
    assert mine["status"] == "done"
    assert mine["partial"] is True
    client.force_login(cov.world.city_leader)
    whole = client.get(url).json()
    assert sorted(whole["items"]) == sorted([cov.item_a.pk, cov.item_b.pk])
    assert whole["status"] == "in_progress"
    assert whole["partial"] is False


def test_opening_the_other_countys_item_is_404_and_it_is_never_offered(
    cov: Covering, client: Any
) -> None:
    client.force_login(cov.world.a_clerk)
    assert client.get(reverse("ledger:detail", args=[cov.item_b.pk])).status_code == 404
    assert client.get(reverse("ledger:detail", args=[cov.item_a.pk])).status_code == 200


# The plan ----------------------------------------------------------------------------


def test_county_a_sees_only_its_part_of_the_plan(cov: Covering, client: Any) -> None:
    body = text(page(client, cov.world.a_clerk, "supervision:plan", cov.plan.pk))
    for own in (
        "甲县联系领导",
        "第一督导组",
        "联合督导组",
        "甲县滞后原因",
        "甲县整改任务",
        "第1轮",
    ):
        assert own in body, own
    assert B_MARK not in body
    assert "第2轮" not in body
    assert "本单位可见" in body


def test_city_leader_sees_the_whole_plan(cov: Covering, client: Any) -> None:
    body = text(page(client, cov.world.city_leader, "supervision:plan", cov.plan.pk))
    for part in ("乙县联系领导", "乙县第二督导组", "乙县滞后原因", "乙县整改任务", "第2轮"):
        assert part in body, part
    assert "本单位可见" not in body


def test_plan_api_parts_for_county_a(cov: Covering, client: Any) -> None:
    w = cov.world
    client.force_login(w.a_clerk)
    query = {"plan": cov.plan.pk}

    def rows(path: str) -> list[dict[str, Any]]:
        response = client.get(f"/api/v1/supervision/{path}/", query).json()
        return [r for r in response["results"] if r["plan"] == cov.plan.pk]

    assert [r["county"] for r in rows("assignments")] == [w.county_a.code]
    teams = rows("teams")
    assert sorted(t["name"] for t in teams) == ["第一督导组", "联合督导组"]
    assert all(t["counties"] == [w.county_a.code] for t in teams)
    rounds = rows("rounds")
    assert [(r["number"], r["counties"]) for r in rounds] == [(1, [w.county_a.code])]
    assert len(rounds[0]["teams"]) == 2
    lagging = client.get("/api/v1/supervision/lagging/").json()["results"]
    assert {r["county"] for r in lagging} == {w.county_a.code}


# The meeting -------------------------------------------------------------------------


def test_city_meeting_shows_county_a_only_its_decisions(cov: Covering, client: Any) -> None:
    body = text(page(client, cov.world.a_clerk, "coordination:meeting", cov.meeting.pk))
    assert "甲县决定责任人" in body
    assert "乙县决定责任人" not in body and "乙县扫黑办" not in body
    assert "本单位可见 1 项" in body
    client.force_login(cov.world.a_clerk)
    api = client.get(f"/api/v1/coordination/meetings/{cov.meeting.pk}/").json()
    assert len(api["decisions"]) == 1
    whole = text(page(client, cov.world.city_leader, "coordination:meeting", cov.meeting.pk))
    assert "乙县决定责任人" in whole and "甲县决定责任人" in whole


# The assessment ----------------------------------------------------------------------


def test_county_a_sees_its_rank_among_all_counties_and_no_other_row(
    cov: Covering, client: Any
) -> None:
    for name in ("coordination:scheme", "coordination:bulletin"):
        body = text(page(client, cov.world.a_clerk, name, cov.scheme.pk))
        assert "第3名/共3个" in body, name
        assert "6.25" in body
        for other in (B_MARK, C_MARK, "9.75", "8.50"):
            assert other not in body, (name, other)


def test_city_leader_sees_the_whole_ranking_with_the_same_ranks(cov: Covering, client: Any) -> None:
    body = text(page(client, cov.world.city_leader, "coordination:scheme", cov.scheme.pk))
    for rank in ("第1名/共3个", "第2名/共3个", "第3名/共3个"):
        assert rank in body
    assert body.index("乙县") < body.index("丙县") < body.index("甲县")


def test_assessment_api_ranks_over_every_county(cov: Covering, client: Any) -> None:
    url = f"/api/v1/coordination/assessments/{cov.scheme.pk}/scores/"
    client.force_login(cov.world.city_leader)
    whole = {r["name"]: (r["rank"], r["of"], r["total"]) for r in client.get(url).json()}
    assert whole == {
        "乙县": (1, 3, "9.75"),
        "丙县": (2, 3, "8.50"),
        "甲县": (3, 3, "6.25"),
    }
    client.force_login(cov.world.a_clerk)
    mine = client.get(url).json()
    assert [(r["name"], r["rank"], r["of"]) for r in mine] == [("甲县", 3, 3)]
