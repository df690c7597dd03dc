"""The restore drill: a backup taken while the system runs restores into an empty data
directory with every row, the decrypted ID numbers, an intact security log and the same
briefing; a damaged, foreign or mismatched backup is refused before anything is written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from baolei.audit import guard
from baolei.audit.services import record_event
from baolei.people.idnumber import check_char
from baolei.people.models import Person
from baolei.people.services import create_person
from baolei.reports import briefing
from baolei.vetting.services import person_number
from baolei.web import backup

AS_OF, START = date(2026, 11, 26), date(2026, 1, 1)


def an_id(serial: int) -> str:
    first17 = f"52010219800307{serial:03d}"
    return first17 + check_char(first17)


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - our own tables
            counts[table] = cursor.fetchone()[0]
    return counts


def state(world: Any) -> dict[str, Any]:
    people = Person.objects.exclude(id_number_encrypted="").order_by("pk")
    call_command("audit", "verify", stdout=None)
    return {
        "tables": table_counts(),
        "ids": [(p.pk, person_number(p)) for p in people[:20]],
        "briefing": briefing.build(world.city_leader, world.city, AS_OF, START).text(),
    }


@contextmanager
def database_at(path: Path) -> Iterator[None]:
    """The connection pointed at another SQLite file for a while (the in-memory test
    database is kept open and comes back afterwards)."""
    memory = connection.connection
    original = connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        connection.connection = memory


@contextmanager
def throwaway_postgres_database() -> Iterator[None]:
    """The connection pointed at a new, empty PostgreSQL database beside this worker's
    test database (which the other tests go on using), dropped afterwards."""
    original = connection.settings_dict["NAME"]
    name = f"{original}_drill"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def empty_database(tmp_path: Path) -> Iterator[None]:
    """Where the drill restores to: a new SQLite file in an empty data directory, or a
    throwaway PostgreSQL database; never the database the backup was taken from."""
    if connection.vendor == "postgresql":
        with throwaway_postgres_database():
            yield
        return
    with database_at(tmp_path / "restored" / "baolei.sqlite3"):
        yield


@pytest.fixture
def drill_world(world: Any, settings: Any, tmp_path: Path) -> Iterator[Any]:
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip("the drill restores into a fresh SQLite file beside an in-memory database")
    settings.MEDIA_ROOT = tmp_path / "live" / "media"
    evidence = Path(settings.MEDIA_ROOT) / "evidence" / "2026" / "会议纪要.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 evidence")
    for serial in range(1, 6):
        create_person(
            actor=world.a_clerk,
            name=f"备份{serial}",
            region=world.village_a,
            id_number=an_id(serial),
        )
    for n in range(3):
        record_event("login", actor=world.a_clerk, detail={"n": n})
    connection.ensure_connection()
    yield world
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_securityevent")
    guard.install(connection)


@pytest.mark.django_db(transaction=True)
def test_restore_drill_into_an_empty_data_directory(
    drill_world: Any, settings: Any, tmp_path: Path
) -> None:
    before = state(drill_world)
    assert len(before["ids"]) >= 5 and before["tables"]["audit_securityevent"] > 0
    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert "media/evidence/2026/会议纪要.pdf" in manifest["files"]
    assert manifest["schema"]["vetting"] >= "0003_run_heartbeat"
    key = str(settings.FIELD_ENCRYPTION_KEY)
    for name in manifest["files"]:
        assert key.encode() not in (tmp_path / "backup" / name).read_bytes()

    restored = tmp_path / "restored"
    restored.mkdir()
    settings.MEDIA_ROOT = restored / "media"
    with empty_database(tmp_path):
        assert backup.database_is_empty()
        call_command("restore", str(tmp_path / "backup"))
        after = state(drill_world)
        with pytest.raises(CommandError, match="当前数据库不是空的"):
            call_command("restore", str(tmp_path / "backup"))
        call_command("restore", str(tmp_path / "backup"), force=True)
        assert table_counts() == before["tables"]
    assert after == before
    assert (restored / "media" / "evidence" / "2026" / "会议纪要.pdf").read_bytes() == (
        b"%PDF-1.4 evidence"
    )


@pytest.fixture
def a_backup(transactional_db: Any, world: Any, settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir(exist_ok=True)
    (tmp_path / "media" / "a.txt").write_text("证据")
    call_command("backup", str(tmp_path / "backup"))
    yield tmp_path / "backup"
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_securityevent")
    guard.install(connection)


def refused(source: Path, message: str) -> None:
    tables = connection.introspection.table_names()
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(source), force=True)
    assert connection.introspection.table_names() == tables


def test_a_damaged_backup_is_refused(a_backup: Path) -> None:
    data = a_backup / backup.SQLITE_FILE
    if not data.exists():
        data = a_backup / backup.PG_FILE
    raw = bytearray(data.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    data.write_bytes(bytes(raw))
    refused(a_backup, "校验失败")


def test_a_backup_missing_a_file_or_its_manifest_is_refused(a_backup: Path) -> None:
    (a_backup / "media" / "a.txt").unlink()
    refused(a_backup, "备份文件缺失：media/a.txt")
    (a_backup / "manifest.json").unlink()
    refused(a_backup, "没有备份清单")


def test_a_backup_under_another_key_or_a_newer_schema_is_refused(
    a_backup: Path, settings: Any
) -> None:
    manifest_path = a_backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["schema"]["vetting"] = "9999_from_the_future"
    manifest_path.write_text(json.dumps(manifest))
    refused(a_backup, "数据库结构比本程序新")
    settings.FIELD_ENCRYPTION_KEY = "another-key-of-at-least-thirty-two-chars"
    manifest["schema"] = backup.applied_schema()
    manifest_path.write_text(json.dumps(manifest))
    refused(a_backup, "字段加密密钥与备份时不同")


def test_a_backup_never_goes_into_a_used_directory(a_backup: Path) -> None:
    with pytest.raises(CommandError, match="不是空目录"):
        call_command("backup", str(a_backup))


def test_the_postgres_tools_connect_as_django_does() -> None:
    dsn: dict[str, Any] = {"HOST": "", "PORT": "", "USER": "", "PASSWORD": "", "OPTIONS": {}}
    args, env = backup._pg_env(dsn)
    assert args == []  # libpq's defaults, as psycopg uses them (the local socket)
    dsn |= {"HOST": "db.example", "PORT": "6432", "USER": "baolei", "PASSWORD": "pw"}
    dsn["OPTIONS"] = {"sslmode": "verify-full"}
    args, env = backup._pg_env(dsn)
    assert args == ["-h", "db.example", "-p", "6432", "-U", "baolei"]
    assert env["PGPASSWORD"] == "pw" and env["PGSSLMODE"] == "verify-full"
