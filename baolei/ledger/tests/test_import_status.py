"""The 整改状态 of an imported sheet is kept, or the sheet refused naming the row."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from baolei.ledger.models import LedgerItem, Status
from baolei.ledger.tests.test_pages import GOOD_ROWS, ledger_file


@pytest.fixture(autouse=True)
def frozen_today() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as traveller:
        yield traveller


def test_each_status_of_the_sheet_is_saved_and_shown(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    assert client.post("/ledger/import/", {"file": ledger_file(GOOD_ROWS)}).status_code == 302
    for row in GOOD_ROWS:
        item = LedgerItem.objects.get(key=row[0])
        assert item.get_status_display() == row[7]
        page = client.get(f"/ledger/{item.pk}/").content.decode()
        assert row[7] in page
        listed = client.get("/ledger/", {"q": row[0]}).content.decode().split("<tbody>")[1]
        assert row[7] in listed.split("</tbody>")[0]


def test_a_not_started_item_moves_into_progress_from_the_sheet(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    first = [r[:7] + ["未启动"] for r in GOOD_ROWS]
    client.post("/ledger/import/", {"file": ledger_file(first)})
    assert LedgerItem.objects.get(key="JX-002").status == Status.NOT_STARTED
    client.post("/ledger/import/", {"file": ledger_file(GOOD_ROWS)})
    assert LedgerItem.objects.get(key="JX-002").status == Status.IN_PROGRESS


def test_a_sheet_that_would_move_an_item_back_is_refused(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    client.post("/ledger/import/", {"file": ledger_file(GOOD_ROWS)})
    back = [GOOD_ROWS[0], [*GOOD_ROWS[1][:7], "未启动"]]
    page = client.post("/ledger/import/", {"file": ledger_file(back)}).content.decode()
    assert "编号 JX-002 在系统中为“整改中”，表中为“未启动”" in page
    assert LedgerItem.objects.get(key="JX-002").status == Status.IN_PROGRESS
