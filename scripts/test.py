"""Run every check and the whole test suite: python3 scripts/test.py [pytest args]

Lint, format, types, the import layers (.importlinter) and migrations first; then the suite on SQLite; then on
PostgreSQL when BAOLEI_TEST_POSTGRES_URL names a server (CI always sets it); then,
for the whole suite, the vetting benchmark at its small size (about 20 s), which
prints its figures, and on PostgreSQL bench/cluster.py (two web servers and two
workers on one database: sessions cross servers, every queued job runs once). The suites run on every core (pytest-xdist; BAOLEI_TEST_WORKERS
sets how many, 0 runs in one process) and each prints how long it took.
"""

from __future__ import annotations

import os
import sys
import time

from _venv import BIN, PYTHON, baolei, ensure_venv, run


def main() -> int:
    ensure_venv("dev")
    extra = sys.argv[1:]
    run(PYTHON, "-m", "ruff", "check", ".")
    run(PYTHON, "-m", "ruff", "format", "--check", ".")
    run(PYTHON, "-m", "mypy", "baolei")
    run(BIN / "lint-imports", "--no-cache")  # the layers of .importlinter
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BAOLEI_DATABASE")}
    baolei("makemigrations", "--check", "--dry-run", env=clean)
    status = suite("SQLite", extra, clean)
    postgres = os.environ.get("BAOLEI_TEST_POSTGRES_URL")
    if postgres:
        status |= suite("PostgreSQL", extra, clean | {"BAOLEI_DATABASE_URL": postgres})
    else:
        print("\nPostgreSQL: 未设置 BAOLEI_TEST_POSTGRES_URL，跳过 / not set, skipped", flush=True)
    if not extra:
        print("\n== Benchmark: bench/vetting.py --size small ==", flush=True)
        status |= run(PYTHON, "bench/vetting.py", "--size", "small", check=False)
        if postgres:
            # Two web servers and two workers on one database (about 30 s).
            print("\n== bench/cluster.py: sessions across servers, jobs run once ==", flush=True)
            server = postgres.rsplit("/", 1)[0]
            status |= run(PYTHON, "bench/cluster.py", "--postgres", server, check=False)
    return status


def suite(name: str, extra: list[str], env: dict[str, str]) -> int:
    """pytest on one database, on every core unless told otherwise; prints its time."""
    print(f"\n== {name} ==", flush=True)
    workers = os.environ.get("BAOLEI_TEST_WORKERS", "auto")
    parallel = [] if workers == "0" or "-n" in extra else ["-n", workers, "--dist", "loadgroup"]
    started = time.monotonic()
    status = run(PYTHON, "-m", "pytest", *parallel, *extra, env=env, check=False)
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    print(f"== {name}: {minutes} 分 {seconds} 秒 / {minutes} min {seconds} s ==", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
