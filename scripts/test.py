"""Run every check and the whole test suite: python3 scripts/test.py [pytest args]

Lint, format, types and migrations first; then the suite on SQLite; then on
PostgreSQL when BAOLEI_TEST_POSTGRES_URL names a server (CI always sets it); then,
for the whole suite, the vetting benchmark at its small size (about 20 s), which
prints its figures.
"""

from __future__ import annotations

import os
import sys

from _venv import PYTHON, baolei, ensure_venv, run


def main() -> int:
    ensure_venv("dev")
    extra = sys.argv[1:]
    run(PYTHON, "-m", "ruff", "check", ".")
    run(PYTHON, "-m", "ruff", "format", "--check", ".")
    run(PYTHON, "-m", "mypy", "baolei")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BAOLEI_DATABASE")}
    baolei("makemigrations", "--check", "--dry-run", env=clean)
    print("\n== SQLite ==", flush=True)
    status = run(PYTHON, "-m", "pytest", *extra, env=clean, check=False)
    postgres = os.environ.get("BAOLEI_TEST_POSTGRES_URL")
    if postgres:
        print("\n== PostgreSQL ==", flush=True)
        status |= run(
            PYTHON,
            "-m",
            "pytest",
            *extra,
            env=clean | {"BAOLEI_DATABASE_URL": postgres},
            check=False,
        )
    else:
        print("\nPostgreSQL: 未设置 BAOLEI_TEST_POSTGRES_URL，跳过 / not set, skipped", flush=True)
    if not extra:
        print("\n== Benchmark: bench/vetting.py --size small ==", flush=True)
        status |= run(PYTHON, "bench/vetting.py", "--size", "small", check=False)
    return status


if __name__ == "__main__":
    sys.exit(main())
