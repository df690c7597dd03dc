"""What the benchmarks share: each measures in a child process of its own, in a
throwaway data directory (SQLite) and, when given a server, a throwaway PostgreSQL
database, both removed afterwards even when the run fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def child_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        BAOLEI_DATA_DIR=str(data_dir),
        BAOLEI_ENV="development",
        BAOLEI_DEBUG="false",
        DJANGO_SETTINGS_MODULE="baolei.settings",
        PYTHONPATH=str(ROOT),
    )
    env.pop("BAOLEI_DATABASE_URL", None)
    return env


def pg_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


@contextmanager
def postgres_database(server_url: str, name: str) -> Iterator[str]:
    """A database ``<name>_<pid>`` on the server, dropped on the way out; yields its URL."""
    server = urlsplit(server_url)
    database = f"{name}_{os.getpid()}"
    admin = urlunsplit(server._replace(path="/postgres"))
    pg_admin(admin, f'CREATE DATABASE "{database}"')
    try:
        yield urlunsplit(server._replace(path=f"/{database}"))
    finally:
        pg_admin(admin, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def run_child(script: str, arguments: list[str], env: dict[str, str]) -> dict[str, Any]:
    """``script --child arguments…``; its last line of output is its result as JSON."""
    command = [sys.executable, script, "--child", *arguments]
    done = subprocess.run(  # noqa: S603 - our own script
        command, env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def on_each_database(
    script: str, arguments: list[str], postgres: str | None, name: str
) -> dict[str, dict[str, Any]]:
    """The child's result on SQLite and, with a server, on PostgreSQL."""
    workdir = Path(tempfile.mkdtemp(prefix=f"baolei-{name}-"))
    env = child_env(workdir)
    results = {}
    try:
        results["SQLite"] = run_child(script, arguments, env)
        if postgres:
            with postgres_database(postgres, f"baolei_{name}_bench") as url:
                results["PostgreSQL"] = run_child(
                    script, arguments, env | {"BAOLEI_DATABASE_URL": url}
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return results
