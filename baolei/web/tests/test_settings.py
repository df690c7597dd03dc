from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django import forms


def run_baolei(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BAOLEI_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean |= {"BAOLEI_DATA_DIR": str(tmp_path)} | env
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "baolei.cli", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BAOLEI_DEBUG", "maybe"),
        ("BAOLEI_SESSION_IDLE_MINUTES", "thirty"),
        ("BAOLEI_ENV", "staging"),
    ],
)
def test_malformed_setting_stops_with_one_line(tmp_path: Path, variable: str, value: str) -> None:
    result = run_baolei(tmp_path, "check", **{variable: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0] and "配置错误" in lines[0]


def test_production_needs_its_secret(tmp_path: Path) -> None:
    result = run_baolei(
        tmp_path, "check", BAOLEI_ENV="production", BAOLEI_ALLOWED_HOSTS="baolei.gov"
    )
    assert result.returncode == 2
    assert "BAOLEI_SECRET_KEY" in result.stderr


def test_production_passes_the_deploy_check(tmp_path: Path) -> None:
    result = run_baolei(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        BAOLEI_ENV="production",
        BAOLEI_ALLOWED_HOSTS="baolei.gov",
        BAOLEI_SECRET_KEY="k" * 20 + "-Zq8#pV2mW9xR4tY7uI1oP3aS6dF0gH5jK" + "x" * 10,
        BAOLEI_FIELD_ENCRYPTION_KEY="f" * 44,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_help_is_bilingual(tmp_path: Path) -> None:
    out = run_baolei(tmp_path).stdout
    assert "生成演示城市" in out and "create the demo city" in out


@pytest.mark.parametrize("typed", ["2019-11-07", "2019/11/7", "2019年11月7日"])
def test_dates_are_accepted_as_offices_type_them(typed: str) -> None:
    field = forms.DateField()
    assert field.clean(typed) == date(2019, 11, 7)


@pytest.mark.django_db
def test_postgresql_runs_without_jit() -> None:
    """JIT compilation cost more than it saved on the dashboard's and the to-do's
    queries; the connection turns it off (only PostgreSQL has it)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
