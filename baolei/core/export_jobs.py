"""Queueing, writing and keeping big exports (see ``baolei.core.models.ExportJob``).

The worker draws the rows through the list page's own view, called as the requester
with the page's query string: the same scoping, role checks, filters and sort as the
page, so a queued file holds exactly the rows the page would have exported."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import HttpRequest, QueryDict
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils import timezone

from baolei.core.models import ExportJob, ExportStatus

log = logging.getLogger(__name__)
INTERRUPTED = "后台任务中断（处理进程停止），请重新导出。"
REFUSED = "您已无权导出此列表。"


def folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def acting_user(request: HttpRequest) -> Any:
    return request.user


def queue(request: HttpRequest, title: str, fmt: str, total: int) -> ExportJob:
    """Records the job and hands it to a worker; the request's own ``export`` parameter
    is kept, the page number dropped (an export is every row)."""
    from baolei.core.tasks import build_export

    purge_expired()
    query = request.GET.copy()
    query.pop("page", None)
    job = ExportJob.objects.create(
        requested_by=acting_user(request),
        title=title[:200],
        path=request.path,
        query=query.urlencode(),
        format=fmt,
        total=total,
    )
    build_export.enqueue(job.pk)
    return job


def view_request(job: ExportJob) -> tuple[Any, HttpRequest]:
    """The list page's view, set up as the requester asking for the export."""
    match = resolve(job.path)
    request = RequestFactory().get(job.path, QueryDict(job.query))
    request.user = job.requested_by
    request.export_job = job  # type: ignore[attr-defined]
    view_class = match.func.view_class  # type: ignore[attr-defined]
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    return view, request


def run(job_id: int) -> ExportJob:
    """Writes the file of a queued job; a failure leaves the job failed with its reason."""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    # The claim: of two workers handed the same job (a retry, a queue that delivers
    # twice), one moves it from queued to running and writes it; the other finds it taken.
    claimed = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, beat_at=timezone.now()
    )
    if not claimed:
        job.refresh_from_db()
        return job
    name = f"{job.pk}-{secrets.token_hex(8)}.{job.format}"
    target = folder() / name
    try:
        user = get_user_model().objects.get(pk=job.requested_by_id)
        if not user.is_active:
            raise PermissionDenied(REFUSED)
        job.requested_by = user
        view, request = view_request(job)
        # dispatch runs the page's own role and policy checks, then its get(), which
        # sees request.export_job and writes the rows into ``target``.
        request.export_target = target  # type: ignore[attr-defined]
        view.dispatch(request, *view.args, **view.kwargs)
    except (PermissionDenied, Resolver404) as exc:
        return fail(job, target, str(exc) or REFUSED)
    except Exception as exc:  # the job must end failed, whatever went wrong
        log.exception("export %s failed", job.pk)
        return fail(job, target, f"导出失败：{type(exc).__name__}")
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        file=name,
        size=target.stat().st_size,
        total=F("done"),  # the rows written, which may differ from the count at queueing
        finished_at=now,
        beat_at=now,
        expires_at=now + timedelta(hours=settings.EXPORT_KEEP_HOURS),
    )
    job.refresh_from_db()
    return job


def progress(job: ExportJob, rows: int) -> None:
    """Called by the writer every few hundred rows: the page's bar, and the beat that
    tells a live job from one whose worker died."""
    ExportJob.objects.filter(pk=job.pk).update(done=rows, beat_at=timezone.now())


def fail(job: ExportJob, target: Path, reason: str) -> ExportJob:
    target.unlink(missing_ok=True)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED, error=reason[:500], finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def sweep_stale() -> int:
    """A job whose worker stopped beating is failed (called when a job page is polled)."""
    limit = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)
    return ExportJob.objects.filter(status=ExportStatus.RUNNING, beat_at__lt=limit).update(
        status=ExportStatus.FAILED, error=INTERRUPTED, finished_at=timezone.now()
    )


def purge_expired() -> int:
    """Deletes the files and records of exports past their download time, and of
    failed ones older than that; returns how many."""
    now = timezone.now()
    old = ExportJob.objects.filter(
        Q(expires_at__lte=now)
        | Q(
            status=ExportStatus.FAILED,
            created_at__lte=now - timedelta(hours=settings.EXPORT_KEEP_HOURS),
        )
    )
    count = 0
    for job in old:
        if job.file:
            (folder() / job.file).unlink(missing_ok=True)
        job.delete()
        count += 1
    return count


def file_path(job: ExportJob) -> Path:
    return folder() / job.file
