"""Big exports as background jobs: the queued file holds what the page would have
exported, it is its requester's alone, shows its progress and ends."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from baolei.audit.models import SecurityEvent
from baolei.core import export_jobs, exports
from baolei.core.models import ExportJob, ExportStatus
from baolei.web.tests.test_office_text import export_urls


def cells(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def download(client: Any, job: ExportJob) -> bytes:
    response = client.get(reverse("web:export_download", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def as_someone_allowed(client: Any, world: Any, url: str) -> Any:
    for persona in ("city_leader", "sysadmin", "auditadmin"):
        client.force_login(world.users[persona])
        response = client.get(url)
        if response.status_code != 403:
            return response
    raise AssertionError(url)


def test_every_list_export_queued_writes_what_the_page_writes(
    world: Any, client: Any, settings: Any
) -> None:
    urls = [u for u in export_urls() if u.endswith("?export=xlsx")]
    assert len(urls) > 15
    written = 0
    for url in urls:
        settings.EXPORT_JOB_ROWS = 10**6
        direct = as_someone_allowed(client, world, url)
        assert direct.status_code == 200, url
        settings.EXPORT_JOB_ROWS = 0
        queued = client.get(url)
        if len(cells(direct.content)) == 2:  # no row: nothing to queue
            assert queued.status_code == 200, url
            continue
        assert queued.status_code == 302, url
        written += 1
        job = ExportJob.objects.visible_to(queued.wsgi_request.user).first()
        assert job is not None and queued["Location"] == reverse(
            "web:export_job", kwargs={"pk": job.pk}
        )
        assert job.status == ExportStatus.DONE, (url, job.error)
        assert cells(download(client, job)) == cells(direct.content), url
        assert job.done == job.total == len(cells(direct.content)) - 2
        job.delete()
    assert written > 15


def test_a_queued_export_is_logged_and_shows_its_progress(
    world: Any, login: Any, settings: Any
) -> None:
    settings.EXPORT_JOB_ROWS = 0
    client = login(world.city_leader)
    response = client.get(reverse("clues:list"), {"export": "csv", "status": "registered"})
    job = ExportJob.objects.get(requested_by=world.city_leader)
    assert job.query == "export=csv&status=registered"
    assert job.list_url == "/clues/?status=registered"
    page = client.get(response["Location"])
    assert "已完成" in page.content.decode() and "下载" in page.content.decode()
    text = download(client, job).decode("utf-8")
    assert text.startswith("\ufeff序号,")
    logged = SecurityEvent.objects.filter(action="export", actor=world.city_leader)
    details = [e.detail for e in logged.order_by("pk")]
    assert details[0]["queued"] is True and details[0]["rows"] == job.total
    assert details[1]["download"] is True and details[1]["job"] == job.pk
    listing = client.get(reverse("web:export_jobs")).content.decode()
    assert job.title in listing


def test_progress_is_reported_as_rows_are_written(
    world: Any, settings: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    seen: list[int] = []
    real = export_jobs.progress
    monkeypatch.setattr(export_jobs, "progress", lambda job, n: (seen.append(n), real(job, n)))
    job = ExportJob.objects.create(
        requested_by=world.city_leader,
        title="人员",
        path="/people/",
        query="export=xlsx",
        format="xlsx",
        total=3,
    )
    export_jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert seen == sorted(seen) and seen[-1] == job.done and len(seen) >= 2


def test_the_worker_asks_the_page_s_own_checks(world: Any) -> None:
    """A clerk who may not open the users' list cannot have it written either."""
    job = ExportJob.objects.create(
        requested_by=world.a_clerk,
        title="用户",
        path=reverse("accounts:users"),
        query="export=xlsx",
        format="xlsx",
    )
    export_jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.error and not job.file
    world.a_clerk.is_active = False
    world.a_clerk.save()
    again = ExportJob.objects.create(
        requested_by=world.a_clerk, title="线索", path="/clues/", query="export=xlsx", format="xlsx"
    )
    assert export_jobs.run(again.pk).error == export_jobs.REFUSED


def test_an_export_is_its_requester_s_alone(world: Any, login: Any, settings: Any) -> None:
    settings.EXPORT_JOB_ROWS = 0
    login(world.city_leader).get(reverse("clues:list"), {"export": "xlsx"})
    job = ExportJob.objects.get(requested_by=world.city_leader)
    other = login(world.sysadmin)
    for name in ("web:export_job", "web:export_download"):
        assert other.get(reverse(name, kwargs={"pk": job.pk})).status_code == 404
    assert job.title not in other.get(reverse("web:export_jobs")).content.decode()


def test_a_job_whose_worker_stopped_fails_and_old_files_go(
    world: Any, login: Any, settings: Any
) -> None:
    stale = ExportJob.objects.create(
        requested_by=world.city_leader,
        title="台账",
        path="/ledger/",
        format="xlsx",
        status=ExportStatus.RUNNING,
        beat_at=timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 1),
    )
    page = login(world.city_leader).get(reverse("web:export_job", kwargs={"pk": stale.pk}))
    assert export_jobs.INTERRUPTED in page.content.decode()
    settings.EXPORT_JOB_ROWS = 0
    login(world.city_leader).get(reverse("clues:list"), {"export": "xlsx"})
    done = ExportJob.objects.get(status=ExportStatus.DONE)
    path = export_jobs.file_path(done)
    assert path.exists()
    ExportJob.objects.filter(pk=done.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = login(world.city_leader).get(reverse("web:export_download", kwargs={"pk": done.pk}))
    assert response.status_code == 404
    assert export_jobs.purge_expired() >= 1
    assert not path.exists() and not ExportJob.objects.filter(pk=done.pk).exists()


@pytest.mark.parametrize("rows", [0, 1, 1234])
def test_the_streamed_sheet_is_the_sheet_in_memory(rows: int) -> None:
    columns = [exports.Column("名称", lambda r: r[0]), exports.Column("日期", lambda r: r[1])]
    data = [(f"=名称{i}", timezone.localdate()) for i in range(rows)]
    memory = io.BytesIO()
    exports.build_workbook("清单", columns, data).save(memory)
    streamed = io.BytesIO()
    exports.write_xlsx(streamed, "清单", columns, data)
    assert cells(streamed.getvalue()) == cells(memory.getvalue())
    assert len(cells(streamed.getvalue())) == rows + 2


def test_all_ledgers_are_queued_as_one_zip(world: Any, login: Any, settings: Any) -> None:
    client = login(world.city_leader)
    settings.EXPORT_JOB_ROWS = 10**6
    direct = client.get(reverse("reports:ledgers_zip"))
    assert direct["Content-Type"] == "application/zip"
    settings.EXPORT_JOB_ROWS = 0
    queued = client.get(reverse("reports:ledgers_zip"))
    job = ExportJob.objects.get(requested_by=world.city_leader)
    assert queued["Location"] == reverse("web:export_job", kwargs={"pk": job.pk})
    assert job.status == ExportStatus.DONE and job.format == "zip" and job.done == job.total > 0
    books = [zipfile.ZipFile(io.BytesIO(c)) for c in (direct.content, download(client, job))]
    names = books[0].namelist()
    assert names == books[1].namelist() and len(names) == 9
    for name in names:
        assert cells(books[0].read(name)) == cells(books[1].read(name)), name
    rows = sum(len(cells(books[1].read(name))) - 2 for name in names)
    assert rows == job.total


def test_a_job_is_written_once_however_often_it_is_handed_out(world: Any, monkeypatch: Any) -> None:
    """Two workers handed the same job both read it as queued; only the one whose
    conditional update moves it to running writes it."""
    job = ExportJob.objects.create(
        requested_by=world.city_leader,
        title="线索",
        path="/clues/",
        query="export=csv",
        format="csv",
    )
    first = export_jobs.run(job.pk)
    assert first.status == ExportStatus.DONE
    stale = ExportJob.objects.get(pk=job.pk)
    stale.status = ExportStatus.QUEUED  # what the second worker read before the first claimed it
    reads = ExportJob.objects.select_related("requested_by")
    monkeypatch.setattr(
        ExportJob.objects,
        "select_related",
        lambda *a: type("Q", (), {"get": lambda self, **k: stale})(),
    )
    second = export_jobs.run(job.pk)
    monkeypatch.undo()
    assert second.file == first.file
    assert [p.name for p in export_jobs.folder().iterdir()] == [first.file]
    assert reads.get(pk=job.pk).status == ExportStatus.DONE
