"""Big spreadsheet imports, run by a background worker (``baolei.core.models.ImportJob``).

An upload of more than ``settings.IMPORT_JOB_ROWS`` data rows to any import page is not
imported in the request (10,000 ledger rows outlast the web server's timeout): the page's
``QueuedImportMixin`` saves the file under ``MEDIA_ROOT/imports/`` with a random name,
records the job and queues it.  The worker posts the same form again to the page's own
view, signed in as the requester (as ``export_jobs`` replays a list page), so every role,
policy and scope check of the page runs again at run time, and the page's own code does
the import through ``baolei.core.importing.run`` — still all rows or none, logged by the
engine under the requester.  The report reaches the job through
``importing.watching``, a context variable the worker sets to a ``Watcher``; with it set
``keep_errors`` needs no session (the job keeps the error workbook itself).

Progress, and why it lives in two places.  Reading and checking run outside any
transaction, so the phase (读取/校验), the rows done and the beat are plain updates of
the job's row.  Writing (写入) runs in the import's one transaction: on SQLite no other
connection could write the job's row meanwhile and the worker's own updates would hold
the write lock anyway, and on PostgreSQL updates made inside it are not seen by anyone
until it commits.  So while rows are written the worker keeps its progress and beat in a
small JSON file beside the upload (``<upload>.json``, replaced atomically), which the job
page reads, and ``sweep_stale`` fails a running job only when both its row's beat and
that file's are older than ``settings.JOB_STALE_SECONDS`` — a long apply that is alive
is never marked failed, and a sweep never writes while a live apply holds SQLite's lock.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.base import BaseStorage
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponseBase, QueryDict
from django.shortcuts import redirect
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils import timezone

from baolei.core import export_jobs, importing, security_log
from baolei.core.models import ImportJob, ImportStatus

log = logging.getLogger(__name__)
INTERRUPTED = "后台任务中断（处理进程停止），未导入任何数据，请重新上传。"
REFUSED = "您已无权使用此导入功能。"
NOT_RUN = "导入未执行，未导入任何数据：请回到导入页重新上传文件。"


def folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_path(job: ImportJob) -> Path:
    return folder() / f"{job.upload}.json"


def remove_upload(job: ImportJob) -> None:
    """The saved upload and its progress file go when the job ends."""
    if job.upload:
        for path in (folder() / job.upload, progress_path(job)):
            path.unlink(missing_ok=True)
        progress_path(job).with_suffix(".tmp").unlink(missing_ok=True)


class QueuedImportMixin:
    """Put on an import page before its generic base view (after any mixin whose
    ``dispatch`` checks roles, policy or scope): a POST whose file has more than
    ``settings.IMPORT_JOB_ROWS`` data rows is queued (the checks have passed by then);
    any other, and the worker's replay, goes to the page's own ``post``."""

    #: What is imported, as the job lists it (台账导入).
    import_title: str = "导入"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST" and getattr(request, "import_job", None) is None:
            upload = request.FILES.get("file")
            if upload is not None and self.queue_ready() and over_threshold(upload):
                return queue(request, self.import_title, upload)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def queue_ready(self) -> bool:
        """A form page queues only a form that is valid but for the size of its file;
        an invalid one is answered in the request, with its errors, as before."""
        get_form = getattr(self, "get_form", None)
        return get_form is None or bool(get_form().is_valid())


def over_threshold(upload: UploadedFile) -> bool:
    limit = settings.IMPORT_JOB_ROWS
    csv = (upload.name or "").lower().endswith(".csv")
    return importing.count_rows(upload, csv=csv, stop_after=limit) > limit


def queue(request: HttpRequest, title: str, upload: UploadedFile) -> HttpResponseBase:
    """Saves the upload, records the job, hands it to a worker and sends the user to
    the job's page."""
    from baolei.core.tasks import run_import

    purge_expired()
    name = upload.name or ""
    saved = secrets.token_hex(16) + (".csv" if name.lower().endswith(".csv") else ".xlsx")
    with (folder() / saved).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    fields = request.POST.copy()
    fields.pop("csrfmiddlewaretoken", None)
    fields.pop("file", None)
    job = ImportJob.objects.create(
        requested_by=export_jobs.acting_user(request),
        title=title[:200],
        path=request.path,
        fields=fields.urlencode(),
        filename=name[:255],
        upload=saved,
    )
    security_log.record(
        security_log.IMPORT,
        request=request,
        target=name or title,
        detail={"queued": True, "job": job.pk, "path": request.path},
    )
    run_import.enqueue(job.pk)
    messages.info(
        request,
        f"文件超过 {settings.IMPORT_JOB_ROWS} 行，已转入后台导入（仍是全部导入或全部不导入）；"
        "可在本页查看进度和结果。",
    )
    return redirect("web:import_job", pk=job.pk)


class Watcher(importing.Observer):
    """The worker's side of ``importing.watching``: progress to the job's row while
    outside the transaction, to the progress file while inside; the report kept."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.report: importing.ImportReport | None = None

    def phase(self, name: str, total: int) -> None:
        now = timezone.now()
        ImportJob.objects.filter(pk=self.job.pk).update(
            phase=name, total=total, done=0, beat_at=now
        )
        if name == importing.APPLYING:  # the row is not written again until the end
            self.write_file(name, 0, total)

    def checked(self, done: int, total: int) -> None:
        ImportJob.objects.filter(pk=self.job.pk).update(done=done, beat_at=timezone.now())

    def applied(self, done: int, total: int) -> None:
        self.write_file(importing.APPLYING, done, total)

    def finished(self, report: importing.ImportReport) -> None:
        self.report = report

    def write_file(self, phase: str, done: int, total: int) -> None:
        target = progress_path(self.job)
        partial = target.with_suffix(".tmp")
        beat = timezone.now().isoformat()
        partial.write_text(json.dumps({"phase": phase, "done": done, "total": total, "beat": beat}))
        os.replace(partial, target)


def read_progress(job: ImportJob) -> dict[str, Any] | None:
    """The progress file of a job writing its rows, or None."""
    if not job.upload:
        return None
    try:
        data = json.loads(progress_path(job).read_text())
        return {
            "phase": str(data["phase"]),
            "done": int(data["done"]),
            "total": int(data["total"]),
            "beat": datetime.fromisoformat(data["beat"]),
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None


def progress(job: ImportJob) -> dict[str, Any]:
    """What the job page shows: its phase and rows done of total, from the progress
    file while the rows are written."""
    phase, done, total = job.phase, job.done, job.total
    kept = read_progress(job) if job.status == ImportStatus.RUNNING else None
    if kept is not None:
        phase, done, total = kept["phase"], kept["done"], kept["total"]
    if job.status == ImportStatus.DONE:
        percent = 100
    else:
        percent = min(99, done * 100 // total) if total else 0
    return {"phase": phase, "done": done, "total": total, "percent": percent}


class KeptMessages(BaseStorage):
    """The replayed page's messages, kept in memory (the worker has no session)."""

    def _get(self, *args: Any, **kwargs: Any) -> tuple[list[Any], bool]:
        return [], True

    def _store(self, messages: list[Any], response: Any, *args: Any, **kwargs: Any) -> list[Any]:
        return []


def view_request(job: ImportJob, stream: Any) -> tuple[Any, HttpRequest]:
    """The import page's view, set up as the requester posting the saved form again."""
    match = resolve(job.path)
    data: dict[str, Any] = dict(QueryDict(job.fields).lists())
    data["file"] = File(stream, name=job.filename or "upload.xlsx")
    request = RequestFactory().post(job.path, data)
    request.user = job.requested_by
    request.import_job = job  # type: ignore[attr-defined]
    request._messages = KeptMessages(request)  # type: ignore[attr-defined]
    view_class = match.func.view_class  # type: ignore[attr-defined]
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    return view, request


def run(job_id: int) -> ImportJob | None:
    """Runs a queued job once; whatever happens it ends done or failed, and its upload
    and progress file are deleted."""
    job = ImportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None:  # purged before a worker came to it
        return None
    # The claim, as for exports: of two workers handed the same job, the one whose
    # conditional update moves it from queued to running runs it; the other leaves it.
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, beat_at=timezone.now()
    )
    if not claimed:
        job.refresh_from_db()
        return job
    if not job.upload:
        return fail(job, NOT_RUN)
    try:
        return replay(job, folder() / job.upload)
    finally:
        remove_upload(job)


def replay(job: ImportJob, upload: Path) -> ImportJob:
    watcher = Watcher(job)
    token = importing.watching.set(watcher)
    try:
        user = get_user_model().objects.get(pk=job.requested_by_id)
        if not user.is_active:
            raise PermissionDenied(REFUSED)
        job.requested_by = user
        with upload.open("rb") as stream:
            view, request = view_request(job, stream)
            response = view.dispatch(request, *view.args, **view.kwargs)
    except (PermissionDenied, Http404, Resolver404) as exc:
        reason = str(exc) if isinstance(exc, PermissionDenied) and str(exc) else REFUSED
        return fail(job, reason)
    except Exception as exc:  # the job must end failed, whatever went wrong
        log.exception("import %s failed", job.pk)
        return fail(
            job,
            f"导入失败（{type(exc).__name__}），未导入任何数据：请重新上传；仍失败请联系系统管理员。",
        )
    finally:
        importing.watching.reset(token)
    report = watcher.report
    if report is None:
        return fail(job, page_error(response) or NOT_RUN)
    if report.errors:
        return refuse(job, report)
    said = [str(m) for m in getattr(request, "_messages", [])]
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        done=F("total"),
        message="；".join(said)[:500],
        next_url=(location or job.path)[:500],
        finished_at=now,
        beat_at=now,
    )
    job.refresh_from_db()
    return job


def page_error(response: Any) -> str:
    """Why the page answered without importing: its form's errors or its message."""
    context = getattr(response, "context_data", None) or {}
    if context.get("error"):
        return str(context["error"])
    form = context.get("form")
    if form is not None and form.errors:
        return "；".join(str(e) for errors in form.errors.values() for e in errors)[:500]
    return ""


def refuse(job: ImportJob, report: importing.ImportReport) -> ImportJob:
    """A refused import wrote nothing; the job keeps the first errors and the workbook."""
    name = f"{job.pk}-{secrets.token_hex(8)}-errors.xlsx"
    (folder() / name).write_bytes(importing.error_workbook(job.title, report.errors))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED,
        error=f"共 {len(report.errors)} 处错误，未导入任何数据。",
        errors=[[e.row, e.column, e.message] for e in report.shown],
        error_count=len(report.errors),
        errors_file=name,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def fail(job: ImportJob, reason: str) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, error=reason[:500], finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def sweep_stale() -> int:
    """A running job whose worker stopped beating is failed (called when the job pages
    are polled).  Its beat is the later of its row's and its progress file's, so a job
    writing its rows in one long transaction stays running while it is alive."""
    limit = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)
    count = 0
    for job in ImportJob.objects.filter(status=ImportStatus.RUNNING, beat_at__lt=limit):
        kept = read_progress(job)
        if kept is not None and kept["beat"] >= limit:
            continue
        count += ImportJob.objects.filter(
            pk=job.pk, status=ImportStatus.RUNNING, beat_at__lt=limit
        ).update(status=ImportStatus.FAILED, error=INTERRUPTED, finished_at=timezone.now())
        remove_upload(job)
    return count


def purge_expired() -> int:
    """Deletes the records (and error workbooks) of jobs finished more than
    ``settings.EXPORT_KEEP_HOURS`` ago; returns how many."""
    before = timezone.now() - timedelta(hours=settings.EXPORT_KEEP_HOURS)
    count = 0
    for job in ImportJob.objects.filter(finished_at__lte=before):
        if job.errors_file:
            (folder() / job.errors_file).unlink(missing_ok=True)
        remove_upload(job)
        job.delete()
        count += 1
    return count


def errors_path(job: ImportJob) -> Path | None:
    path = folder() / job.errors_file if job.errors_file else None
    return path if path is not None and path.exists() else None
