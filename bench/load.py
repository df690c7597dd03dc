"""Load test: the demo city under gunicorn (4 workers) on 127.0.0.1, with concurrent
signed-in clients reading and writing as the demo clerks while one of them imports a
5,000-row ledger workbook.

    .venv/bin/pip install gunicorn        # or: .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/load.py                     # SQLite, 20 clients, 60 s
    .venv/bin/python bench/load.py --db postgres       # a throwaway database on 127.0.0.1:5432

Everything runs in a throwaway data directory (and, for PostgreSQL, a throwaway
database), removed at the end even on Ctrl-C.  It prints the requests, throughput,
latency percentiles (all requests and writes), errors by status and lost writes: every
write answered as a success must be in the database afterwards.  It exits non-zero on
any error (a 4xx or 5xx answer, a lost session, a broken connection) or lost write.
The figures are compared with the baseline recorded in bench/RESULTS.md.

    .venv/bin/python bench/load.py --db postgres --province   # the province's reads

``--province`` serves the province of ``bench/province.py`` instead (built in the
throwaway database in about two minutes; ``--scale`` makes it smaller) and runs the
province issue's mix: reads only — list pages, detail pages, dashboards (a fifth of the
requests) and list APIs — as its province, city and county clerks, with the target
beside the figures: at least 100 requests/s with p95 ≤ 500 ms and no error."""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.util
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
PASSWORD = "Baolei@2026"  # noqa: S105 - the demo accounts' password (baolei/demo/city.py)
PG = "postgres://postgres@127.0.0.1:5432"
WORKERS = 4
#: A worker answering one request longer than this is killed by gunicorn (a 5,000-row
#: import takes tens of seconds under load on two cores).
WORKER_TIMEOUT = 300

#: The province run's target (the province issue): requests/s and p95 in ms.
PROVINCE_TARGET = (100.0, 500.0)
PROVINCE_USERS = ("province_clerk", "city_clerk", "county_clerk")

PROVINCE = r"""
import random, sys, django
django.setup()
sys.path.insert(0, sys.argv[2])
import province, search
from django.db import connection
rng = random.Random(province.SEED)
search.build(float(sys.argv[1]), rng)
province.grow(rng)
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:  # what autovacuum does after a load this size
        cursor.execute("ANALYZE")
"""

# What the server is asked about the demo city before the run, and which writes made it
# afterwards; run in the data directory's environment with Django set up.
FACTS = r"""
import json, django
django.setup()
from django.utils import timezone
from baolei.accounts import two_factor
from baolei.accounts.models import Role, User
from baolei.clues.models import Category, Source
from baolei.clues.services import CLUE_AGENCIES
people = []
for user in User.objects.filter(is_active=True).select_related("agency__region").order_by("pk"):
    if user.agency is None or two_factor.asks_second_factor(user):
        continue
    if not user.has_role(Role.CLERK, Role.REVIEWER):
        continue
    people.append({
        "username": user.username,
        "clerk": user.has_role(Role.CLERK) and user.agency.kind in CLUE_AGENCIES,
        "region_pk": user.agency.region_id,
        "region_code": user.agency.region.code,
        "agency_pk": user.agency_id,
        "agency_name": user.agency.name,
    })
print(json.dumps({
    "today": timezone.localdate().isoformat(),
    "people": people,
    "source": Source.values[0],
    "category": Category.values[0],
}))
"""

COUNT = r"""
import json, sys, django
django.setup()
from baolei.clues.models import Clue
from baolei.ledger.models import LedgerItem
marker, prefix, api_prefix = sys.argv[1:4]
items = LedgerItem.objects.values_list("key", flat=True)
print(json.dumps({
    "clues": [s.split(marker, 1)[1].split()[0] for s in
              Clue.objects.filter(summary__contains=marker).values_list("summary", flat=True)],
    "imported": items.filter(key__startswith=prefix).count(),
    "items": list(items.filter(title__startswith=api_prefix)),
}))
"""


@dataclass
class Sample:
    kind: str
    write: bool
    status: int | str  # an HTTP status, or the name of a connection error
    seconds: float
    ok: bool


@dataclass
class Tally:
    samples: list[Sample] = field(default_factory=list)
    clue_markers: set[str] = field(default_factory=set)
    item_keys: set[str] = field(default_factory=set)
    imported: int = 0
    import_seconds: float | None = None
    import_note: str = ""
    #: The first few refused requests of each status, with the start of the answer.
    examples: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Refused(Exception):
    """An answer the client did not expect (a status or a missing field)."""


class Client:
    """One signed-in browser: its own keep-alive connection and cookies."""

    def __init__(self, port: int, tally: Tally, password: str = PASSWORD) -> None:
        self.port, self.tally, self.password = port, tally, password
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.csrf = ""
        #: Record ids this user's API lists returned, for its detail pages.
        self.seen: dict[str, list[int]] = {"/clues/": [], "/ledger/": []}

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        write: bool = False,
        expect: tuple[int, ...] = (200,),
        timeout: float = 60,
    ) -> tuple[int, dict[str, str], bytes]:
        sent = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "zh-hans"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        start = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            self.conn.timeout = timeout
            if self.conn.sock is not None:
                self.conn.sock.settimeout(timeout)
            self.conn.request(method, path, body=body, headers=sent)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.tally.add(
                Sample(kind, write, type(exc).__name__, time.perf_counter() - start, False)
            )
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            raise Refused(f"{kind} {path}: {type(exc).__name__}") from exc
        elapsed = time.perf_counter() - start
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie = rest.split(";", 1)[0]
                if cookie in ("", '""'):
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = cookie
        found = {k.lower(): v for k, v in response.getheaders()}
        if response.will_close:
            self.conn.close()
            self.conn = None
        location = found.get("location", "")
        lost = response.status == 302 and "/accounts/login/" in location and kind != "logout"
        ok = response.status in expect and not lost
        self.tally.add(
            Sample(kind, write, "lost session" if lost else response.status, elapsed, ok)
        )
        if not ok:
            with self.tally.lock:
                shown = self.tally.examples.setdefault(str(response.status), [])
                if len(shown) < 3:
                    text = data[:300].decode(errors="replace").replace("\n", " ")
                    shown.append(f"{method} {path} → {location or text}")
            raise Refused(f"{kind} {method} {path}: {response.status} {location}")
        if b"csrfmiddlewaretoken" in data:
            match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', data)
            if match:
                self.csrf = match.group(1).decode()
        return response.status, found, data

    def get(self, kind: str, path: str, **kw: Any) -> bytes:
        return self.request(kind, "GET", path, **kw)[2]

    def post_form(self, kind: str, path: str, fields: dict[str, Any], **kw: Any) -> dict[str, str]:
        data = urlencode({"csrfmiddlewaretoken": self.csrf, **fields}, doseq=True).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request(kind, "POST", path, body=data, headers=headers, **kw)[1]

    def login(self, username: str) -> None:
        self.cookies.clear()
        self.get("login page", "/accounts/login/")
        self.post_form(
            "login",
            "/accounts/login/",
            {"username": username, "password": self.password},
            write=True,
            expect=(302,),
        )


def pick_free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ledger_workbook(rows: int, prefix: str, region_code: str, agency: str, today: date) -> bytes:
    """A ledger in the office layout: a merged title row above the header, one item a row."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    header = ["序号", "编号", "事项", "具体内容", "区划代码", "责任单位", "责任人", "包保领导"]
    header += ["整改措施", "整改时限", "整改状态"]
    sheet.append(["清源市扫黑除恶专项斗争问题整改台账"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    deadline = today + timedelta(days=90)
    for n in range(1, rows + 1):
        sheet.append(
            [
                n,
                f"{prefix}{n:05d}",
                f"压测导入事项{n}",
                "行业乱象整治",
                region_code,
                agency,
                "王责任",
                "李包保",
                "1. 排查；2. 整改",
                deadline,
                "未启动" if n % 2 else "整改中",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def multipart(
    fields: dict[str, str], name: str, filename: str, content: bytes
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


#: The list APIs both mixes read.
API_LISTS = [
    "/api/v1/clues/",
    "/api/v1/ledger/items/",
    "/api/v1/people/",
    "/api/v1/cases/",
    "/api/v1/regions/?page_size=50",
]


def read_detail(client: Client, rng: random.Random) -> None:
    """A clue's or ledger item's page, of one the user's API list returned."""
    page = rng.choice(["/clues/", "/ledger/"])
    if not client.seen[page]:
        api = "/api/v1/clues/" if page == "/clues/" else "/api/v1/ledger/items/"
        data = client.get("api get", api, headers={"Accept": "application/json"})
        client.seen[page] = [row["id"] for row in json.loads(data)["results"]]
    if client.seen[page]:
        client.get("detail page", f"{page}{rng.choice(client.seen[page])}/")


class Run:
    def __init__(self, args: argparse.Namespace, port: int, facts: dict[str, Any]) -> None:
        self.args, self.port, self.facts = args, port, facts
        self.tally = Tally()
        self.stop = threading.Event()
        self.tag = uuid.uuid4().hex[:8]
        self.marker = f"压测{self.tag}#"
        self.prefix = f"LT{self.tag}-"
        self.api_prefix = f"LA{self.tag}-"
        self.counter = 0
        self.counter_lock = threading.Lock()
        self.load = (0.0, 0.0)
        self.elapsed, self.in_window = 0.0, 0

    def next_number(self) -> int:
        with self.counter_lock:
            self.counter += 1
            return self.counter

    def client(self) -> Client:
        return Client(self.port, self.tally, self.password)

    @property
    def password(self) -> str:
        if self.args.province:
            import province  # bench/province.py: its clerks' password

            return province.PASSWORD
        return PASSWORD

    def step(self, client: Client, person: dict[str, Any], rng: random.Random) -> None:
        if self.args.province:
            self.read(client, rng)
            return
        roll = rng.random()
        if roll < 0.20:
            path = rng.choice(["/clues/", "/ledger/", "/people/", "/cases/", "/ledger/warnings/"])
            client.get("list page", path)
        elif roll < 0.35:
            read_detail(client, rng)
        elif roll < 0.45:
            client.get("dashboard", "/")
        elif roll < 0.70:
            client.get("api get", rng.choice(API_LISTS), headers={"Accept": "application/json"})
        elif roll < 0.72:
            client.get("logout page", "/")  # a fresh csrf token for the logout form
            client.post_form("logout", "/accounts/logout/", {}, expect=(302,))
            client.login(person["username"])
        elif roll < 0.86 and person["clerk"]:
            self.register_clue(client, person)
        else:
            self.create_item(client, person)

    def read(self, client: Client, rng: random.Random) -> None:
        """The province mix: list pages, detail pages, the dashboard (a fifth) and list APIs."""
        roll = rng.random()
        if roll < 0.25:
            path = rng.choice(
                ["/clues/", "/ledger/", "/people/", "/cases/", "/cadres/", "/ledger/warnings/"]
            )
            client.get("list page", path)
        elif roll < 0.45:
            read_detail(client, rng)
        elif roll < 0.65:
            client.get("dashboard", "/reports/")
        else:
            client.get("api get", rng.choice(API_LISTS), headers={"Accept": "application/json"})

    def register_clue(self, client: Client, person: dict[str, Any]) -> None:
        client.get("clue form", "/clues/new/")
        number = f"{self.next_number()}"
        headers = client.post_form(
            "clue registration",
            "/clues/new/",
            {
                "received_on": self.facts["today"],
                "source": self.facts["source"],
                "category": self.facts["category"],
                "summary": f"{self.marker}{number} 反映有人强揽工程、欺行霸市",
                "region": person["region_pk"],
                "reporter": "匿名",
            },
            write=True,
            expect=(302,),
        )
        if not re.search(r"/clues/\d+/$", headers.get("location", "")):
            raise Refused(f"clue registration went to {headers.get('location')}")
        with self.tally.lock:
            self.tally.clue_markers.add(number)

    def create_item(self, client: Client, person: dict[str, Any]) -> None:
        number = self.next_number()
        body = json.dumps(
            {
                "title": f"{self.api_prefix}{number} 压测接口事项",
                "region": person["region_code"],
                "owner_agency": person["agency_pk"],
                "responsible_person": "赵责任",
                "deadline": (
                    date.fromisoformat(self.facts["today"]) + timedelta(days=60)
                ).isoformat(),
            }
        ).encode()
        csrf = client.cookies.get("csrftoken", client.csrf)
        _, _, data = client.request(
            "ledger api write",
            "POST",
            "/api/v1/ledger/items/",
            body=body,
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-CSRFToken": csrf,
            },
            write=True,
            expect=(201,),
        )
        key = json.loads(data)["key"]
        with self.tally.lock:
            self.tally.item_keys.add(key)

    def client_loop(self, index: int, person: dict[str, Any]) -> None:
        rng = random.Random(index)
        client = self.client()
        while not self.stop.is_set():
            try:
                client.login(person["username"])
                break
            except Refused:
                time.sleep(0.5)
        while not self.stop.is_set():
            try:
                self.step(client, person, rng)
            except Refused:
                # Start again signed in (a lost session, a refused write).
                with contextlib.suppress(Refused):
                    client.login(person["username"])
            except (ValueError, KeyError):
                pass

    def importer(self, person: dict[str, Any]) -> None:
        workbook = ledger_workbook(
            self.args.import_rows,
            self.prefix,
            person["region_code"],
            person["agency_name"],
            date.fromisoformat(self.facts["today"]),
        )
        client = Client(self.port, self.tally)
        if self.stop.wait(min(5.0, self.args.seconds / 6)):
            return
        try:
            client.login(person["username"])
            client.get("import page", "/ledger/import/")
            body, content_type = multipart(
                {"csrfmiddlewaretoken": client.csrf}, "file", "台账.xlsx", workbook
            )
            start = time.perf_counter()
            status, headers, data = client.request(
                "ledger import",
                "POST",
                "/ledger/import/",
                body=body,
                headers={"Content-Type": content_type},
                write=True,
                expect=(302,),
                timeout=WORKER_TIMEOUT + 30,
            )
            self.tally.import_seconds = time.perf_counter() - start
            self.tally.imported = self.args.import_rows
        except Refused as exc:
            self.tally.import_note = str(exc)

    def go(self) -> None:
        people = self.facts["people"]
        if self.args.province:  # its three clerks (the province build has others, unusable)
            people = [p for p in people if p["username"] in PROVINCE_USERS]
        clerks = [p for p in people if p["clerk"]]
        importer = next((p for p in people if p["username"] == "office_clerk"), people[0])
        threads = [
            threading.Thread(target=self.importer, args=(importer,), daemon=True, name="import")
        ]
        if self.args.province:  # reads only: every client reads
            threads = [threading.Thread(target=self.client_loop, args=(-1, people[0]), daemon=True)]
        for i in range(self.args.clients - 1):
            person = clerks[i % len(clerks)] if i % 4 else people[i % len(people)]
            threads.append(threading.Thread(target=self.client_loop, args=(i, person), daemon=True))
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        deadline = started + self.args.seconds
        while time.perf_counter() < deadline:
            time.sleep(0.2)
        self.stop.set()
        self.elapsed = time.perf_counter() - started
        with self.tally.lock:
            self.in_window = len(self.tally.samples)
        # The import, if still running, is waited for: its rows are counted afterwards.
        for thread in threads:
            thread.join(timeout=WORKER_TIMEOUT + 60)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def baseline(db: str) -> tuple[float, float] | None:
    """The figures recorded as `load baseline (sqlite): 41.2 req/s, p95 512 ms`."""
    if not RESULTS.exists():
        return None
    pattern = rf"^load baseline \({db}\): ([\d.]+) req/s, p95 ([\d.]+) ms"
    match = re.search(pattern, RESULTS.read_text(), re.MULTILINE)
    return (float(match.group(1)), float(match.group(2))) if match else None


def report(run: Run, counted: dict[str, Any], args: argparse.Namespace) -> int:
    samples = run.tally.samples
    ms = [s.seconds * 1000 for s in samples]
    writes = [s.seconds * 1000 for s in samples if s.write and s.kind != "ledger import"]
    bad = Counter(str(s.status) for s in samples if not s.ok)
    rate = run.in_window / run.elapsed  # answers received while the clients ran
    kinds = Counter(s.kind for s in samples)
    print(
        f"\nload test: {args.db}, {args.clients} clients, {run.elapsed:.1f} s, gunicorn {WORKERS} workers"
    )
    print(f"  requests {len(samples):,} ({', '.join(f'{k} {n}' for k, n in kinds.most_common())})")
    print(f"  throughput {rate:.1f} req/s")
    print(
        f"  machine load average (1 min) {run.load[0]:.1f} before, {run.load[1]:.1f} after, "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"  latency, all: p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, "
        f"p99 {percentile(ms, 99):.0f} ms"
    )
    print(
        f"  latency, writes ({len(writes)}): p50 {percentile(writes, 50):.0f} ms, "
        f"p95 {percentile(writes, 95):.0f} ms, p99 {percentile(writes, 99):.0f} ms"
    )
    if not args.province and run.tally.import_seconds is not None:
        print(f"  ledger import: {run.tally.imported:,} rows in {run.tally.import_seconds:.1f} s")
    elif not args.province:
        print(f"  ledger import: FAILED {run.tally.import_note}")
    print(f"  errors: {sum(bad.values())}" + (f" ({dict(bad)})" if bad else ""))
    for status, shown in run.tally.examples.items():
        for line in shown:
            print(f"    {status}: {line}")
    if args.province:
        for kind, _ in kinds.most_common():
            took = [s.seconds * 1000 for s in samples if s.kind == kind]
            print(
                f"    {kind}: p50 {percentile(took, 50):.0f} ms, p95 {percentile(took, 95):.0f} ms"
            )
        return province_verdict(rate, percentile(ms, 95), bad)
    clues_present = set(counted["clues"])
    items_present = set(counted["items"])
    lost_clues = run.tally.clue_markers - clues_present
    lost_items = {k for k in run.tally.item_keys if k not in items_present}
    imported = counted["imported"]
    lost_import = run.tally.imported - imported
    lost = len(lost_clues) + len(lost_items) + max(lost_import, 0)
    print(
        f"  writes confirmed: clues {len(run.tally.clue_markers)}, ledger items (API) "
        f"{len(run.tally.item_keys)}, imported rows {run.tally.imported:,}; "
        f"in the database afterwards: clues {len(clues_present)}, items "
        f"{len(items_present)}, imported rows {imported:,}"
    )
    print(f"  lost writes: {lost}")
    base = baseline(args.db)
    if base:
        print(
            f"  against the baseline in bench/RESULTS.md ({base[0]} req/s, p95 {base[1]:.0f} ms): "
            f"throughput {rate / base[0]:.2f}×, p95 {percentile(ms, 95) / base[1]:.2f}×"
        )
    failed = bool(bad) or lost > 0 or run.tally.import_seconds is None
    print("  result: " + ("FAILED" if failed else "ok"))
    return 1 if failed else 0


def province_verdict(rate: float, p95: float, bad: Counter[str]) -> int:
    """The province run has no writes to count: its target is throughput and p95."""
    want_rate, want_p95 = PROVINCE_TARGET
    print(
        f"  target ≥ {want_rate:.0f} req/s with p95 ≤ {want_p95:.0f} ms and no error: "
        f"throughput {rate / want_rate:.2f}× the target, p95 {p95 / want_p95:.2f}× the target"
    )
    met = not bad and rate >= want_rate and p95 <= want_p95
    print("  result: " + ("target met" if met else "target missed" if not bad else "FAILED"))
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--import-rows", type=int, default=5000)
    parser.add_argument(
        "--province", action="store_true", help="bench/province.py's province, reads only"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="of the province (--province)")
    args = parser.parse_args()
    if importlib.util.find_spec("gunicorn") is None:
        print(
            "gunicorn is not installed: .venv/bin/pip install gunicorn "
            "(or .venv/bin/pip install -e '.[bench]')",
            file=sys.stderr,
        )
        return 2
    # Ctrl-C and SIGTERM end the run through the clean-up below (also when started in
    # the background, where a shell has SIGINT ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    workdir = Path(tempfile.mkdtemp(prefix="baolei-load-"))
    database = f"baolei_load_{os.getpid()}"
    env = dict(os.environ)
    env.update(
        BAOLEI_DATA_DIR=str(workdir / "data"),
        BAOLEI_ENV="development",
        BAOLEI_DEBUG="false",
        DJANGO_SETTINGS_MODULE="baolei.settings",
        PYTHONPATH=str(ROOT),
    )
    env.pop("BAOLEI_DATABASE_URL", None)
    server: subprocess.Popen[bytes] | None = None
    created_db = False
    try:
        (workdir / "data").mkdir()
        if args.db == "postgres":
            env["BAOLEI_DATABASE_URL"] = f"{PG}/{database}"
            pg_admin(f'CREATE DATABASE "{database}"')
            created_db = True

        def django(*command: str, capture: bool = False) -> str:
            done = subprocess.run(  # noqa: S603 - our own command
                [sys.executable, *command], cwd=workdir, env=env, check=True,
                capture_output=capture, text=True,
            )  # fmt: skip
            return done.stdout if capture else ""

        what = f"province (scale {args.scale})" if args.province else "demo city"
        print(f"→ {what} in {workdir} ({args.db})", flush=True)
        started = time.perf_counter()
        django("-m", "baolei.cli", "migrate", "--no-input", "-v", "0")
        if args.province:
            django("-c", PROVINCE, str(args.scale), str(Path(__file__).resolve().parent))
        else:
            django("-m", "baolei.cli", "demo", "--quiet-accounts")
        facts = json.loads(django("-c", FACTS, capture=True))
        print(f"  ready in {time.perf_counter() - started:.0f} s", flush=True)
        port = pick_free_port()
        log = (workdir / "gunicorn.log").open("wb")
        server = subprocess.Popen(  # noqa: S603 - our own command
            [
                sys.executable, "-m", "gunicorn", "baolei.wsgi",
                "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
                "--timeout", str(WORKER_TIMEOUT), "--graceful-timeout", "30",
            ],
            cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_until_serving(port, server)
        print(
            f"→ gunicorn on 127.0.0.1:{port}; {args.clients} clients for {args.seconds:.0f} s",
            flush=True,
        )
        run = Run(args, port, facts)
        load_before = os.getloadavg()[0]
        run.go()
        run.load = (load_before, os.getloadavg()[0])
        stop_server(server)
        server = None
        counted = json.loads(
            django("-c", COUNT, run.marker, run.prefix, run.api_prefix, capture=True)
        )
        code = report(run, counted, args)
        server_errors = [
            line for line in (workdir / "gunicorn.log").read_text(errors="replace").splitlines()
            if "Traceback" in line or "Error" in line or "WORKER TIMEOUT" in line
        ]  # fmt: skip
        if server_errors:
            print("  server log:\n    " + "\n    ".join(server_errors[:20]))
        return code
    except KeyboardInterrupt:
        print("\ninterrupted; cleaning up", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            stop_server(server)
        if created_db:
            pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)


def pg_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


def wait_until_serving(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
