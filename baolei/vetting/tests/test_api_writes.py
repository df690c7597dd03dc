"""Running a failed vetting run again and following a confirmed hit up through the API do
what the run and candidate pages do: the same rows, record history and security-log
entries, the same refusals (the machinery is in ``baolei.web.tests.equivalence``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client

from baolei.cadres.models import Adjustment, Appointment
from baolei.clues.models import Clue
from baolei.vetting import services
from baolei.vetting.models import Candidate, ExternalList, RunStatus, Source, VettingRun
from baolei.vetting.tests.conftest import make_candidate
from baolei.web.tests.equivalence import (
    Act,
    checks_for,
    post_as,
)

TODAY = date(2026, 11, 26)
PERSONAS = [
    "a_clerk",
    "a_reviewer",
    "city_leader",
    "b_clerk",
    "discipline_clerk",
    "auditadmin",
    "a_sysadmin",
]


@pytest.fixture(autouse=True)
def frozen() -> Any:
    """A run is named by the minute it started, a clue and a proposal dated today: the
    page's and the API's are made at the same instant."""
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@dataclass
class Cast:
    world: Any
    cadre: Appointment
    hit_list: ExternalList
    page: Client
    api: Client

    def persona(self, name: str) -> Any:
        return self.world.users[name]


@pytest.fixture
def cast(world: Any, cadre: Appointment, hit_list: ExternalList) -> Cast:
    return Cast(world, cadre, hit_list, Client(), Client())


def page(url: str, fields: dict[str, Any]) -> Any:
    return lambda cast, record: (url.format(record.pk), fields)


def api(url: str, body: dict[str, Any]) -> Any:
    return lambda cast, record: (url.format(record.pk), body)


def failed_run(cast: Cast) -> VettingRun:
    """A county-A run against the police list whose worker died."""
    run = services.queue_run(
        actor=cast.world.a_clerk, region=cast.world.county_a, sources=[Source.EXTERNAL]
    )
    VettingRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error="后台任务中断")
    run.refresh_from_db()
    return run


def confirmed_hit(cast: Cast) -> Candidate:
    """张建国 on the police list, confirmed by the county-A reviewer without a follow-up."""
    run = VettingRun.objects.create(
        region=cast.world.county_a, sources=[Source.EXTERNAL], threshold=0.2, status="done"
    )
    hit = make_candidate(run, cast.cadre, cast.hit_list.entries.first(), 0.9, "張建國")
    services.decide_candidate(actor=cast.world.a_reviewer, candidate=hit, decision="confirmed")
    return hit


FOLLOW_UP = {"open_clue": True, "propose_adjustment": True, "adjustment_reason": "gang_evil"}

ACTS = [
    Act(
        "rerun",
        failed_run,
        "a_clerk",
        "city_leader",
        page("/vetting/{}/rerun/", {}),
        api("/api/v1/vetting/runs/{}/rerun/", {}),
        apps=("vetting", "notices"),
    ),
    Act(
        "follow_up",
        confirmed_hit,
        "a_reviewer",
        "a_clerk",
        page(
            "/vetting/candidates/{}/follow-up/",
            {"open_clue": "on", "propose_adjustment": "on", "adjustment_reason": "gang_evil"},
        ),
        api("/api/v1/vetting/candidates/{}/follow-up/", FOLLOW_UP),
        apps=("vetting", "clues", "cadres", "notices"),
    ),
]


(
    test_the_page_and_the_api_write_the_same,
    test_the_page_and_the_api_refuse_the_same,
    test_every_persona_is_answered_alike,
) = checks_for(ACTS, PERSONAS)

post = post_as


def test_records_out_of_scope_are_not_found_and_stay(cast: Cast) -> None:
    w = cast.world
    run = w.outsider_rows[VettingRun]
    VettingRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)
    runs = VettingRun.objects.count()
    assert post(cast, "a_clerk", f"/api/v1/vetting/runs/{run.pk}/rerun/", {}).status_code == 404
    assert VettingRun.objects.count() == runs
    hit = w.outsider_rows[Candidate]
    Candidate.objects.filter(pk=hit.pk).update(decision="confirmed")
    url = f"/api/v1/vetting/candidates/{hit.pk}/follow-up/"
    assert post(cast, "a_reviewer", url, FOLLOW_UP).status_code == 404
    hit.refresh_from_db()
    assert hit.clue_id is None and hit.adjustment_id is None


def test_a_malformed_follow_up_is_refused_in_chinese(cast: Cast) -> None:
    hit = confirmed_hit(cast)
    clues, adjustments = Clue.objects.count(), Adjustment.objects.count()
    url = f"/api/v1/vetting/candidates/{hit.pk}/follow-up/"
    for body, name in (
        ({"open_clue": "也许"}, "open_clue"),
        ({"propose_adjustment": True, "adjustment_reason": "unknown"}, "adjustment_reason"),
    ):
        answer = post(cast, "a_reviewer", url, body)
        assert answer.status_code == 400, body
        assert any("\u4e00" <= ch <= "\u9fff" for ch in answer.json()[name][0]), body
    hit.refresh_from_db()
    assert hit.clue_id is None and hit.adjustment_id is None
    assert (Clue.objects.count(), Adjustment.objects.count()) == (clues, adjustments)


def test_only_a_failed_run_runs_again(cast: Cast) -> None:
    done = services.run_vetting(
        actor=cast.world.a_clerk, region=cast.world.county_a, sources=[Source.EXTERNAL]
    )
    runs = VettingRun.objects.count()
    answer = post(cast, "a_clerk", f"/api/v1/vetting/runs/{done.pk}/rerun/", {})
    assert answer.status_code == 400
    assert "只有失败的比对批次可以重新运行" in str(answer.json())
    assert VettingRun.objects.count() == runs


def test_the_rerun_answers_the_new_run(cast: Cast) -> None:
    failed = failed_run(cast)
    answer = post(cast, "a_clerk", f"/api/v1/vetting/runs/{failed.pk}/rerun/", {})
    assert answer.status_code == 201
    body = answer.json()
    again = VettingRun.objects.get(pk=body["id"])
    assert again.pk != failed.pk and body["status"] == again.status == RunStatus.DONE
    assert (body["region"], body["sources"], body["threshold"]) == (
        failed.region_id,
        failed.sources,
        failed.threshold,
    )
    assert [c.matched_name for c in again.candidates.all()] == ["張建國"]


def test_an_unconfirmed_hit_is_not_followed_up(cast: Cast) -> None:
    hit = confirmed_hit(cast)
    services.decide_candidate(
        actor=cast.world.a_reviewer, candidate=hit, decision="unsure", note="再核", change=True
    )
    url = f"/api/v1/vetting/candidates/{hit.pk}/follow-up/"
    answer = post(cast, "a_reviewer", url, {"open_clue": True})
    assert answer.status_code == 400 and "只有确认命中" in str(answer.json())
    hit.refresh_from_db()
    assert hit.clue_id is None


def test_a_hit_opens_one_clue_and_answers_the_candidate(cast: Cast) -> None:
    hit = confirmed_hit(cast)
    url = f"/api/v1/vetting/candidates/{hit.pk}/follow-up/"
    first = post(cast, "a_reviewer", url, {"open_clue": True})
    assert first.status_code == 200
    body = first.json()
    clue = Clue.objects.get(pk=body["clue"])
    assert "背景审查发现" in clue.summary and body["adjustment"] is None
    second = post(cast, "a_reviewer", url, FOLLOW_UP).json()
    assert second["clue"] == clue.pk and second["adjustment"] is not None
    assert Clue.objects.filter(source="vetting_hit").count() == 1


def test_both_writes_are_documented() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths, components = schema["paths"], schema["components"]["schemas"]
    follow_up = paths["/api/v1/vetting/candidates/{id}/follow-up/"]["post"]
    body = follow_up["requestBody"]["content"]["application/json"]
    request = components[body["schema"]["$ref"].rsplit("/", 1)[1]]
    ((summary, example),) = body["examples"].items()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in summary)
    assert set(example["value"]) == set(request["properties"])
    assert "/AdjustmentReasonEnum" in str(request["properties"]["adjustment_reason"])
    rerun = paths["/api/v1/vetting/runs/{id}/rerun/"]["post"]
    assert "requestBody" not in rerun
    for operation, code in ((follow_up, "200"), (rerun, "201")):
        answer = operation["responses"][code]["content"]["application/json"]["schema"]
        assert "$ref" in answer


def test_starting_a_run_asks_the_rule_before_the_body(cast: Cast) -> None:
    """As the page: one who may not start a run is refused (403, the rule's reason, in the
    security log) whatever the body, never answered on its fields."""
    from baolei.audit.models import SecurityEvent

    refused = post(cast, "city_leader", "/api/v1/vetting/runs/", {"region": "乱码"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "只有录入员或审核员可以发起背景审查比对。"
    assert SecurityEvent.objects.filter(action="access_denied", actor="city_leader").exists()
