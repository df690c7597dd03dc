from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from baolei.audit import guard
from baolei.audit.models import Action, SecurityEvent
from baolei.audit.services import purge_expired, record_event, verify_chain


def fill_log(count: int = 5) -> list[SecurityEvent]:
    return [record_event(Action.LOGIN, actor=f"user{i}", target=f"user{i}") for i in range(count)]


def without_guard(sql: str, params: list[object]) -> None:
    """Change the log behind the application's back, as a DBA with raw SQL could."""
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    guard.install(connection)


@pytest.mark.django_db
def test_untouched_log_verifies(capsys: pytest.CaptureFixture[str]) -> None:
    fill_log()
    assert verify_chain().ok
    call_command("audit", "verify")
    assert "已校验 5 条" in capsys.readouterr().out


@pytest.mark.django_db
def test_edited_entry_is_named() -> None:
    events = fill_log()
    without_guard(
        "UPDATE audit_securityevent SET actor = %s WHERE seq = %s", ["intruder", events[2].seq]
    )
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 3)
    with pytest.raises(CommandError, match="第 3 条"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_deleted_entry_is_named() -> None:
    fill_log()
    without_guard("DELETE FROM audit_securityevent WHERE seq = %s", [4])
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 4)


@pytest.mark.django_db
def test_database_refuses_updates_and_early_deletes() -> None:
    fill_log(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.filter(seq=1).update(actor="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.filter(seq=1).delete()
    assert SecurityEvent.objects.count() == 2


@pytest.mark.django_db
def test_purge_keeps_everything_younger_than_180_days() -> None:
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=False):
        fill_log(3)
    with time_machine.travel(timezone.now() - timedelta(days=179), tick=False):
        fill_log(2)
    assert purge_expired() == 3
    remaining = list(SecurityEvent.objects.order_by("seq").values_list("action", flat=True))
    assert remaining == [Action.LOGIN, Action.LOGIN, Action.PURGE]
    assert verify_chain().ok
