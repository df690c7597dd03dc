from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
import time_machine
from docx import Document
from openpyxl import Workbook, load_workbook

from baolei.audit.models import Action, SecurityEvent
from baolei.ledger.models import LedgerItem, Status
from baolei.ledger.tests.builders import make_item


@pytest.fixture(autouse=True)
def frozen_today() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as traveller:
        yield traveller


def test_create_form_says_what_is_wrong(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    page = client.post(
        "/ledger/new/",
        {
            "title": "清理村霸",
            "region": world.village_a.pk,
            "owner_agency": world.agencies["a_office"].pk,
            "responsible_person": "李明",
            "source_kind": "none",
        },
    )
    assert "请填写整改时限，或同时填写起算日、天数和天数类型" in page.content.decode()
    made = client.post(
        "/ledger/new/",
        {
            "title": "清理村霸",
            "region": world.village_a.pk,
            "owner_agency": world.agencies["a_office"].pk,
            "responsible_person": "李明",
            "source_kind": "none",
            "deadline": "2026年12月31日",
            "measures": "摸排\n处置",
        },
    )
    item = LedgerItem.objects.get(title="清理村霸")
    assert made["Location"] == f"/ledger/{item.pk}/"
    assert item.deadline == date(2026, 12, 31) and item.measures == ["摸排", "处置"]


def test_edit_form_refuses_a_stale_version(world: Any, client: Any) -> None:
    item = make_item(world)
    client.force_login(world.a_clerk)
    form = {
        "title": "新标题",
        "region": world.village_a.pk,
        "owner_agency": world.agencies["a_office"].pk,
        "responsible_person": "王建军",
        "source_kind": "none",
        "version": item.version,
    }
    assert client.post(f"/ledger/{item.pk}/edit/", form).status_code == 302
    page = client.post(f"/ledger/{item.pk}/edit/", form | {"title": "晚到的修改"}).content.decode()
    assert "已被他人修改" in page
    item.refresh_from_db()
    assert item.title == "新标题"


def test_progress_through_htmx_returns_the_timeline(world: Any, client: Any) -> None:
    item = make_item(world)
    client.force_login(world.a_clerk)
    response = client.post(
        f"/ledger/{item.pk}/progress/",
        {"on": "2026-11-26", "text": "已约谈村支书"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "已约谈村支书" in response.content.decode() and "<html" not in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    future = client.post(
        f"/ledger/{item.pk}/progress/", {"on": "2026-12-26", "text": "未来"}, HTTP_HX_REQUEST="true"
    )
    assert "进展日期不能晚于今天" in future.content.decode()


def test_detail_shows_timeline_and_history(world: Any, client: Any) -> None:
    item = make_item(world, deadline=date(2026, 11, 1))
    client.force_login(world.a_reviewer)
    client.post(f"/ledger/{item.pk}/extend/", {"new_deadline": "2026-12-20", "reason": "涉及拆迁"})
    page = client.get(f"/ledger/{item.pk}/").content.decode()
    assert "涉及拆迁" in page and "整改时限：2026年11月1日 → 2026年12月20日" in page


def test_slip_is_a_word_document_for_warned_items_only(world: Any, client: Any) -> None:
    late = make_item(world, deadline=date(2026, 11, 1))
    calm = make_item(world, deadline=date(2027, 3, 1))
    client.force_login(world.a_clerk)
    client.post(f"/ledger/{calm.pk}/progress/", {"on": "2026-11-26", "text": "推进"})
    response = client.get(f"/ledger/{late.pk}/slip/")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    cells = [
        c.text
        for t in Document(io.BytesIO(response.content)).tables
        for r in t.rows
        for c in r.cells
    ]
    assert "红色督办单" in text and late.title in cells and "2026年11月1日" in cells
    assert client.get(f"/ledger/{calm.pk}/slip/").status_code == 404
    assert SecurityEvent.objects.filter(action=Action.EXPORT, target=f"督办单 {late.key}").exists()


def test_export_has_the_office_layout(world: Any, client: Any) -> None:
    item = make_item(world)
    client.force_login(world.a_clerk)
    client.post(f"/ledger/{item.pk}/progress/", {"on": "2026-11-26", "text": "已召开专题会"})
    sheet = load_workbook(io.BytesIO(client.get("/ledger/", {"export": "xlsx"}).content)).active
    assert sheet["A1"].value == "整改台账"
    headers = [c.value for c in sheet[2]]
    for column in (
        "序号",
        "责任单位",
        "责任人",
        "整改措施",
        "整改时限",
        "整改状态",
        "进展情况",
        "验收情况",
    ):
        assert column in headers
    row = dict(zip(headers, [c.value for c in sheet[3]], strict=True))
    assert row["进展情况"] == "2026-11-26 已召开专题会" and row["验收情况"] == "未验收"
    csv = client.get("/ledger/", {"export": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("序号,编号,事项")


def ledger_file(rows: list[list[Any]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["甲县整改台账"])
    sheet.merge_cells("A1:H1")
    sheet.append(
        ["编号", "事项", "区划代码", "责任单位", "责任人", "整改措施", "整改时限", "整改状态"]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "ledger.xlsx"
    return buffer


GOOD_ROWS = [
    [
        "JX-001",
        "整治村霸",
        "510121100200",
        "甲县扫黑办",
        "李明",
        "1.摸排；2.处置",
        "2026-12-31",
        "未启动",
    ],
    [
        "JX-002",
        "换届把关",
        "510121100200",
        "甲县公安局",
        "赵强",
        "审查",
        "2026年12月15日",
        "整改中",
    ],
]


def test_import_applies_all_rows_and_twice_does_not_duplicate(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    assert client.post("/ledger/import/", {"file": ledger_file(GOOD_ROWS)}).status_code == 302
    assert client.post("/ledger/import/", {"file": ledger_file(GOOD_ROWS)}).status_code == 302
    items = LedgerItem.objects.filter(key__startswith="JX-").order_by("key")
    assert [(i.key, i.measures) for i in items] == [
        ("JX-001", ["摸排", "处置"]),
        ("JX-002", ["审查"]),
    ]


def test_import_with_one_bad_row_changes_nothing_and_names_it(world: Any, client: Any) -> None:
    bad = [
        *GOOD_ROWS,
        ["JX-003", "越权", "510122100200", "乙县扫黑办", "", "", "2026-13-01", "已完成"],
    ]
    client.force_login(world.a_clerk)
    page = client.post("/ledger/import/", {"file": ledger_file(bad)}).content.decode()
    assert "共 5 处错误" in page
    for message in ("不在您的管理范围内", "未填写责任人", "不是有效日期", "已完成须经验收"):
        assert message in page
    assert "<td>5</td>" in page  # the bad row is row 5 of the sheet
    assert not LedgerItem.objects.filter(key__startswith="JX-").exists()


def test_history_shows_choice_labels(world: Any, client: Any) -> None:
    item = make_item(world)
    client.force_login(world.a_clerk)
    client.post(f"/ledger/{item.pk}/progress/", {"on": "2026-11-26", "text": "推进"})
    page = client.get(f"/ledger/{item.pk}/").content.decode()
    assert "整改状态：未启动 → 整改中" in page
