"""Background tasks of the background review, run by `baolei db_worker`."""

from __future__ import annotations

from django_tasks import task

from baolei.vetting import services


@task()
def execute_vetting_run(run_id: int) -> int:
    """Matches a queued run; returns the number of candidates it found."""
    return services.execute_run(run_id).candidates.count()
