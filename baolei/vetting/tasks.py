"""Background tasks of the background review, run by `baolei db_worker`."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connection
from django_tasks import task

from baolei.vetting import services

log = logging.getLogger(__name__)


def beat_interval() -> float:
    """A beat at least every few seconds, well inside the stale limit."""
    return float(min(5, max(1, settings.JOB_STALE_SECONDS // 4)))


class Heartbeat(threading.Thread):
    """Beats for a run while its matching is computed; a killed worker stops beating,
    and the sweep (services.sweep_stale_runs) then marks the run failed."""

    def __init__(self, run_id: int) -> None:
        super().__init__(name=f"vetting-heartbeat-{run_id}", daemon=True)
        self.run_id = run_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(beat_interval()):
                try:
                    services.beat(self.run_id)
                except Exception:  # a missed beat is retried; the run itself goes on
                    log.warning("heartbeat of vetting run %s failed", self.run_id, exc_info=True)
        finally:
            connection.close()


@task()
def execute_vetting_run(run_id: int) -> int:
    """Matches a queued run; returns the number of candidates it found."""
    heartbeat = Heartbeat(run_id)
    heartbeat.start()
    try:
        return services.execute_run(run_id).candidates.count()
    finally:
        heartbeat.stopped.set()
        heartbeat.join()
