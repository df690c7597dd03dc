"""Two ledger items created at once get different numbers. On PostgreSQL the two
transactions run side by side; SQLite runs one write transaction at a time."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction

from baolei.ledger.tests.builders import make_item

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as traveller:
        yield traveller


@pytest.mark.django_db(transaction=True)
def test_two_items_created_at_once_get_different_numbers(world: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time")
    first_created, release = threading.Event(), threading.Event()
    keys: list[str] = []
    errors: list[Exception] = []

    def first() -> None:
        try:
            with transaction.atomic():
                keys.append(make_item(world, title="先登记的事项").key)
                first_created.set()
                release.wait(10)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    def second() -> None:
        try:
            keys.append(make_item(world, title="同时登记的事项").key)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert first_created.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(1.0)  # the second takes its number only after the first has committed
    release.set()
    one.join(10)
    two.join(10)
    assert errors == []
    assert sorted(keys) == ["台账〔2026〕0001号", "台账〔2026〕0002号"]
