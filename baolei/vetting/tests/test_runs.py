"""Runs execute as a background task with progress; a failed run leaves nothing half-written."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from baolei.audit.models import SecurityEvent
from baolei.clues.models import Source as ClueSource
from baolei.vetting import services
from baolei.vetting.models import Candidate, Decision, ExternalEntry, RunStatus, Source, VettingRun
from baolei.vetting.tasks import execute_vetting_run

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queued(settings: Any) -> Any:
    """Tasks are stored but not run, as when no worker has picked them up yet."""
    settings.TASKS = DUMMY
    from django_tasks import default_task_backend

    return default_task_backend


def start(world: Any) -> VettingRun:
    return services.start_run(actor=world.a_clerk, region=world.county_a, sources=[Source.EXTERNAL])


def test_vetting_end_to_end_through_the_service(world, hit_list):
    run = start(world)
    assert run.status == RunStatus.DONE and run.progress == 100
    candidate = Candidate.objects.get(run=run)
    assert candidate.matched_name == "張建國"
    services.decide_candidate(
        actor=world.a_reviewer, candidate=candidate, decision=Decision.CONFIRMED, open_clue=True
    )
    candidate.refresh_from_db()
    assert candidate.decision == Decision.CONFIRMED and candidate.records.count() == 1
    assert candidate.clue is not None and candidate.clue.source == ClueSource.VETTING_HIT
    audited = SecurityEvent.objects.filter(target=f"vetting.candidate:{candidate.pk}")
    assert audited.filter(action="vetting_decision").exists()
    assert SecurityEvent.objects.filter(
        target=f"vetting.vettingrun:{run.pk}", action="vetting_run_done"
    ).exists()


def test_start_run_only_queues_the_task(world, hit_list, queued):
    run = start(world)
    assert run.status == RunStatus.QUEUED and run.progress == 0
    assert not run.candidates.exists()
    [result] = queued.results
    assert result.task.func is execute_vetting_run.func and result.args == [run.pk]
    services.execute_run(run.pk)  # what the worker does
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100 and run.cadres_total == 1
    assert run.candidates.count() == 1


def test_a_task_delivered_twice_runs_once(world, hit_list):
    run = start(world)
    services.execute_run(run.pk)
    assert Candidate.objects.filter(run=run).count() == 1


def test_failed_run_is_marked_failed_with_its_error_and_no_candidates(world, hit_list):
    # An entry written under another encryption key cannot be read: the run must fail whole.
    ExternalEntry.objects.filter(name="李四").update(id_number_encrypted="v1:AAAA")
    run = start(world)
    assert run.status == RunStatus.FAILED and run.finished_at is not None
    assert "DecryptionError" in run.error
    assert not Candidate.objects.filter(run=run).exists()
    assert SecurityEvent.objects.filter(
        target=f"vetting.vettingrun:{run.pk}", action="vetting_run_failed", success=False
    ).exists()


def test_run_form_starts_a_background_run(world, hit_list, client, queued):
    client.force_login(world.a_clerk)
    response = client.post(
        reverse("vetting:create"),
        {"region": world.county_a.pk, "sources": ["external"], "threshold": "0.2"},
    )
    run = VettingRun.objects.get(region=world.county_a)
    assert response["Location"] == reverse("vetting:run", args=[run.pk])
    assert run.status == RunStatus.QUEUED and len(queued.results) == 1


def test_run_page_polls_its_progress_until_done(world, hit_list, client, queued):
    run = start(world)
    client.force_login(world.a_clerk)
    url = reverse("vetting:run", args=[run.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "排队中" in page
    partial = client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "HX-Refresh" not in partial
    services.execute_run(run.pk)
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial["HX-Refresh"] == "true"
    page = client.get(url).content.decode()
    assert "hx-trigger" not in page and "張建國" in page


def test_failed_run_page_shows_the_error(world, hit_list, client):
    ExternalEntry.objects.filter(name="李四").update(id_number_encrypted="v1:AAAA")
    run = start(world)
    client.force_login(world.a_clerk)
    page = client.get(reverse("vetting:run", args=[run.pk])).content.decode()
    assert "比对失败" in page and "未写入任何疑似命中" in page


def test_run_stores_and_shows_the_weights_estimated_on_its_pairs(world, hit_list, client):
    from matching import engine

    run = start(world)
    run.refresh_from_db()
    rows = {(w["field"], w["level"]): w for w in run.weights}
    prior = engine.Model.fitted().log_weights()
    same_name = rows[("name", "exact")]
    assert same_name["prior"] == pytest.approx(prior["name"][1], abs=1e-3)
    assert same_name["moved"] == pytest.approx(
        same_name["estimated"] - same_name["prior"], abs=2e-3
    )
    # A run of one cadre barely moves a weight from its prior, and never past the bound.
    assert all(abs(w["moved"]) <= engine.EM_BOUND + 1e-9 for w in run.weights)
    client.force_login(world.a_clerk)
    page = client.get(reverse("vetting:run", args=[run.pk])).content.decode()
    assert "本批次的比对权重" in page and "同村" in page and "同音" in page
