from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from baolei.accounts.models import Role
from baolei.conftest import make_user
from baolei.ledger.models import LedgerItem, Status
from baolei.ledger.tests.builders import make_item


@pytest.fixture(autouse=True)
def frozen_today() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as traveller:
        yield traveller


def test_red_filter_returns_exactly_the_visible_overdue_items(world: Any, client: Any) -> None:
    late = make_item(world, title="甲县逾期事项", deadline=date(2026, 11, 1))
    make_item(world, title="甲县未到期事项", deadline=date(2027, 3, 1))
    suspended = make_item(world, title="甲县中止事项", deadline=date(2026, 11, 1))
    suspended.suspended_on = date(2026, 10, 20)
    suspended.save()
    client.force_login(world.a_clerk)
    body = client.get("/api/v1/ledger/items/", {"warning": "red"}).json()
    assert [r["key"] for r in body["results"]] == [late.key]
    client.force_login(world.city_leader)
    keys = {
        r["key"] for r in client.get("/api/v1/ledger/items/", {"warning": "red"}).json()["results"]
    }
    assert keys == {late.key, "TZ-乙县-0001"}  # the county-B item in the cast is overdue too


def test_create_update_and_stale_version(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    created = client.post(
        "/api/v1/ledger/items/",
        {
            "title": "村务公开整改",
            "region": "510121100200",
            "owner_agency": world.agencies["a_office"].pk,
            "responsible_person": "李明",
            "deadline": "2026-12-31",
            "measures": ["公开账目"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    item = created.json()
    url = f"/api/v1/ledger/items/{item['id']}/"
    ok = client.patch(
        url,
        {"title": "村务公开整改（修订）", "version": item["version"]},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == item["version"] + 1
    stale = client.patch(
        url, {"title": "覆盖", "version": item["version"]}, content_type="application/json"
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    missing = client.patch(url, {"title": "无版本"}, content_type="application/json")
    assert missing.status_code == 400
    assert LedgerItem.objects.get(pk=item["id"]).title == "村务公开整改（修订）"


def test_api_refuses_an_agency_outside_scope_in_chinese(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    response = client.post(
        "/api/v1/ledger/items/",
        {
            "title": "越权登记",
            "region": "510121100200",
            "owner_agency": world.agencies["b_office"].pk,
            "responsible_person": "李明",
            "deadline": "2026-12-31",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["owner_agency"] == ["责任单位不在您的管理范围内。"]


def test_actions_progress_acceptance_and_deadlines(world: Any, client: Any) -> None:
    item = make_item(world, deadline=date(2026, 12, 10))
    reviewer = make_user("city_reviewer", world.agencies["city_office"], Role.REVIEWER)
    base = f"/api/v1/ledger/items/{item.pk}"
    client.force_login(world.a_clerk)
    assert (
        client.post(
            f"{base}/progress/",
            {"on": "2026-11-25", "text": "已开会"},
            content_type="application/json",
        ).status_code
        == 201
    )
    client.force_login(world.a_reviewer)
    own = client.post(
        f"{base}/acceptance/",
        {"on": "2026-11-26", "result": "accepted"},
        content_type="application/json",
    )
    assert own.status_code == 403
    assert (
        client.post(
            f"{base}/suspend/",
            {"on": "2026-11-20", "reason": "等待鉴定"},
            content_type="application/json",
        ).status_code
        == 200
    )
    resumed = client.post(f"{base}/resume/", {"on": "2026-11-26"}, content_type="application/json")
    assert resumed.status_code == 201 and resumed.json()["new_deadline"] == "2026-12-16"
    client.force_login(reviewer)
    accepted = client.post(
        f"{base}/acceptance/",
        {"on": "2026-11-26", "result": "accepted"},
        content_type="application/json",
    )
    assert accepted.status_code == 201
    item.refresh_from_db()
    assert item.status == Status.DONE


def test_evidence_is_checked_by_content(world: Any, client: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = make_item(world)
    client.force_login(world.a_clerk)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.post(f"/api/v1/ledger/items/{item.pk}/evidence/", {"file": fake})
    assert refused.status_code == 400 and "按文件内容判断" in str(refused.json())
    real = SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff\xe0 jpeg body", content_type="image/jpeg")
    accepted = client.post(f"/api/v1/ledger/items/{item.pk}/evidence/", {"file": real})
    assert accepted.status_code == 201 and accepted.json()["kind"] == "JPEG图片"


@pytest.mark.parametrize("rows", [1, 20])
def test_list_has_a_query_budget(
    world: Any, client: Any, django_assert_max_num_queries: Any, rows: int
) -> None:
    for n in range(rows):
        make_item(world, title=f"事项{n}")
    client.force_login(world.a_clerk)
    with django_assert_max_num_queries(11):
        assert client.get("/api/v1/ledger/items/").json()["count"] == rows
    with django_assert_max_num_queries(16):
        assert client.get("/ledger/", {"export": "xlsx"}).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/ledger/").status_code == 200


def test_a_deadline_action_that_records_no_change_answers_the_item(world: Any, client: Any) -> None:
    item = make_item(world, deadline=date(2026, 12, 31))
    client.force_login(world.a_reviewer)
    base = f"/api/v1/ledger/items/{item.pk}"
    suspended = client.post(
        f"{base}/suspend/",
        {"on": "2026-11-20", "reason": "等待鉴定"},
        content_type="application/json",
    )
    assert suspended.status_code == 200, suspended.content
    assert suspended.json()["key"] == item.key
    assert suspended.json()["suspended_on"] == "2026-11-20"
    cancelled = client.post(
        f"{base}/cancel/", {"reason": "重复立项"}, content_type="application/json"
    )
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["status"] == Status.CANCELLED
    assert cancelled.json()["cancel_reason"] == "重复立项"
