"""Tampering with the security log behind the application's back, each kind detected.

Every test drops the triggers first, as a database administrator could, then
changes the table with raw SQL, and expects `baolei audit verify` to name it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from baolei.audit import checkpoints, guard
from baolei.audit.models import Action, SecurityEvent
from baolei.audit.services import (
    LogBroken,
    purge_expired,
    record_event,
    verify_chain,
    write_checkpoint,
)

pytestmark = pytest.mark.django_db


def fill_log(count: int) -> list[SecurityEvent]:
    return [record_event(Action.LOGIN, actor=f"user{i}", target=f"user{i}") for i in range(count)]


def tamper(sql: str, params: list[object] | None = None) -> None:
    """Drop the triggers and leave them dropped, as an intruder would."""
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def purged_log() -> None:
    """Three entries past retention purged; two young ones and the purge entry remain."""
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=False):
        fill_log(3)
    fill_log(2)
    assert purge_expired() == 3


def test_deleting_the_oldest_entries_is_detected() -> None:
    fill_log(5)
    tamper("DELETE FROM audit_securityevent WHERE seq <= 2")
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 1)
    assert "最早的条目缺失" in result.reason
    with pytest.raises(CommandError, match="第 1 条"):
        call_command("audit", "verify")


def test_deleting_the_oldest_entries_after_a_purge_is_detected() -> None:
    purged_log()
    assert verify_chain().ok
    tamper("DELETE FROM audit_securityevent WHERE seq = 4")
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 4)


def test_deleting_the_purge_entry_with_everything_before_it_is_detected() -> None:
    purged_log()
    tamper("DELETE FROM audit_securityevent WHERE seq <= 6")
    assert SecurityEvent.objects.count() == 0
    result = verify_chain()
    assert not result.ok and result.broken_seq == 6  # the purge entry named by the checkpoint


def test_deleting_from_the_middle_is_detected() -> None:
    fill_log(6)
    write_checkpoint()
    tamper("DELETE FROM audit_securityevent WHERE seq = 3")
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 3)


def test_deleting_the_newest_entries_after_a_checkpoint_is_detected() -> None:
    fill_log(5)
    write_checkpoint()
    tamper("DELETE FROM audit_securityevent WHERE seq >= 4")
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 4)
    assert "最新的条目缺失" in result.reason


def test_emptying_the_log_after_a_checkpoint_is_detected() -> None:
    fill_log(3)
    write_checkpoint()
    tamper("DELETE FROM audit_securityevent")
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 3)


def test_editing_an_entry_is_detected() -> None:
    fill_log(4)
    write_checkpoint()
    tamper("UPDATE audit_securityevent SET success = %s WHERE seq = 2", [False])
    assert (verify_chain().ok, verify_chain().broken_seq) == (False, 2)


def test_replacing_the_checkpointed_entry_is_detected() -> None:
    fill_log(3)
    write_checkpoint()
    # A copy of an older entry put in its place: content and link are its own, but
    # the checkpoint names the digest that was there.
    tamper(
        "UPDATE audit_securityevent SET hash = (SELECT hash FROM audit_securityevent WHERE seq = 1)"
        " WHERE seq = 3"
    )
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 3)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="INSERT OR REPLACE is SQLite's")
def test_insert_or_replace_is_refused_and_detected_without_the_triggers() -> None:
    events = fill_log(3)
    replace = (
        "INSERT OR REPLACE INTO audit_securityevent"
        " (id, seq, at, action, actor_id, actor, ip, success, target, detail, prev_hash, hash)"
        " SELECT id, seq, at, action, actor_id, 'intruder', ip, success, target, detail,"
        " prev_hash, hash FROM audit_securityevent WHERE seq = 2"
    )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(replace)
    assert SecurityEvent.objects.get(seq=2).actor == events[1].actor
    tamper(replace)
    assert SecurityEvent.objects.get(seq=2).actor == "intruder"
    assert (verify_chain().ok, verify_chain().broken_seq) == (False, 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's upsert and TRUNCATE")
def test_upsert_and_truncate_are_refused_on_postgresql() -> None:
    fill_log(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_securityevent"
            " (id, seq, at, action, actor, ip, success, target, detail, prev_hash, hash)"
            " SELECT id, seq, at, action, 'intruder', ip, success, target, detail, prev_hash,"
            " hash FROM audit_securityevent WHERE seq = 2"
            " ON CONFLICT (seq) DO UPDATE SET actor = EXCLUDED.actor"
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_securityevent")
    assert SecurityEvent.objects.count() == 2


def test_a_forged_or_edited_checkpoint_line_is_refused(checkpoint_file: Path) -> None:
    fill_log(3)
    write_checkpoint()
    line = checkpoint_file.read_text().strip()
    checkpoint_file.write_text(line.replace("head=3:", "head=2:") + "\n")
    result = verify_chain()
    assert not result.ok and "签名无效" in result.reason
    with pytest.raises(CommandError, match="签名无效"):
        call_command("audit", "verify")


def test_an_offsite_copy_catches_a_rolled_back_checkpoint_file(
    checkpoint_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill_log(3)
    call_command("audit", "checkpoint")
    early = capsys.readouterr().out.strip()
    fill_log(3)
    call_command("audit", "checkpoint")
    offsite = capsys.readouterr().out.strip()
    assert checkpoints.parse(offsite).head_seq == 6
    # The intruder deletes the newest entries and the newest checkpoint line.
    tamper("DELETE FROM audit_securityevent WHERE seq >= 5")
    checkpoint_file.write_text(early + "\n")
    assert verify_chain().ok  # undetectable from the server alone: the window reopened
    with pytest.raises(CommandError, match="第 5 条"):
        call_command("audit", "verify", "--checkpoint", offsite)


def test_checkpoint_and_purge_refuse_a_broken_log() -> None:
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=False):
        fill_log(3)
    fill_log(2)
    tamper("DELETE FROM audit_securityevent WHERE seq = 4")
    guard.install(connection)
    with pytest.raises(LogBroken, match="第 4 条"):
        write_checkpoint()
    with pytest.raises(LogBroken):
        purge_expired()
    assert SecurityEvent.objects.count() == 4  # nothing purged over the gap
    with pytest.raises(CommandError, match="第 4 条"):
        call_command("audit", "checkpoint")


def test_purge_writes_a_checkpoint_that_anchors_the_start(checkpoint_file: Path) -> None:
    purged_log()
    checkpoint = checkpoints.latest()
    assert checkpoint is not None
    assert (checkpoint.anchor_seq, checkpoint.head_seq) == (3, 6)
    purge = SecurityEvent.objects.get(seq=6)
    assert purge.detail["through"] == 3 and len(purge.detail["through_hash"]) == 64
    assert checkpoint.anchor_hash == purge.detail["through_hash"]
    assert verify_chain().ok


def test_verify_without_checkpoint_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    fill_log(2)
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "尚无检查点" in out and "已校验 2 条" in out


def test_missing_triggers_are_reported_by_verify_and_the_deploy_check() -> None:
    fill_log(2)
    assert guard.missing(connection) == []
    assert not [
        m for m in checks.run_checks(include_deployment_checks=True) if m.id == "audit.W001"
    ]
    guard.remove(connection)
    assert guard.missing(connection) == list(guard.EXPECTED[connection.vendor])
    with pytest.raises(CommandError, match="缺少安全日志触发器"):
        call_command("audit", "verify")
    warnings = [
        m for m in checks.run_checks(include_deployment_checks=True) if m.id == "audit.W001"
    ]
    assert len(warnings) == 1 and "缺少安全日志触发器" in warnings[0].msg
    call_command("audit", "guard")
    assert guard.missing(connection) == []
    call_command("audit", "verify")


def test_every_action_written_to_the_log_has_a_chinese_name() -> None:
    """A string action outside ``Action`` would show in the log page as its English code."""
    import re
    from pathlib import Path

    from baolei.audit.models import Action

    root = Path(__file__).resolve().parents[2]
    written = {
        m
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for m in re.findall(r'record_event\(\s*"(\w+)"', path.read_text(encoding="utf-8"))
    }
    assert written <= set(Action.values), written - set(Action.values)
