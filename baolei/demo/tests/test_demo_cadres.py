"""The demo city's village cadres, built once for the module (it takes the longest of
the demo), and the background review run over them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from baolei.accounts.models import User
from baolei.regions.models import Level, Region

#: One worker builds the roster once (see ``built_once``).
pytestmark = pytest.mark.xdist_group("demo-cadres")


@pytest.fixture(scope="module")
def roster(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[int]:
    """The demo city and its cadres; the number of appointments the build created."""
    from django.utils import timezone

    from baolei.conftest import built_once
    from baolei.demo.cadres import build_cadres
    from baolei.demo.city import build_city

    with built_once(django_db_blocker, tmp_path_factory):
        build_city()
        yield build_cadres(timezone.localdate())


@pytest.fixture
def demo_cadres(roster: int, db: Any) -> int:
    return roster


def test_cadre_roster_for_every_village_with_evaluation_adjustments_and_training(
    demo_cadres: int,
) -> None:
    from django.utils import timezone

    from baolei.cadres.models import (
        Adjustment,
        Appointment,
        EvaluationCampaign,
        TrainingBase,
        TrainingSession,
    )
    from baolei.cadres.queries import adjustment_summary, campaign_coverage, in_office
    from baolei.demo.cadres import build_cadres
    from baolei.people.idnumber import validate

    today = timezone.localdate()
    assert demo_cadres > 0
    villages = Region.objects.filter(
        level__in=[Level.VILLAGE, Level.COMMUNITY, Level.NEW_COMMUNITY]
    )
    staffed = set(in_office(Appointment.objects.all(), today).values_list("region", flat=True))
    assert set(villages.values_list("pk", flat=True)) - staffed == set()
    leader = User.objects.get(username="city_leader")
    total, counties = campaign_coverage(EvaluationCampaign.objects.get(), leader)
    assert len(counties) == 8 and 0.9 < total.evaluated / total.secretaries < 1
    executed = Adjustment.objects.filter(executed_on__isnull=False)
    assert executed.count() >= 10 and executed.filter(successor__isnull=True).exists()
    assert Adjustment.objects.filter(decision="").exists()
    summary = adjustment_summary(leader, today.replace(year=today.year - 1), today)
    assert summary["total"] == executed.count()
    assert TrainingBase.objects.count() == 8 and TrainingSession.objects.count() == 24
    person = Appointment.objects.select_related("person").first().person  # type: ignore[union-attr]
    from baolei.people import crypto
    from baolei.people.models import ID_COLUMN

    number = crypto.decrypt(person.id_number_encrypted, column=ID_COLUMN)
    assert number.startswith("5299") and validate(number) == number
    before = (Appointment.objects.count(), Adjustment.objects.count())
    assert build_cadres(today) == 0
    assert (Appointment.objects.count(), Adjustment.objects.count()) == before


def test_vetting_run_finds_the_planted_near_matches(demo_cadres: int) -> None:
    from django.utils import timezone

    from baolei.demo.vetting import build_vetting
    from baolei.vetting.models import Candidate, ExternalList, RunStatus, VettingRun

    today = timezone.localdate()
    assert build_vetting(today) > 0
    assert build_vetting(today) == 0
    run = VettingRun.objects.get()
    assert run.status == RunStatus.DONE and ExternalList.objects.count() == 1
    evidence = {e for c in Candidate.objects.filter(run=run, source="external") for e in c.evidence}
    assert {"id_one_edit", "homophone_name", "id_exact"} <= evidence


def test_the_demo_network_answers_the_umbrella_question(demo_cadres: int) -> None:
    """The first gang case's suspects reach two village cadres within two steps."""
    from django.utils import timezone

    from baolei.demo.cases import build_cases
    from baolei.demo.network import build_network, gang_case
    from baolei.network.queries import Filters, umbrella

    today = timezone.localdate()
    build_cases(today)
    assert build_network(today) >= 9
    assert build_network(today) == 0
    case = gang_case()
    assert case is not None
    graph = umbrella(User.objects.get(username="city_leader"), case, 2, Filters())
    cadres = [n for n in graph.nodes.values() if n.cadre and n.kind == "person"]
    assert len(cadres) >= 2, graph.finding
    assert "在任村（社区）干部" in graph.finding
