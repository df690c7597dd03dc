"""Safe retries: an API write sent again with its Idempotency-Key is answered, not done, twice."""

from __future__ import annotations

import time
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from baolei.accounts.models import IdempotentRequest
from baolei.accounts.tokens import issue_token
from baolei.core.idempotency import HEADER, KEPT, document_header
from baolei.ledger.models import LedgerItem

URL = "/api/v1/ledger/items/"


@pytest.fixture(autouse=True)
def frozen_today() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=True) as traveller:
        yield traveller


def item_body(world: Any, title: str = "村务公开整改") -> dict[str, Any]:
    return {
        "title": title,
        "region": "510121100200",
        "owner_agency": world.agencies["a_office"].pk,
        "responsible_person": "李明",
        "deadline": "2026-12-31",
    }


def post(client: Any, body: dict[str, Any], key: str | None, **headers: str) -> Any:
    if key is not None:
        headers[HEADER] = key
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_the_same_request_again_is_answered_with_the_first_result(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    first = post(client, item_body(world), "9b1d-0001")
    again = post(client, item_body(world), "9b1d-0001")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert LedgerItem.objects.filter(title="村务公开整改").count() == 1


def test_the_same_key_on_another_request_is_409_in_chinese(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    assert post(client, item_body(world), "key-1").status_code == 201
    other = post(client, item_body(world, "另一事项"), "key-1")
    assert other.status_code == 409
    assert "幂等键已用于另一请求" in other.json()["detail"]
    assert not LedgerItem.objects.filter(title="另一事项").exists()


def test_without_a_key_every_request_writes(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    post(client, item_body(world), None)
    post(client, item_body(world), None)
    assert LedgerItem.objects.filter(title="村务公开整改").count() == 2
    assert not IdempotentRequest.objects.exists()


def test_keys_are_per_user(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    post(client, item_body(world), "shared")
    client.force_login(world.a_reviewer)
    second = post(client, item_body(world), "shared")
    assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert LedgerItem.objects.filter(title="村务公开整改").count() == 2


def test_a_refused_request_keeps_nothing_and_may_be_corrected(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    wrong = item_body(world) | {"owner_agency": world.agencies["b_office"].pk}
    assert post(client, wrong, "fix-me").status_code == 400
    assert not IdempotentRequest.objects.exists()
    assert post(client, item_body(world), "fix-me").status_code == 201


def test_a_key_too_long_or_not_ascii_is_400(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    long = post(client, item_body(world), "k" * 256)
    assert long.status_code == 400
    assert long.json() == {HEADER: "幂等键最长 255 个字符。"}
    assert post(client, item_body(world), "k" * 255).status_code == 201
    foreign = client.post(
        URL,
        item_body(world, "中文键"),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="键".encode().decode("latin-1"),
    )
    assert foreign.status_code == 400
    assert foreign.json() == {HEADER: "幂等键只能包含 ASCII 字符。"}
    assert post(client, item_body(world, "空格"), "a b").status_code == 400
    assert not LedgerItem.objects.filter(title__in=["中文键", "空格"]).exists()


def test_a_token_retry_is_replayed(world: Any, client: Any) -> None:
    _, key = issue_token(actor=world.a_clerk, name="公安办案系统")
    auth = {"Authorization": f"Token {key}"}
    first = post(client, item_body(world), "token-retry", **auth)
    again = post(client, item_body(world), "token-retry", **auth)
    assert first.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert LedgerItem.objects.filter(title="村务公开整改").count() == 1


def token_of(user: Any) -> dict[str, str]:
    """A token outlives a day, as the agency systems that retry use them (a session would not)."""
    _, key = issue_token(actor=user, name="公安办案系统")
    return {"Authorization": f"Token {key}"}


def test_a_key_is_kept_24_hours(world: Any, client: Any, frozen_today: Any) -> None:
    auth = token_of(world.a_clerk)
    post(client, item_body(world), "daily", **auth)
    frozen_today.shift(KEPT - timedelta(minutes=1))
    assert post(client, item_body(world), "daily", **auth)["Idempotent-Replayed"] == "true"
    frozen_today.shift(timedelta(minutes=2))
    fresh = post(client, item_body(world), "daily", **auth)
    assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh
    assert LedgerItem.objects.filter(title="村务公开整改").count() == 2


def test_the_purge_deletes_keys_older_than_24_hours(
    world: Any, client: Any, frozen_today: Any
) -> None:
    auth = token_of(world.a_clerk)
    post(client, item_body(world), "old", **auth)
    frozen_today.shift(timedelta(hours=23))
    post(client, item_body(world, "新事项"), "new", **auth)
    frozen_today.shift(timedelta(hours=2))
    out = StringIO()
    call_command("purge_idempotency_keys", stdout=out)
    assert "已清理过期幂等键 1 条" in out.getvalue()
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]


def test_one_user_and_key_is_one_row(world: Any) -> None:
    """Two requests at once cannot both claim a key: the database refuses the second row
    (and on PostgreSQL the second insert waits for the first transaction to end)."""
    IdempotentRequest.objects.create(user=world.a_clerk, key="k", fingerprint="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        IdempotentRequest.objects.create(user=world.a_clerk, key="k", fingerprint="a")


def test_a_key_still_in_progress_is_409(world: Any, client: Any) -> None:
    """What a database that does not wait on the unique key would show a second request."""
    client.force_login(world.a_clerk)
    post(client, item_body(world), "busy")
    IdempotentRequest.objects.filter(key="busy").update(status=None, body=None)
    busy = post(client, item_body(world), "busy")
    assert busy.status_code == 409 and "正在处理" in busy.json()["detail"]


def test_a_failing_write_rolls_back_its_claim(world: Any, client: Any, monkeypatch: Any) -> None:
    """A 500 leaves the key free: the transaction that claimed it is rolled back."""
    from baolei.ledger import services

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(services, "create_item", broken)
    client.force_login(world.a_clerk)
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        post(client, item_body(world), "crash")
    assert not IdempotentRequest.objects.filter(key="crash").exists()


def test_the_schema_documents_the_header_on_every_write() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    writes = [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert len(writes) > 10
    for path, method, operation in writes:
        headers = [p for p in operation["parameters"] if p["in"] == "header"]
        assert [p["name"] for p in headers] == [HEADER], f"{method} {path}"
        assert headers[0]["required"] is False and headers[0]["schema"]["maxLength"] == 255
        assert "409" in operation["responses"]
    reads = schema["paths"]["/api/v1/ledger/items/"]["get"]
    assert not any(p["name"] == HEADER for p in reads.get("parameters", []))
    assert document_header({"paths": {}}, None) == {"paths": {}}
    assert timezone.now()  # the frozen clock is in place for the other tests


@pytest.fixture
def log_emptied() -> Any:
    """The flush that ends a transactional test cannot empty the append-only security
    log (its token was logged), so it is emptied here with the guard lifted."""
    from django.db import connection

    from baolei.audit import guard

    yield
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_securityevent")
    guard.install(connection)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("log_emptied")
def test_two_requests_with_one_key_at_once_write_once(world: Any, monkeypatch: Any) -> None:
    """The second request waits on the unique key until the first commits, then replays
    its answer: the item is created once."""
    import threading

    from django.db import connection
    from django.test import Client

    from baolei.ledger import services

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL matter: SQLite lets one writer in at a time anyway")
    created = services.create_item

    def slow(**kwargs: Any) -> Any:
        item = created(**kwargs)
        time.sleep(0.5)  # the other request arrives while this one is still open
        return item

    monkeypatch.setattr(services, "create_item", slow)
    _, key = issue_token(actor=world.a_clerk, name="公安办案系统")
    barrier = threading.Barrier(2)
    answers: list[Any] = []

    def send() -> None:
        try:
            barrier.wait()
            answers.append(
                post(Client(), item_body(world), "at-once", Authorization=f"Token {key}")
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [201, 201]
    assert sorted(a.has_header("Idempotent-Replayed") for a in answers) == [False, True]
    assert answers[0].json() == answers[1].json()
    assert LedgerItem.objects.filter(title="村务公开整改").count() == 1


def test_an_upload_retried_with_its_key_is_kept_once(world: Any, client: Any) -> None:
    """A multipart body is told apart by its fields and its files' contents (its raw
    bytes hold a random boundary)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from baolei.ledger.models import Evidence
    from baolei.ledger.tests.builders import make_item

    item = make_item(world)
    client.force_login(world.a_clerk)
    url = f"/api/v1/ledger/items/{item.pk}/evidence/"

    def upload(body: bytes) -> Any:
        scan = SimpleUploadedFile("scan.jpg", body, content_type="image/jpeg")
        return client.post(url, {"file": scan}, headers={HEADER: "scan-1"})

    first = upload(b"\xff\xd8\xff\xe0 jpeg body")
    again = upload(b"\xff\xd8\xff\xe0 jpeg body")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert upload(b"\xff\xd8\xff\xe0 another scan").status_code == 409
    assert Evidence.objects.filter(item=item).count() == 1
