"""On SQLite a write waits for another process's long write transaction (an import holds
one for many seconds) instead of failing at once with "database is locked"."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from django.db.utils import ConnectionHandler

#: Longer than SQLite's (and Python's) five-second default wait.
HOLD_SECONDS = 6.0


def test_a_write_waits_for_a_long_write_transaction(
    settings: Any, tmp_path: Path, django_db_blocker: Any
) -> None:
    path = tmp_path / "busy.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (n INTEGER)")
    setup.close()
    assert settings.SQLITE_BUSY_SECONDS > HOLD_SECONDS + 2

    holding = threading.Event()

    def long_import() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO t VALUES (1)")
        holding.set()
        time.sleep(HOLD_SECONDS)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=long_import)
    thread.start()
    assert holding.wait(5)
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(path),
                "OPTIONS": dict(settings.SQLITE_OPTIONS),
            }
        }
    )
    connection = handler["default"]
    try:
        with django_db_blocker.unblock():  # a file of its own, not the test database
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES (2)")
            waited = time.monotonic() - started
    finally:
        connection.close()
        thread.join()
    assert waited > HOLD_SECONDS - 1.5
    check = sqlite3.connect(path)
    assert sorted(n for (n,) in check.execute("SELECT n FROM t")) == [1, 2]
    check.close()
