"""The to-do list on the cast of personas: counts from the lists' own queries, scoped,
in a number of queries that does not grow with the records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baolei.accounts.models import Role
from baolei.conftest import make_user
from baolei.inbox.queries import todo_list
from baolei.ledger import services
from baolei.ledger.models import AcceptanceResult
from baolei.ledger.tests.builders import make_item


def returned(w: Any, reviewer: Any, n: int, agency: str = "a_office", region: Any = None) -> None:
    """``n`` items of ``agency`` returned at acceptance by ``reviewer``."""
    for i in range(n):
        item = make_item(
            w,
            title=f"整改事项{agency}{i}",
            agency=agency,
            region=region,
            actor=w.a_clerk if agency == "a_office" else w.b_clerk,
        )
        services.accept_item(
            actor=reviewer,
            item=item,
            on=timezone.localdate(),
            result=AcceptanceResult.RETURNED,
            notes="佐证材料不全",
        )


@pytest.fixture
def reviewer(world: Any) -> Any:
    """A reviewer of the city police: another agency than the counties' offices."""
    return make_user("city_police_reviewer", world.agencies["city_police"], Role.REVIEWER)


def counts(user: Any) -> dict[str, int]:
    return {todo.kind.key: todo.count for todo in todo_list(user)}


def test_returned_items_wait_on_the_county_that_runs_them(world: Any, reviewer: Any) -> None:
    returned(world, reviewer, 2)
    returned(world, reviewer, 3, agency="b_office", region=world.village_b)
    assert counts(world.a_clerk)["ledger_returned"] == 2
    assert counts(world.b_clerk)["ledger_returned"] == 3  # county A's two are not B's work
    assert counts(world.a_reviewer)["ledger_returned"] == 2


def test_the_count_is_the_rows_of_the_linked_list(world: Any, reviewer: Any, client: Any) -> None:
    returned(world, reviewer, 2)
    returned(world, reviewer, 1, agency="b_office", region=world.village_b)
    client.force_login(world.a_clerk)
    for todo in todo_list(world.a_clerk):
        response = client.get(todo.url)
        assert response.status_code == 200, todo.url
        assert response.context["paginator"].count == todo.count, todo.kind.key


def test_home_page_and_badge_show_the_work(world: Any, reviewer: Any, client: Any) -> None:
    returned(world, reviewer, 2)
    client.force_login(world.a_clerk)
    page = client.get("/").content.decode()
    assert 'data-kind="ledger_returned" data-count="2"' in page
    assert "/ledger/?todo=returned" in page
    assert 'title="待办 2 件">2</span>' in page  # the 整改台账 item of the navigation


def test_kinds_of_other_roles_are_not_offered(world: Any) -> None:
    assert "ledger_accept" not in counts(world.a_clerk)  # acceptance is for reviewers
    assert "referral_acknowledge" not in counts(world.city_leader)
    assert counts(world.sysadmin) == {}  # the administrators do no domain work


def test_api_lists_the_same_work(world: Any, reviewer: Any, client: Any) -> None:
    returned(world, reviewer, 1)
    assert client.get("/api/v1/me/todo/").status_code in (401, 403)
    client.force_login(world.a_clerk)
    answer = client.get("/api/v1/me/todo/").json()
    first = answer[0]
    assert (first["key"], first["count"], first["url"]) == (
        "ledger_returned",
        1,
        "/ledger/?todo=returned",
    )
    assert first["oldest"] == date(2026, 12, 31).isoformat()
    assert [row["key"] for row in answer] == [t.kind.key for t in todo_list(world.a_clerk)]


def home_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


def test_query_budget_does_not_grow_with_records(
    world: Any, reviewer: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.a_clerk)
    returned(world, reviewer, 1)
    home_queries(client)  # the session's first request writes its own bookkeeping
    few = home_queries(client)
    returned(world, reviewer, 8)
    returned(world, reviewer, 4, agency="b_office", region=world.village_b)
    with django_assert_max_num_queries(few):
        many = home_queries(client)
    assert many == few
    assert counts(world.a_clerk)["ledger_returned"] == 9


def test_one_query_counts_every_kind(world: Any, reviewer: Any) -> None:
    returned(world, reviewer, 3)
    user = world.a_reviewer
    assert user.roles and user.scope_prefix  # read once per request, before the counts
    with CaptureQueriesContext(connection) as captured:
        todos = todo_list(user)
    counting = [q["sql"] for q in captured if "calendar" not in q["sql"]]
    assert len(counting) == 1  # besides the work calendar, read once for the warnings
    assert len(captured) <= 3
    assert {t.kind.key: t.count for t in todos}["ledger_returned"] == 3


def test_evidence_awaits_acceptance_by_another_agencys_reviewer(
    world: Any, reviewer: Any, client: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    item = make_item(world)
    before = counts(reviewer)["ledger_accept"]  # the cast's county-B item has evidence too
    scan = SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff\xe0 jpeg body", content_type="image/jpeg")
    services.attach_evidence(actor=world.a_clerk, item=item, upload=scan)
    assert counts(reviewer)["ledger_accept"] == before + 1
    assert counts(world.a_reviewer)["ledger_accept"] == 0  # the owner does not accept its own
    client.force_login(reviewer)
    assert client.get("/ledger/?todo=accept").context["paginator"].count == before + 1
    services.accept_item(
        actor=reviewer,
        item=item,
        on=timezone.localdate(),
        result=AcceptanceResult.RETURNED,
        notes="照片不清楚",
    )
    assert counts(reviewer)["ledger_accept"] == before  # judged since the evidence came
    assert counts(world.a_clerk)["ledger_returned"] == 1
