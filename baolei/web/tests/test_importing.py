"""The one import framework, through an importer's page: bounded uploads, every bad cell
reported (200 on the page, all in the error workbook), refusals in the security log."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from baolei.audit.models import Action, SecurityEvent
from baolei.core.importing import MAX_SHOWN
from baolei.ledger.models import LedgerItem
from baolei.ledger.tests.test_pages import GOOD_ROWS, ledger_file


def bad_rows(n: int) -> list[list[Any]]:
    return [
        [f"BAD-{i}", "", "999999999999", "无此单位", "", "", "不是日期", "已完成"] for i in range(n)
    ]


def test_every_bad_cell_is_in_the_error_workbook_and_the_page_shows_the_first(
    world: Any, client: Any
) -> None:
    client.force_login(world.a_clerk)
    page = client.post("/ledger/import/", {"file": ledger_file(bad_rows(60))}).content.decode()
    assert not LedgerItem.objects.filter(key__startswith="BAD-").exists()
    assert page.count("<tr><td>") == MAX_SHOWN  # 60 rows × 6 bad cells, 200 listed
    assert "其余 160 处见错误清单" in page
    workbook = client.get("/imports/errors.xlsx")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    listed = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert len(listed) == 360 and listed[0][1:3] == (3, "事项")


def test_a_refused_import_is_in_the_security_log_with_its_reason(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    client.post("/ledger/import/", {"file": ledger_file(bad_rows(2))})
    event = SecurityEvent.objects.filter(action=Action.IMPORT_REFUSED).get()
    assert event.target == "ledger.xlsx" and event.detail["errors"] == 12
    assert event.detail["first"].startswith("第3行")
    client.post("/ledger/import/", {"file": ledger_file(GOOD_ROWS)})
    assert SecurityEvent.objects.filter(action=Action.IMPORT).count() == 1


def test_a_file_that_is_not_xlsx_is_refused_before_parsing(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    upload = io.BytesIO(b"\xd0\xcf\x11\xe0 an old .xls file" * 100)
    upload.name = "ledger.xlsx"
    page = client.post("/ledger/import/", {"file": upload}).content.decode()
    assert "不是 .xlsx 文件" in page


def test_size_and_row_limits(world: Any, client: Any, settings: Any) -> None:
    client.force_login(world.a_clerk)
    settings.IMPORT_MAX_ROWS = 2
    page = client.post("/ledger/import/", {"file": ledger_file(GOOD_ROWS * 2)}).content.decode()
    assert (
        "数据超过 2 行的上限" in page
        and not LedgerItem.objects.filter(key__startswith="JX-").exists()
    )
    settings.IMPORT_MAX_ROWS = 20_000
    settings.IMPORT_MAX_MB = 1
    big = ledger_file(GOOD_ROWS)
    big.seek(0, 2)
    big.write(b"\0" * (1024 * 1024))
    big.seek(0)
    page = client.post("/ledger/import/", {"file": big}).content.decode()
    assert (
        "文件超过 1 MB 的上限" in page
        and not LedgerItem.objects.filter(key__startswith="JX-").exists()
    )


def test_the_error_workbook_is_the_users_own(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    client.post("/ledger/import/", {"file": ledger_file(bad_rows(1))})
    assert client.get("/imports/errors.xlsx").status_code == 200
    client.force_login(world.users["b_clerk"])
    assert client.get("/imports/errors.xlsx").status_code == 302  # none of their own
