"""Background tasks of the toolkit, run by `baolei db_worker`."""

from __future__ import annotations

from django_tasks import task

from baolei.core import export_jobs


@task()
def build_export(job_id: int) -> int:
    """Writes a queued export; returns the number of rows written."""
    return export_jobs.run(job_id).done
