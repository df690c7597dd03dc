from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from baolei.accounts.models import Agency, AgencyKind, User
from baolei.demo.city import DEMO_PASSWORD, build_city
from baolei.regions.models import GovernanceCentre, Level, Region
from baolei.regions.queries import centre_coverage

#: One worker builds the city once for the module (see ``built_once``).
pytestmark = pytest.mark.xdist_group("demo-city")


@pytest.fixture(scope="module")
def built_city(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[Any]:
    from baolei.conftest import built_once

    with built_once(django_db_blocker, tmp_path_factory):
        yield build_city()


@pytest.fixture
def demo_city(built_city: Any, db: Any) -> Any:
    return built_city


def test_city_is_shaped_like_the_report(demo_city: Any) -> None:
    counts = {level: Region.objects.filter(level=level).count() for level in Level}
    assert counts[Level.CITY] == 1
    assert counts[Level.COUNTY] == 8
    assert counts[Level.TOWNSHIP] == 85
    assert counts[Level.NEW_COMMUNITY] == 5
    assert 1050 <= counts[Level.VILLAGE] + counts[Level.COMMUNITY] <= 1150
    leader = User.objects.get(username="city_leader")
    coverage = {c.level: (c.covered, c.total) for c in centre_coverage(leader)}
    assert coverage == {Level.COUNTY: (8, 8), Level.TOWNSHIP: (85, 85), Level.NEW_COMMUNITY: (5, 5)}
    for kind in (
        AgencyKind.DISCIPLINE,
        AgencyKind.POLICE,
        AgencyKind.PROCURATORATE,
        AgencyKind.COURT,
    ):
        assert Agency.objects.filter(kind=kind).count() == 9  # city + 8 counties


def test_second_run_changes_nothing(demo_city: Any) -> None:
    before = (
        Region.objects.count(),
        GovernanceCentre.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
    )
    report = build_city()
    assert (report.regions_created, report.centres_created, report.agencies_created) == (0, 0, 0)
    after = (
        Region.objects.count(),
        GovernanceCentre.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
    )
    assert before == after


def test_printed_passwords_work_and_roles_are_set(demo_city: Any) -> None:
    request = RequestFactory().post("/accounts/login/")
    for account in demo_city.accounts:
        user = authenticate(request, username=account.username, password=DEMO_PASSWORD)
        assert user is not None, account.username
        assert account.role in user.role_labels


def test_api_county_list_for_leader_and_county_clerk(demo_city: Any, client: Any) -> None:
    client.force_login(User.objects.get(username="city_leader"))
    counties = client.get("/api/v1/regions/", {"level": "county"}).json()
    assert counties["count"] == 8
    client.force_login(User.objects.get(username="baihe_clerk"))
    counties = client.get("/api/v1/regions/", {"level": "county"}).json()
    assert [r["name"] for r in counties["results"]] == ["白河县"]


def test_ledger_has_every_state_and_colour(demo_city: Any) -> None:
    from django.utils import timezone

    from baolei.demo.ledger import build_ledger
    from baolei.ledger.models import LedgerItem, Status, Warning
    from baolei.ledger.queries import with_warning

    assert build_ledger(timezone.localdate()) > 0
    rows = with_warning(LedgerItem.objects.all())
    assert set(rows.values_list("status", flat=True)) == set(Status.values)
    assert set(Warning.values) <= set(rows.values_list("warning", flat=True))
    assert build_ledger(timezone.localdate()) == 0


def test_screening_round_is_closed_above_ten_percent(demo_city: Any) -> None:
    from django.utils import timezone

    from baolei.demo.ledger import build_ledger
    from baolei.demo.screening import build_screening
    from baolei.screening.models import ScreeningRound
    from baolei.screening.queries import round_summary

    today = timezone.localdate()
    build_ledger(today)
    assert build_screening(today) == 112
    round_ = ScreeningRound.objects.get()
    total = round_summary(round_, User.objects.get(username="city_leader")).total
    assert round_.status == "closed" and total.confirmed == 112 and total.meets_minimum
    assert total.rectified > 90 and total.in_rectification > 0 and total.late >= 1
    assert_office_numbers({"台账", "整顿"})


def test_supervision_and_coordination_match_the_report(demo_city: Any) -> None:
    from django.utils import timezone

    from baolei.coordination.models import Mechanism, Meeting, MeetingKind
    from baolei.coordination.queries import cadence_warnings
    from baolei.demo.coordination import build_coordination
    from baolei.demo.supervision import build_supervision
    from baolei.supervision.models import LeaderAssignment, SupervisionRound, Team
    from baolei.supervision.queries import problem_summary, summary_sentence

    today = timezone.localdate()
    assert build_supervision(today) == 33
    build_coordination(today)
    leader = User.objects.get(username="city_leader")
    sentences = [summary_sentence(row) for row in problem_summary(leader)]
    assert sentences == [
        "中央督导组反馈20项共性问题，已完成整改16项（含长期坚持整改9项），其余4项正在整改中",
        "中央督导组反馈13项个性问题，已完成整改12项（含长期坚持整改6项），其余1项正在整改中",
    ]
    assert (
        LeaderAssignment.objects.count(),
        Team.objects.count(),
        SupervisionRound.objects.count(),
    ) == (8, 8, 6)
    assert Meeting.objects.filter(kind=MeetingKind.STANDING_COMMITTEE).count() == 4
    assert Mechanism.objects.count() == 8
    assert len(cadence_warnings(leader)) == 1
    assert_office_numbers({"督改", "议定"})
    assert build_supervision(today) == 0 and build_coordination(today) == 0


def assert_office_numbers(kinds: set[str]) -> None:
    """Every ledger number of the demo city reads as an office writes it (督改〔2026〕0008号)."""
    from baolei.ledger.models import LedgerItem
    from baolei.ledger.numbers import NUMBER

    keys = list(LedgerItem.objects.values_list("key", flat=True))
    assert keys and [k for k in keys if not NUMBER.match(k)] == []
    assert {k.split("〔")[0] for k in keys} == kinds


def test_cases_give_the_report_figures(demo_city: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from baolei.cases.queries import statistics
    from baolei.demo.cases import build_cases

    today = timezone.localdate()
    assert build_cases(today) == 18
    figures = statistics(
        User.objects.get(username="city_leader"), today - timedelta(days=300), today
    )
    assert figures["police"]["filed"]["gang"] == 6 and figures["police"]["suspects_caught"] == 132
    assert figures["courts"]["first_instance_recognised"]["gang"] == 5
    assert (figures["assets"]["held_at_from"], figures["assets"]["held_at_to"]) == (
        "5800000.00",
        "360000000.00",
    )
    assert build_cases(today) == 0


def test_clues_in_every_state_with_referrals_both_ways(demo_city: Any) -> None:
    from django.utils import timezone

    from baolei.clues.models import Clue, ClueStatus, Direction, Referral
    from baolei.demo.clues import build_clues
    from baolei.ledger.calendar import seed_from_package

    seed_from_package()
    today = timezone.localdate()
    assert build_clues(today, count=96) == 96
    assert set(Clue.objects.values_list("status", flat=True)) == set(ClueStatus.values)
    directions = set(Referral.objects.values_list("direction", flat=True))
    assert {Direction.TO_DISCIPLINE, Direction.TO_POLICE} <= directions
    assert build_clues(today) == 0
