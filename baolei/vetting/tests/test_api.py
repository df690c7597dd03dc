"""Starting runs and deciding candidates through the API, scoped like the pages."""

from __future__ import annotations

from typing import Any

from baolei.audit.models import SecurityEvent
from baolei.cadres.models import Appointment
from baolei.clues.models import Clue
from baolei.vetting.models import Candidate, Decision, DecisionRecord, VettingRun
from baolei.vetting.tests.conftest import make_candidate


def test_a_run_started_through_the_api_finds_the_hit(
    world: Any, client: Any, cadre: Appointment, hit_list: Any
) -> None:
    client.force_login(world.users["a_clerk"])
    response = client.post(
        "/api/v1/vetting/runs/",
        {"region": world.county_a.code, "sources": ["external"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    run = VettingRun.objects.get(pk=response.json()["id"])
    run.refresh_from_db()
    assert run.status == "done" and run.progress == 100
    assert run.candidates.filter(appointment=cadre, matched_name="張建國").exists()


def test_a_bad_run_request_is_refused_and_creates_nothing(
    world: Any, client: Any, cadre: Appointment
) -> None:
    client.force_login(world.users["a_clerk"])
    runs = VettingRun.objects.count()  # the world holds a county-B run already
    bad_source = client.post(
        "/api/v1/vetting/runs/",
        {"region": world.county_a.code, "sources": ["rumours"]},
        content_type="application/json",
    )
    assert bad_source.status_code == 400
    other_county = client.post(
        "/api/v1/vetting/runs/",
        {"region": world.county_b.code, "sources": ["external"]},
        content_type="application/json",
    )
    assert other_county.status_code == 403
    assert VettingRun.objects.count() == runs


def test_a_run_listing_a_source_twice_is_refused_and_creates_nothing(
    world: Any, client: Any, cadre: Appointment
) -> None:
    client.force_login(world.users["a_clerk"])
    runs, events = VettingRun.objects.count(), SecurityEvent.objects.count()
    response = client.post(
        "/api/v1/vetting/runs/",
        {"region": world.county_a.code, "sources": ["external"] * 25},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "比对来源不能重复" in response.json()["sources"][0]
    mixed = client.post(
        "/api/v1/vetting/runs/",
        {"region": world.county_a.code, "sources": ["external", "cases", "external"]},
        content_type="application/json",
    )
    assert mixed.status_code == 400, mixed.content
    assert VettingRun.objects.count() == runs
    assert SecurityEvent.objects.count() == events


def test_deciding_through_the_api_is_recorded_audited_and_opens_a_clue(
    world: Any, client: Any, cadre: Appointment, hit_list: Any
) -> None:
    run = VettingRun.objects.create(region=world.county_a, sources=["external"], threshold=0.2)
    candidate = make_candidate(run, cadre, hit_list.entries.first(), 0.9, "張建國")
    client.force_login(world.users["a_reviewer"])
    url = f"/api/v1/vetting/candidates/{candidate.pk}/decide/"
    unexplained = client.post(url, {"decision": "dismissed"}, content_type="application/json")
    assert unexplained.status_code == 400
    undecided = client.post(url, {"decision": "pending"}, content_type="application/json")
    assert undecided.status_code == 400
    assert Candidate.objects.get(pk=candidate.pk).decision == Decision.PENDING
    events = SecurityEvent.objects.count()
    response = client.post(
        url,
        {"decision": "confirmed", "note": "身份证号一位之差，经核实为同一人", "open_clue": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["decision"] == "confirmed" and response.json()["clue"]
    assert Clue.objects.filter(pk=response.json()["clue"]).exists()
    assert DecisionRecord.objects.filter(candidate=candidate, decision="confirmed").count() == 1
    assert SecurityEvent.objects.count() > events
    again = client.post(
        url, {"decision": "dismissed", "note": "误报"}, content_type="application/json"
    )
    assert again.status_code == 400  # decided already: only an explicit change


def test_bulk_decisions_through_the_api_touch_only_the_reviewers_scope(
    world: Any, client: Any, cadre: Appointment, hit_list: Any
) -> None:
    entry = hit_list.entries.first()
    run = VettingRun.objects.create(region=world.county_a, sources=["external"], threshold=0.2)
    mine = [make_candidate(run, cadre, entry, s, f"甲{n}") for n, s in enumerate((0.3, 0.4))]
    b_run = VettingRun.objects.create(region=world.county_b, sources=["external"], threshold=0.2)
    theirs = make_candidate(b_run, world.outsider_rows[Appointment], entry, 0.3, "乙县低分")
    client.force_login(world.users["a_reviewer"])
    response = client.post(
        "/api/v1/vetting/candidates/bulk-decide/",
        {"ids": [c.pk for c in [*mine, theirs]], "decision": "dismissed", "note": "同名不同人"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json() == {"decided": 2}
    assert {Candidate.objects.get(pk=c.pk).decision for c in mine} == {Decision.DISMISSED}
    assert Candidate.objects.get(pk=theirs.pk).decision == Decision.PENDING
    outside = client.post(
        f"/api/v1/vetting/candidates/{theirs.pk}/decide/",
        {"decision": "dismissed", "note": "x"},
        content_type="application/json",
    )
    assert outside.status_code == 404
