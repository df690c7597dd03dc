"""Every page and list API as the office's users meet them: median, p95 and query count
per request, against the targets of a province deployment.

    .venv/bin/python bench/pages.py                       # the demo city, SQLite
    .venv/bin/python bench/pages.py --postgres postgres://postgres@127.0.0.1:5432
    .venv/bin/python bench/pages.py --database URL        # an existing database, as it is

Without ``--database`` it builds the demo city (``baolei demo``) in a throwaway data
directory (and, with ``--postgres``, a throwaway database). In process, through
Django's test client (sign-in, middleware, templates and all; no network), it requests
as a city user and a county user: the first page of every list page and list API,
the detail page of the newest record each user sees of every kind, every create form,
the dashboard and the figures API at each level from the user's own down to a
township, three records pages, the briefing (html and docx), the to-do list and a
search. Each is requested ``--repeat`` times after one warm-up; it prints the median,
p95 and query count of each, the target beside them and their ratio, and lists the
requests that miss. Targets (from the province issue): list, detail and form p95
≤ 150 ms for a county user and ≤ 300 ms for a city or province user; dashboard and
figures ≤ 200 ms at county level and below, ≤ 500 ms above; briefing ≤ 1 s.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _harness import child_env, postgres_database, run_child

ROOT = Path(__file__).resolve().parent.parent
USERS = ("office_clerk", "baihe_clerk")  # the demo city's campaign office, a county's


@dataclass
class Probe:
    kind: str
    path: str
    target_ms: float


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str, Any]]:
    from django.urls import URLPattern, URLResolver

    found = []
    for entry in patterns:
        regex = prefix + entry.pattern.regex.pattern.lstrip("^").removesuffix(r"\Z")
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += walk(entry.url_patterns, regex, space)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", regex, entry.callback))
    return found


def probes(user: Any) -> list[Probe]:
    import re

    from django.urls import get_resolver, reverse
    from django.views.generic.edit import FormMixin

    from baolei.core.api import ScopedViewSetMixin
    from baolei.core.views_base import ScopedListView, ScopedViewMixin
    from baolei.regions.models import Level, Region
    from baolei.regions.queries import scope_root

    root = scope_root(user)
    county_user = root.level != Level.CITY and root.level != Level.PROVINCE
    page_ms = 150.0 if county_user else 300.0
    found: list[Probe] = []
    for name, regex, callback in walk(get_resolver().url_patterns):
        kwargs = re.findall(r"\?P<(\w+)>", regex)
        view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        actions = getattr(callback, "actions", None) or {}
        if view is None or (not actions and not hasattr(view, "get")):
            continue  # a function view, or a view that only takes posts
        if not kwargs and issubclass(view, ScopedListView):
            found.append(Probe("list", reverse(name), page_ms))
        elif not kwargs and issubclass(view, ScopedViewSetMixin) and actions.get("get") == "list":
            found.append(Probe("list API", reverse(name), page_ms))
        elif not kwargs and issubclass(view, FormMixin) and name.split(":")[-1] not in SKIP:
            found.append(Probe("form", reverse(name), page_ms))
        elif kwargs == ["pk"] and (
            (issubclass(view, ScopedViewMixin) and not issubclass(view, FormMixin))
            or (issubclass(view, ScopedViewSetMixin) and actions.get("get") == "retrieve")
        ):
            model = view.model if issubclass(view, ScopedViewMixin) else view.queryset.model
            rows = model._default_manager.visible_to(user)
            if name == "cadres:cadre":  # a person's page as a village cadre
                rows = rows.filter(appointments__isnull=False)
            newest = rows.order_by("-pk").first()
            if newest is not None and not name.endswith(("file", "download", "slip")):
                kind = "detail API" if name.startswith("api:") else "detail"
                found.append(Probe(kind, reverse(name, kwargs={"pk": newest.pk}), page_ms))
    region = root
    while region is not None and region.level not in (Level.VILLAGE, Level.COMMUNITY):
        above = region.level in (Level.PROVINCE, Level.CITY)
        target = 500.0 if above else 200.0
        found.append(
            Probe("dashboard", f"{reverse('reports:dashboard')}?region={region.code}", target)
        )
        found.append(Probe("figures API", f"{reverse('api-figures')}?region={region.code}", target))
        region = Region.objects.filter(parent=region).order_by("code").first()
    for key in ("weak_confirmed", "cases_gang_filed", "clues_concluded"):
        found.append(Probe("records", reverse("reports:records", kwargs={"key": key}), page_ms))
    found.append(Probe("briefing", reverse("reports:briefing"), 1000.0))
    found.append(
        Probe("briefing", reverse("reports:briefing_file", kwargs={"fmt": "docx"}), 1000.0)
    )
    found.append(Probe("to-do", reverse("api-todo"), page_ms))
    found.append(Probe("search", "/search/?q=" + root.name[:2], page_ms))
    return found


#: Pages that are forms of another kind: sign-in, password, two-factor, tokens.
SKIP = {
    "login", "password_change", "two_factor", "two_factor_enrol", "two_factor_verify",
    "tokens", "token_admin", "logout",
}  # fmt: skip


def measure(repeat: int, users: list[str]) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from baolei.accounts.models import User

    settings.ALLOWED_HOSTS = ["testserver"]
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a 403 is an answer here
    results: dict[str, Any] = {"vendor": connection.vendor, "users": {}}
    for username in users:
        user = User.objects.select_related("agency__region").get(username=username)
        client = Client()
        client.force_login(user)
        rows = []
        for probe in probes(user):
            client.get(probe.path)  # warm
            times = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(probe.path)
                    times.append((time.perf_counter() - start) * 1000)
            times.sort()
            rows.append(
                {
                    "kind": probe.kind,
                    "path": probe.path,
                    "status": response.status_code,
                    "median": statistics.median(times),
                    "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
                    "queries": len(queries.captured_queries),
                    "target": probe.target_ms,
                }
            )
        results["users"][f"{username} ({user.agency.region.name})"] = rows
    return results


def report(name: str, result: dict[str, Any]) -> int:
    missed = 0
    print(f"\n{name}")
    for user, rows in result["users"].items():
        print(f"\n  as {user}: {len(rows)} requests")
        print(
            f"  {'kind':12} {'median':>8} {'p95':>8} {'queries':>7} {'target':>7} {'p95/t':>6}  path"
        )
        for r in sorted(rows, key=lambda r: -r["p95"] / r["target"]):
            ratio = r["p95"] / r["target"]
            if r["status"] == 403:
                flag = "  (403: not this user's page)"
            elif r["status"] != 200:
                flag = f"  ← {r['status']}"
            else:
                flag = "  ← MISSED" if ratio > 1 else ""
            missed += "←" in flag
            print(
                f"  {r['kind']:12} {r['median']:7.0f}ms {r['p95']:7.0f}ms {r['queries']:7d} "
                f"{r['target']:6.0f}ms {ratio:6.2f}  {r['path']}{flag}"
            )
        ratios = sorted(r["p95"] / r["target"] for r in rows if r["status"] == 200)
        print(f"  median p95/target {statistics.median(ratios):.2f}, worst {ratios[-1]:.2f}")
    return missed


def build_demo(env: dict[str, str]) -> None:
    for command in (["migrate", "--no-input", "-v", "0"], ["demo", "--quiet-accounts"]):
        subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "baolei.cli", *command], env=env, cwd=ROOT, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--users", type=lambda s: s.split(","), default=list(USERS))
    parser.add_argument("--database", metavar="URL", help="measure this database as it is")
    parser.add_argument("--postgres", metavar="URL", help="also the demo city on this server")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.repeat, args.users), ensure_ascii=False))
        return 0
    arguments = ["--repeat", str(args.repeat), "--users", ",".join(args.users)]
    results = {}
    workdir = Path(tempfile.mkdtemp(prefix="baolei-pages-"))
    env = child_env(workdir)
    try:
        if args.database:
            given = env | {"BAOLEI_DATABASE_URL": args.database}
            results["the database given"] = run_child(__file__, arguments, given)
        else:
            build_demo(env)
            results["the demo city on SQLite"] = run_child(__file__, arguments, env)
            if args.postgres:
                with postgres_database(args.postgres, "baolei_pages") as url:
                    pg = env | {"BAOLEI_DATABASE_URL": url}
                    build_demo(pg)
                    results["the demo city on PostgreSQL"] = run_child(__file__, arguments, pg)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    missed = sum(report(name, result) for name, result in results.items())
    print(f"\n{missed} requests miss their target or do not answer 200")
    return 0


if __name__ == "__main__":
    sys.exit(main())
