"""A run whose worker is killed mid-run is marked 失败 (后台任务中断) and can be run again."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from baolei.audit import guard
from baolei.audit.models import SecurityEvent
from baolei.vetting import services
from baolei.vetting.models import RunStatus, Source, VettingRun

ROOT = Path(__file__).resolve().parents[3]

# A worker process that runs the task function itself; the matching is made to hang so
# the process can be killed while the run is 进行中.
WORKER = """
import sys, time, django
django.setup()
from matching import engine
engine.match_run = lambda *a, **k: time.sleep(60)
from baolei.vetting.tasks import execute_vetting_run
execute_vetting_run.func(int(sys.argv[1]))
"""


@pytest.fixture
def shared_database(world: Any, hit_list: Any, tmp_path: Path) -> Iterator[str]:
    """The test database at an address a second process can open: PostgreSQL's test
    database, or the in-memory SQLite test database copied to a file for the test.
    The security log is emptied at the end (guard lifted) so the closing flush can run."""
    yield from _shared_database(tmp_path)
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_securityevent")
    guard.install(connection)


def _shared_database(tmp_path: Path) -> Iterator[str]:
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        yield (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
        return
    if not connection.is_in_memory_db():
        yield f"sqlite:///{settings_dict['NAME']}"
        return
    connection.ensure_connection()
    memory = connection.connection
    path = tmp_path / "shared.sqlite3"
    target = sqlite3.connect(path)
    memory.backup(target)
    target.close()
    original = settings_dict["NAME"]
    connection.connection = None
    settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings_dict["NAME"] = original
        connection.connection = memory


def wait_until_running(run: VettingRun, worker: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status == RunStatus.RUNNING and run.heartbeat_at is not None:
            return
        assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
        time.sleep(0.2)
    pytest.fail("the worker did not start the run")


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_a_failed_run_that_runs_again(
    world: Any, shared_database: str, client: Any, settings: Any
) -> None:
    run = services.queue_run(actor=world.a_clerk, region=world.county_a, sources=[Source.EXTERNAL])
    env = os.environ | {"BAOLEI_DATABASE_URL": shared_database, "BAOLEI_JOB_STALE_SECONDS": "10"}
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", WORKER, str(run.pk)], cwd=ROOT, env=env, stderr=subprocess.PIPE
    )
    try:
        wait_until_running(run, worker)
        first_beat = run.heartbeat_at
        assert first_beat is not None
        # The heartbeat thread beats every 2 s while the matching runs; on a busy
        # machine the next beat may come late, so wait for it rather than a fixed time.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            time.sleep(0.5)
            run.refresh_from_db()
            if run.heartbeat_at is not None and run.heartbeat_at > first_beat:
                break
        assert run.heartbeat_at is not None and run.heartbeat_at > first_beat
        settings.JOB_STALE_SECONDS = 10
        assert services.sweep_stale_runs() == 0  # a live run is left alone
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and run.progress < 100  # stuck, as it was

    settings.JOB_STALE_SECONDS = 1
    time.sleep(1.2)
    client.force_login(world.a_clerk)
    page = client.get(reverse("vetting:run", args=[run.pk]), headers={"HX-Request": "true"})
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error == "后台任务中断"
    assert page.headers.get("HX-Refresh") == "true"  # the page stops polling
    status = client.get(reverse("vetting:run", args=[run.pk]), headers={"HX-Request": "true"})
    assert "hx-trigger" not in status.content.decode() and "重新运行" in status.content.decode()
    assert SecurityEvent.objects.filter(
        action="vetting_run_failed", target=f"vetting.vettingrun:{run.pk}"
    ).exists()

    response = client.post(reverse("vetting:rerun", args=[run.pk]))
    again = VettingRun.objects.filter(pk__gt=run.pk).get()
    assert response["Location"] == reverse("vetting:run", args=[again.pk])
    assert again.status == RunStatus.DONE
    assert (again.region, again.sources, again.threshold) == (
        run.region,
        run.sources,
        run.threshold,
    )
    control = services.run_vetting(
        actor=world.a_clerk, region=world.county_a, sources=[Source.EXTERNAL]
    )

    def found(r: VettingRun) -> list[tuple[Any, ...]]:
        return sorted(
            (c.appointment_id, c.entry_id, c.matched_name, c.score) for c in r.candidates.all()
        )

    assert found(again) == found(control) and [c[2] for c in found(again)] == ["張建國"]


def test_only_a_failed_run_can_be_run_again(world: Any, hit_list: Any, client: Any) -> None:
    run = services.run_vetting(
        actor=world.a_clerk, region=world.county_a, sources=[Source.EXTERNAL]
    )
    before = VettingRun.objects.count()
    client.force_login(world.a_clerk)
    response = client.post(reverse("vetting:rerun", args=[run.pk]), follow=True)
    assert "只有失败的比对批次可以重新运行" in response.content.decode()
    assert VettingRun.objects.count() == before


def test_a_run_out_of_scope_cannot_be_run_again(world: Any, hit_list: Any, client: Any) -> None:
    run = services.queue_run(actor=world.a_clerk, region=world.county_a, sources=[Source.EXTERNAL])
    VettingRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)
    before = VettingRun.objects.count()
    client.force_login(world.b_clerk)
    assert client.post(reverse("vetting:rerun", args=[run.pk])).status_code == 404
    assert VettingRun.objects.count() == before
