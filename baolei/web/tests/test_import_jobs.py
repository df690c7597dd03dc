"""Big imports as background jobs: an upload over ``IMPORT_JOB_ROWS`` data rows is queued
and run by a worker through the page's own view, as its requester; all or none; once;
its page shows the progress and the outcome, to its requester alone."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from baolei.accounts.models import RoleAssignment
from baolei.audit.models import Action, SecurityEvent
from baolei.cadres.models import Appointment
from baolei.cadres.tests.test_pages import row as roster_row
from baolei.cadres.tests.test_pages import workbook as roster_file
from baolei.clues.models import Clue
from baolei.clues.tests.test_clues import clue_sheet
from baolei.conftest import make_user
from baolei.core import import_jobs, importing
from baolei.core.models import ImportJob, ImportStatus
from baolei.ledger.models import LedgerItem
from baolei.ledger.tests.test_pages import GOOD_ROWS, ledger_file
from baolei.network.models import Relation
from baolei.network.tests.conftest import gang  # noqa: F401 - a fixture for the relation page
from baolei.network.tests.test_pages import sheet as relation_sheet
from baolei.screening.models import Screening, Standing
from baolei.screening.tests.conftest import (  # noqa: F401 - fixtures for the results page
    organiser,
    round_,
    villages,
)
from baolei.screening.tests.test_pages import GOOD_RESULTS, results_file
from baolei.supervision.models import Problem
from baolei.supervision.tests.test_pages import GOOD as PROBLEMS
from baolei.supervision.tests.test_pages import sheet as problem_sheet
from baolei.vetting.models import ExternalEntry, ExternalList
from baolei.vetting.tests.test_vetting import ID_NUMBER

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
BAD_ROW = ["BAD-1", "", "999999999999", "无此单位", "", "", "不是日期", "已完成"]


def only_job(user: Any) -> ImportJob:
    return ImportJob.objects.visible_to(user).get()


def test_a_big_ledger_upload_is_queued_then_written(world: Any, login: Any, settings: Any) -> None:
    settings.IMPORT_JOB_ROWS = 1
    client = login(world.a_clerk)
    response = client.post("/ledger/import/", {"file": ledger_file(GOOD_ROWS)})
    job = only_job(world.a_clerk)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:import_job", kwargs={"pk": job.pk})
    assert job.status == ImportStatus.DONE, job.error
    assert (job.title, job.filename, job.path) == ("台账导入", "ledger.xlsx", "/ledger/import/")
    assert (job.created, job.updated, job.unchanged, job.total) == (2, 0, 0, 2)
    assert job.next_url == reverse("ledger:list")
    assert LedgerItem.objects.filter(key__startswith="JX-").count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and "新增 2 条，更新 0 条，未变 0 条" in page
    assert f'href="{reverse("ledger:list")}"' in page
    assert job.title in client.get(reverse("web:import_jobs")).content.decode()
    # The file is gone once the job has ended; the engine's entry names the requester.
    assert list(import_jobs.folder().iterdir()) == []
    queued, done = SecurityEvent.objects.filter(action=Action.IMPORT).order_by("seq")
    assert queued.detail["queued"] is True and queued.detail["job"] == job.pk
    assert done.actor == world.a_clerk.username and done.detail == job_counts(job)
    # Uploaded again the rows are unchanged: the counts say so.
    client.post("/ledger/import/", {"file": ledger_file(GOOD_ROWS)})
    again = ImportJob.objects.visible_to(world.a_clerk).exclude(pk=job.pk).get()
    assert (again.created, again.updated + again.unchanged) == (0, 2)


def job_counts(job: ImportJob) -> dict[str, int]:
    return {"created": job.created, "updated": job.updated, "unchanged": job.unchanged}


def test_a_small_upload_is_imported_in_the_request(world: Any, login: Any, settings: Any) -> None:
    settings.IMPORT_JOB_ROWS = 2
    response = login(world.a_clerk).post("/ledger/import/", {"file": ledger_file(GOOD_ROWS)})
    assert response["Location"] == reverse("ledger:list")
    assert not ImportJob.objects.visible_to(world.a_clerk).exists()
    assert LedgerItem.objects.filter(key__startswith="JX-").count() == 2


def test_a_refused_job_writes_nothing_and_its_errors_are_the_requester_s(
    world: Any, login: Any, settings: Any
) -> None:
    settings.IMPORT_JOB_ROWS = 1
    client = login(world.a_clerk)
    client.post("/ledger/import/", {"file": ledger_file([*GOOD_ROWS, BAD_ROW])})
    job = only_job(world.a_clerk)
    assert job.status == ImportStatus.FAILED and job.error_count == 6
    assert not LedgerItem.objects.filter(key__in=["JX-001", "JX-002", "BAD-1"]).exists()
    assert job.errors[0] == [5, "事项", job.errors[0][2]] and len(job.errors) == 6
    page = client.get(reverse("web:import_job", kwargs={"pk": job.pk})).content.decode()
    assert "共 6 处错误，未导入任何数据" in page and "下载全部错误清单" in page
    workbook = client.get(reverse("web:import_job_errors", kwargs={"pk": job.pk}))
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    assert len(list(sheet.iter_rows(min_row=3, values_only=True))) == 6
    assert SecurityEvent.objects.filter(action=Action.IMPORT_REFUSED).get().detail["errors"] == 6
    other = login(world.a_reviewer)  # of the same office, but not the requester
    for name in ("web:import_job", "web:import_job_errors"):
        assert other.get(reverse(name, kwargs={"pk": job.pk})).status_code == 404
    assert "暂无后台导入" in other.get(reverse("web:import_jobs")).content.decode()


def test_only_the_first_errors_are_kept_on_the_job(world: Any, login: Any, settings: Any) -> None:
    settings.IMPORT_JOB_ROWS = 1
    bad = [[f"BAD-{i}", *BAD_ROW[1:]] for i in range(40)]  # 240 bad cells
    login(world.a_clerk).post("/ledger/import/", {"file": ledger_file(bad)})
    job = only_job(world.a_clerk)
    assert job.error_count == 240 and len(job.errors) == importing.MAX_SHOWN
    assert job.hidden_errors == 40


def queue_only(world: Any, login: Any, settings: Any, rows: list[list[Any]]) -> ImportJob:
    """An upload over the threshold, queued for a worker that has not come yet."""
    settings.IMPORT_JOB_ROWS = 1
    settings.TASKS = DUMMY_TASKS
    login(world.a_clerk).post("/ledger/import/", {"file": ledger_file(rows)})
    job = only_job(world.a_clerk)
    assert job.status == ImportStatus.QUEUED and (import_jobs.folder() / job.upload).exists()
    return job


def test_the_worker_asks_the_page_s_own_checks(world: Any, login: Any, settings: Any) -> None:
    """A requester whose role was taken away after the upload gets a failed job."""
    job = queue_only(world, login, settings, GOOD_ROWS)
    RoleAssignment.objects.filter(user=world.a_clerk).delete()
    ended = import_jobs.run(job.pk)
    assert ended is not None and ended.status == ImportStatus.FAILED
    assert ended.error == "只有录入员或审核员可以登记或导入台账事项。"  # the page's own reason
    assert not LedgerItem.objects.filter(key__startswith="JX-").exists()
    assert list(import_jobs.folder().iterdir()) == []
    assert SecurityEvent.objects.filter(action=Action.ACCESS_DENIED).exists()


def test_an_inactive_requester_is_refused(world: Any, login: Any, settings: Any) -> None:
    job = queue_only(world, login, settings, GOOD_ROWS)
    world.a_clerk.is_active = False
    world.a_clerk.save()
    ended = import_jobs.run(job.pk)
    assert ended is not None and ended.error == import_jobs.REFUSED
    assert not LedgerItem.objects.filter(key__startswith="JX-").exists()


def test_a_job_runs_once_however_often_it_is_handed_out(
    world: Any, login: Any, settings: Any
) -> None:
    job = queue_only(world, login, settings, GOOD_ROWS)
    first = import_jobs.run(job.pk)
    assert first is not None and first.status == ImportStatus.DONE
    events = SecurityEvent.objects.filter(action=Action.IMPORT).count()
    second = import_jobs.run(job.pk)
    assert second is not None and second.status == ImportStatus.DONE
    assert (second.created, second.finished_at) == (first.created, first.finished_at)
    assert SecurityEvent.objects.filter(action=Action.IMPORT).count() == events
    assert LedgerItem.objects.filter(key__startswith="JX-").count() == 2
    assert import_jobs.run(job.pk + 1000) is None  # purged before a worker came
    nothing = world.outsider_rows[ImportJob]  # queued without a file: ends, reads nothing
    ended = import_jobs.run(nothing.pk)
    assert ended is not None and ended.error == import_jobs.NOT_RUN


def test_progress_is_recorded_by_phase_and_in_the_file_while_writing(
    world: Any, login: Any, settings: Any, monkeypatch: Any
) -> None:
    job = queue_only(world, login, settings, GOOD_ROWS)
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 1)
    seen: list[tuple[str, str, int, int]] = []
    checked, applied = import_jobs.Watcher.checked, import_jobs.Watcher.applied

    def on_checked(self: Any, done: int, total: int) -> None:
        checked(self, done, total)
        row = ImportJob.objects.get(pk=job.pk)
        seen.append(("row", row.phase, row.done, row.total))

    def on_applied(self: Any, done: int, total: int) -> None:
        applied(self, done, total)
        kept = import_jobs.read_progress(job)
        assert kept is not None and kept["beat"] <= timezone.now()
        seen.append(("file", kept["phase"], kept["done"], kept["total"]))
        assert import_jobs.progress(ImportJob.objects.get(pk=job.pk))["done"] == done

    monkeypatch.setattr(import_jobs.Watcher, "checked", on_checked)
    monkeypatch.setattr(import_jobs.Watcher, "applied", on_applied)
    import_jobs.run(job.pk)
    assert seen == [
        ("row", "校验", 1, 2),
        ("row", "校验", 2, 2),
        ("file", "写入", 1, 2),
        ("file", "写入", 2, 2),
    ]
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.done == job.total == 2
    assert not import_jobs.progress_path(job).exists()


def running(world: Any, seconds_ago: int, upload: str) -> ImportJob:
    return ImportJob.objects.create(
        requested_by=world.a_clerk,
        title="台账导入",
        path="/ledger/import/",
        upload=upload,
        status=ImportStatus.RUNNING,
        phase="写入",
        total=5000,
        beat_at=timezone.now() - timedelta(seconds=seconds_ago),
    )


def beat_file(job: ImportJob, seconds_ago: int, done: int) -> None:
    beat = (timezone.now() - timedelta(seconds=seconds_ago)).isoformat()
    import_jobs.progress_path(job).write_text(
        json.dumps({"phase": "写入", "done": done, "total": job.total, "beat": beat})
    )


def test_a_dead_worker_is_swept_but_a_long_apply_is_not(
    world: Any, login: Any, settings: Any
) -> None:
    old = settings.JOB_STALE_SECONDS + 30
    dead = running(world, old, "dead.xlsx")
    (import_jobs.folder() / "dead.xlsx").write_bytes(b"PK")
    stopped = running(world, old, "stopped.xlsx")
    beat_file(stopped, old, 100)
    alive = running(world, old, "alive.xlsx")
    beat_file(alive, 1, 2500)
    client = login(world.a_clerk)
    page = client.get(reverse("web:import_job", kwargs={"pk": alive.pk})).content.decode()
    assert "写入：已处理 2500 / 5000 行" in page and 'value="50"' in page
    for job, status in ((dead, "failed"), (stopped, "failed"), (alive, "running")):
        job.refresh_from_db()
        assert job.status == status, job.upload
    assert dead.error == import_jobs.INTERRUPTED
    assert (
        import_jobs.INTERRUPTED
        in client.get(reverse("web:import_job", kwargs={"pk": dead.pk})).content.decode()
    )
    assert not (import_jobs.folder() / "dead.xlsx").exists()
    assert import_jobs.sweep_stale() == 0


def test_finished_jobs_are_purged_with_their_files(world: Any, login: Any, settings: Any) -> None:
    settings.IMPORT_JOB_ROWS = 1
    login(world.a_clerk).post("/ledger/import/", {"file": ledger_file([BAD_ROW, BAD_ROW])})
    job = only_job(world.a_clerk)
    workbook = import_jobs.errors_path(job)
    assert workbook is not None
    assert import_jobs.purge_expired() == 0
    ImportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - timedelta(hours=settings.EXPORT_KEEP_HOURS, seconds=1)
    )
    assert import_jobs.purge_expired() == 1
    assert not workbook.exists() and not ImportJob.objects.filter(pk=job.pk).exists()


def xlsx(*rows: list[Any]) -> io.BytesIO:
    book = Workbook()
    for line in rows:
        book.active.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_rows_are_counted_below_the_header_and_no_further_than_needed() -> None:
    title, header = ["某县台账"], ["编号", "事项"]
    data = [[f"K{i}", "事"] for i in range(50)]
    assert importing.count_rows(xlsx(title, header, *data, [None, None]), stop_after=100) == 50
    assert importing.count_rows(xlsx(title, header, *data), stop_after=3) == 4
    assert importing.count_rows(xlsx(header, ["K1", "事"]), stop_after=3) == 1
    assert importing.count_rows(xlsx(*[title] * 7, header, *data), stop_after=3) == 0
    assert importing.count_rows(io.BytesIO(b"not a workbook"), stop_after=3) == 0
    text = io.BytesIO("\ufeff编号,事项\nK1,事\n\nK2,事\nK3,事\n".encode())
    text.seek(5)
    assert importing.count_rows(text, csv=True, stop_after=1) == 2
    assert not text.closed and text.tell() == 5  # the upload is read again after counting
    assert importing.count_rows(io.BytesIO(b"\xff\xfe,\n"), csv=True, stop_after=1) == 0


# Each of the seven import pages: an upload over the threshold is queued, and the worker
# runs it through the page (its own form fields and URL included) to the page's outcome.


def run_page(client: Any, url: str, data: dict[str, Any], settings: Any) -> ImportJob:
    settings.IMPORT_JOB_ROWS = 1
    response = client.post(url, data)
    job = ImportJob.objects.visible_to(response.wsgi_request.user).get()
    assert response["Location"] == reverse("web:import_job", kwargs={"pk": job.pk})
    assert job.status == ImportStatus.DONE, job.error
    assert job.path == url and list(import_jobs.folder().iterdir()) == []
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and job.next_url in page
    return job


def test_ledger_page(world: Any, login: Any, settings: Any) -> None:
    job = run_page(
        login(world.a_clerk), "/ledger/import/", {"file": ledger_file(GOOD_ROWS)}, settings
    )
    assert job.next_url == reverse("ledger:list") and job.created == 2


def test_screening_results_page(round_: Any, world: Any, login: Any, settings: Any) -> None:  # noqa: F811
    url = f"/screening/rounds/{round_.pk}/import/"
    job = run_page(login(world.a_clerk), url, {"file": results_file(GOOD_RESULTS)}, settings)
    assert job.next_url == reverse("screening:round", kwargs={"pk": round_.pk})
    flagged = Screening.objects.get(round=round_, region=world.village_a)
    assert flagged.standing == Standing.PROPOSED and flagged.hits.count() == 2


def test_screening_results_page_out_of_scope_round(
    round_: Any,  # noqa: F811
    world: Any,
    login: Any,
    settings: Any,
) -> None:
    settings.IMPORT_JOB_ROWS = 1
    settings.TASKS = DUMMY_TASKS
    url = f"/screening/rounds/{round_.pk}/import/"
    rows = [["510121100201", "甲县1号村", "", "", "", "", "", "不列入"]] * 2
    login(world.a_clerk).post(url, {"file": results_file(rows)})
    job = only_job(world.a_clerk)
    ImportJob.objects.filter(pk=job.pk).update(requested_by=world.users["b_clerk"])
    ended = import_jobs.run(job.pk)
    assert ended is not None and ended.status == ImportStatus.FAILED
    assert ended.error == import_jobs.REFUSED  # the round is not in the requester's scope


def test_supervision_problems_page(world: Any, login: Any, settings: Any) -> None:
    from baolei.accounts.models import Role

    clerk = make_user("county_office_clerk", world.agencies["a_office"], Role.CLERK)
    job = run_page(
        login(clerk), "/supervision/problems/import/", {"file": problem_sheet(PROBLEMS)}, settings
    )
    assert job.next_url == reverse("supervision:problems") and job.created == 2
    assert Problem.objects.filter(number__in=["G01", "S01"]).count() == 2


def test_vetting_list_page_keeps_its_form_fields(world: Any, login: Any, settings: Any) -> None:
    good = xlsx(
        ["姓名", "身份证号码", "出生日期", "备注"],
        ["王五", ID_NUMBER, "", "备注"],
        ["赵六", "", "1970-01-02", ""],
    )
    data = {"name": "名单", "source_agency": "市公安局", "file": good}
    job = run_page(login(world.a_clerk), reverse("vetting:import"), data, settings)
    assert job.next_url == reverse("vetting:runs") and job.fields.count("=") == 2
    assert ExternalList.objects.get().source_agency == "市公安局"
    assert ExternalEntry.objects.count() == 2


def test_vetting_list_page_answers_an_invalid_form_in_the_request(
    world: Any, login: Any, settings: Any
) -> None:
    settings.IMPORT_JOB_ROWS = 1
    good = xlsx(["姓名", "身份证号码"], ["王五", ID_NUMBER], ["赵六", ID_NUMBER])
    response = login(world.a_clerk).post(reverse("vetting:import"), {"name": "名单", "file": good})
    assert response.status_code == 200 and "source_agency" in response.context["form"].errors
    assert not ImportJob.objects.visible_to(world.a_clerk).exists()


def test_network_relations_page(world: Any, gang: Any, login: Any, settings: Any) -> None:  # noqa: F811
    before = Relation.objects.count()
    upload = relation_sheet(
        (gang.boss.pk, gang.bystander.pk, "同伙", "", "笔录", "2022-01-01"),
        (gang.director.pk, gang.bystander.pk, "亲属", "夫妻", "户籍", ""),
    )
    job = run_page(login(world.a_clerk), "/network/relations/import/", {"file": upload}, settings)
    assert job.next_url == reverse("network:graph") and job.created == 2
    assert Relation.objects.count() == before + 2


def test_clues_page(world: Any, login: Any, settings: Any) -> None:
    from baolei.accounts.models import Role

    police = make_user("a_police_clerk", world.agencies["a_police"], Role.CLERK)
    rows = [
        ["线索〔2025〕0031号", "2025-12-01", "群众举报", "涉恶", "强揽工程", "510121100200"],
        ["线索〔2025〕0032号", "2025-12-02", "群众举报", "涉恶", "欺行霸市", "510121100200"],
    ]
    job = run_page(login(police), "/clues/import/", {"file": clue_sheet(rows)}, settings)
    assert job.next_url == reverse("clues:list") and job.created == 2
    assert Clue.objects.filter(year=2025).count() == 2


def test_cadre_roster_page(world: Any, login: Any, settings: Any) -> None:
    upload = roster_file(roster_row("甲", 41), roster_row("乙", 42))
    job = run_page(login(world.a_clerk), "/cadres/import/", {"file": upload}, settings)
    assert job.next_url == reverse("cadres:list") and job.created == 2
    assert Appointment.objects.filter(person__name__in=["甲", "乙"]).count() == 2


def test_the_list_is_the_requester_s_own(world: Any, login: Any) -> None:
    """The outsider's job (county B's clerk's) is listed to them alone."""
    outsider = world.outsider_rows[ImportJob]
    assert "暂无后台导入" in login(world.a_clerk).get(reverse("web:import_jobs")).content.decode()
    assert outsider.title in login(world.b_clerk).get(reverse("web:import_jobs")).content.decode()


def test_a_starting_worker_sweeps_dead_imports_and_exports(world: Any, settings: Any) -> None:
    """``baolei db_worker`` first fails what a dead worker left running: the page need
    not be opened for a job to stop showing 导入中."""
    from baolei.cli import sweep_interrupted_jobs
    from baolei.core.models import ExportJob, ExportStatus

    old = settings.JOB_STALE_SECONDS + 30
    dead = running(world, old, "dead.xlsx")
    alive = running(world, old, "alive.xlsx")
    beat_file(alive, 1, 2500)
    export = ExportJob.objects.create(
        requested_by=world.a_clerk,
        title="线索清单",
        path="/clues/",
        format="xlsx",
        status=ExportStatus.RUNNING,
        beat_at=timezone.now() - timedelta(seconds=old),
    )
    sweep_interrupted_jobs()
    for job, status in ((dead, "failed"), (alive, "running"), (export, "failed")):
        job.refresh_from_db()
        assert job.status == status, job
