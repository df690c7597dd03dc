"""Background tasks of the toolkit, run by `baolei db_worker`."""

from __future__ import annotations

from django_tasks import task

from baolei.core import export_jobs, import_jobs


@task()
def build_export(job_id: int) -> int:
    """Writes a queued export; returns the number of rows written."""
    return export_jobs.run(job_id).done


@task()
def run_import(job_id: int) -> str:
    """Runs a queued import (baolei.core.import_jobs); returns how the job ended."""
    job = import_jobs.run(job_id)
    return job.status if job is not None else "purged"
