"""Two web processes and two job workers against one PostgreSQL: the web tier keeps no
state of its own and every queued job runs exactly once.

    .venv/bin/python bench/cluster.py [--jobs 12] [--postgres postgres://postgres@127.0.0.1:5432]

In a throwaway database and data directory it creates a county clerk and 3,000 persons,
starts two gunicorn servers (as two machines behind a proxy would be) and two
``baolei db_worker`` processes with different worker ids, then:

1. signs in on server A and uses that session on server B: pages and a form post;
2. asks both servers, in turn, for big exports of the people list (over the export
   threshold, so each is queued), and waits for the workers;
3. checks that every job finished, each task was run by exactly one worker, no job
   was written twice, and both workers took part.

It prints what it found and exits non-zero if any check fails. Everything is removed
at the end, even on Ctrl-C.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _harness import child_env, postgres_database
from load import PASSWORD, Client, Refused, Tally, pick_free_port, stop_server, wait_until_serving

ROOT = Path(__file__).resolve().parent.parent

CAST = """
import os
from datetime import date
from baolei.accounts.models import Agency, AgencyKind, Role, RoleAssignment, User
from baolei.people.models import Person
from baolei.regions.models import Level, Region
city = Region.objects.create(code="529900000000", name="演示市", level=Level.CITY)
county = Region.objects.create(code="529901000000", name="一县", level=Level.COUNTY, parent=city)
town = Region.objects.create(code="529901100000", name="一镇", level=Level.TOWNSHIP, parent=county)
village = Region.objects.create(code="529901100200", name="一村", level=Level.VILLAGE, parent=town)
agency = Agency.objects.create(name="一县扫黑办", kind=AgencyKind.CAMPAIGN_OFFICE, region=county)
user = User(username="clerk", name="张文", agency=agency)
user.set_password(os.environ["CLUSTER_PASSWORD"])
user.save()
RoleAssignment.objects.create(user=user, role=Role.CLERK)
Person.objects.bulk_create(
    Person(name=f"人员{n}", region=village, birth_date=date(1970, 1, 1 + n % 28))
    for n in range(3000)
)
"""

FACTS = """
import json, sys
from collections import Counter
from django_tasks_db.models import DBTaskResult
from baolei.core.models import ExportJob
results = DBTaskResult.objects.filter(task_path="baolei.core.tasks.build_export")
jobs = ExportJob.objects.all()
print(json.dumps({
    "jobs": {str(j.pk): [j.status, j.done, j.total, j.file] for j in jobs},
    "tasks": [[r.status, r.worker_ids, r.args_kwargs] for r in results],
}))
"""


class Cluster:
    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.env, self.workdir = env, workdir
        self.processes: list[subprocess.Popen[bytes]] = []

    def django(self, *command: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own command
            [sys.executable, *command], cwd=self.workdir, env=self.env, check=True,
            capture_output=True, text=True,
        )  # fmt: skip
        return done.stdout

    def start(self, name: str, *command: str) -> subprocess.Popen[bytes]:
        log = (self.workdir / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, *command], cwd=self.workdir, env=self.env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def web(self, name: str) -> int:
        port = pick_free_port()
        server = self.start(
            name, "-m", "gunicorn", "baolei.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"
        )
        wait_until_serving(port, server)
        return port

    def stop(self) -> None:
        for process in self.processes:
            stop_server(process)


def sessions_cross_servers(a: int, b: int, checks: dict[str, bool]) -> tuple[Client, Client]:
    tally = Tally()
    on_a = Client(a, tally)
    on_a.login("clerk")
    on_b = Client(b, tally)
    on_b.cookies = on_a.cookies  # the same browser, sent to the other machine
    page = on_b.get("home on B", "/")
    checks["a session opened on A is signed in on B"] = "张文" in page.decode()
    on_b.get("people on B", "/people/")
    headers = on_b.post_form(
        "mark notices read on B", "/notices/read-all/", {}, write=True, expect=(302,)
    )
    checks["a form posted on B with A's session is accepted"] = "login" not in headers.get(
        "location", ""
    )
    return on_a, on_b


def queue_exports(clients: tuple[Client, Client], jobs: int) -> list[str]:
    queued = []
    for n in range(jobs):
        client = clients[n % 2]
        _, headers, _ = client.request(
            "queue export", "GET", f"/people/?export=csv&sort=name&n={n}", expect=(302,)
        )
        match = re.search(r"/exports/(\d+)/", headers.get("location", ""))
        if match is None:
            raise Refused(f"export {n} was not queued: {headers.get('location')}")
        queued.append(match.group(1))
    return queued


def exercise(
    cluster: Cluster, workdir: Path, args: argparse.Namespace, checks: dict[str, bool]
) -> None:
    """Start the servers and workers, use them, and record what was found in ``checks``."""
    (workdir / "data").mkdir()
    cluster.django("-m", "baolei.cli", "migrate", "--no-input", "-v", "0")
    cluster.django("-c", "import django; django.setup()\n" + CAST)
    a, b = cluster.web("web-a"), cluster.web("web-b")
    for name in ("worker-1", "worker-2"):
        cluster.start(
            name, "-m", "baolei.cli", "db_worker", "--worker-id", name, "--interval", "0.2",
            "--no-startup-delay", "--no-reload",
        )  # fmt: skip
    print(f"→ web A on :{a}, web B on :{b}, workers worker-1 and worker-2", flush=True)
    clients = sessions_cross_servers(a, b, checks)
    started = time.perf_counter()
    queued = queue_exports(clients, args.jobs)
    print(f"→ {len(queued)} exports queued through both servers", flush=True)
    facts: dict[str, Any] = {}
    while time.perf_counter() - started < args.wait:
        facts = json.loads(cluster.django("-c", "import django; django.setup()\n" + FACTS))
        if all(facts["jobs"][pk][0] in ("done", "failed") for pk in queued):
            break
        time.sleep(1)
    elapsed = time.perf_counter() - started
    jobs, tasks = facts["jobs"], facts["tasks"]
    files = [jobs[pk][3] for pk in queued]
    workers = [w for _, ids, _ in tasks for w in ids]
    checks["every job finished written (done = total rows)"] = all(
        jobs[pk][0] == "done" and jobs[pk][1] == jobs[pk][2] == 3000 for pk in queued
    )
    checks["one task per job, each run by exactly one worker"] = len(tasks) == len(queued) and all(
        status == "SUCCESSFUL" and len(ids) == 1 for status, ids, _ in tasks
    )
    checks["no job written twice (one file each)"] = len(set(files)) == len(files)
    checks["both workers took jobs"] = set(workers) == {"worker-1", "worker-2"}
    print(
        f"  {len(queued)} jobs in {elapsed:.1f} s; by worker: "
        + ", ".join(f"{w} {workers.count(w)}" for w in sorted(set(workers)))
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--jobs", type=int, default=12)
    parser.add_argument("--wait", type=float, default=180, help="seconds to wait for the jobs")
    args = parser.parse_args()
    if importlib.util.find_spec("gunicorn") is None:
        print("gunicorn is not installed: .venv/bin/pip install -e '.[bench]'", file=sys.stderr)
        return 2
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    workdir = Path(tempfile.mkdtemp(prefix="baolei-cluster-"))
    checks: dict[str, bool] = {}
    try:
        with postgres_database(args.postgres, "baolei_cluster") as url:
            env = child_env(workdir / "data") | {
                "BAOLEI_DATABASE_URL": url,
                "BAOLEI_EXPORT_JOB_ROWS": "100",
                "CLUSTER_PASSWORD": PASSWORD,
            }
            cluster = Cluster(env, workdir)
            try:
                exercise(cluster, workdir, args, checks)
            finally:
                cluster.stop()
    except KeyboardInterrupt:
        print("\ninterrupted; cleaning up", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for check, ok in checks.items():
        print(f"  {'ok    ' if ok else 'FAILED'} {check}")
    return 0 if checks and all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
