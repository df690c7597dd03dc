"""Benchmark of the network view: a 3-hop expansion around a suspect, at province scale.

Builds, in a throwaway database and by bulk inserts from a fixed seed, N persons in
about 2,000 villages, 5N relations between them (most within a township, some across
the city), N/200 cases with five suspects each, N/100 clues naming two persons each and
two village cadres per village. It then times ``baolei.network.queries.expand`` — the
walk the page and ``GET /api/v1/network/?case=…`` use — 3 hops around 20 suspects, as
the city campaign office's leader (who sees every record, umbrella clues included),
and prints the median, p95, the nodes reached, and the ratio of the median to the
300 ms target.

    .venv/bin/python bench/network.py [--size small|medium|province] [--persons N]
                                      [--postgres postgres://postgres@127.0.0.1:5432]

small is 20,000 persons (a quick run), medium 200,000, province 1,000,000 (with
5,000,000 relations). SQLite runs in a temporary data directory; with ``--postgres`` a
database ``baolei_network_bench_<pid>`` is created on that server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from _harness import on_each_database

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 300.0
SEED = 2026
SIZES = {"small": 20_000, "medium": 200_000, "province": 1_000_000}
COUNTIES, TOWNSHIPS, VILLAGES = 10, 10, 20  # 2,000 villages
RELATIONS_PER_PERSON = 5
RUNS = 20
HOPS = 3
BATCH = 10_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯健俊帆"
KINDS = ("kin", "same_case", "accomplice", "employment", "guarantee", "funds", "business", "close")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Rows by executemany in batches (one statement per batch, no model instances)."""
    from django.db import connection

    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - our names
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def build(persons: int, rng: random.Random) -> dict[str, Any]:
    """The province, by bulk inserts; returns the leader and the suspects to start from."""
    from django.db import transaction
    from django.utils import timezone

    from baolei.accounts.models import Agency, AgencyKind, Role, RoleAssignment, User
    from baolei.cadres.models import Appointment
    from baolei.cases.models import Case, Suspect
    from baolei.clues.models import Clue
    from baolei.network.models import Relation
    from baolei.people.models import Person
    from baolei.regions.models import Level, Region

    now = timezone.now()
    with transaction.atomic():
        city = Region.objects.create(code="529900000000", name="清源市", level=Level.CITY)
        counties = Region.objects.bulk_create(
            Region(
                code=f"5299{k + 1:02d}000000", name=f"{k + 1}县", level=Level.COUNTY, parent=city
            )
            for k in range(COUNTIES)
        )
        townships = Region.objects.bulk_create(
            Region(
                code=f"{c.code[:6]}{t + 1:03d}000",
                name=f"{c.name}{t + 1}镇",
                level=Level.TOWNSHIP,
                parent=c,
            )
            for c in counties
            for t in range(TOWNSHIPS)
        )
        villages = Region.objects.bulk_create(
            Region(
                code=f"{t.code[:9]}{v + 1:03d}",
                name=f"{t.name}{v + 1}村",
                level=Level.VILLAGE,
                parent=t,
            )
            for t in townships
            for v in range(VILLAGES)
        )
        office = Agency.objects.create(
            name="清源市扫黑办", kind=AgencyKind.CAMPAIGN_OFFICE, region=city
        )
        police = Agency.objects.create(name="清源市公安局", kind=AgencyKind.POLICE, region=city)
        leader = User.objects.create(username="bench_leader", name="领导", agency=office)
        RoleAssignment.objects.create(user=leader, role=Role.LEADER)
    started = time.perf_counter()
    # Persons in village order, so that neighbouring keys live in the same township.
    per_village = persons / len(villages)
    person_rows = [
        (
            rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "",
            "",
            "",
            "",
            "",
            False,
            "",
            villages[min(int(n / per_village), len(villages) - 1)].pk,
            "",
            now,
        )
        for n in range(persons)
    ]
    with transaction.atomic():
        insert(
            Person._meta.db_table,
            [
                "name",
                "id_number_encrypted",
                "id_number_hash",
                "sex",
                "ethnicity",
                "education",
                "party_member",
                "phone_encrypted",
                "region_id",
                "note",
                "created_at",
            ],
            person_rows,
        )
    first = Person.objects.order_by("pk").values_list("pk", flat=True)[0]
    keys = range(first, first + persons)
    log(f"  persons: {persons:,} in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    township_size = max(2, int(per_village * VILLAGES))
    pairs: set[tuple[int, int, str]] = set()
    wanted = persons * RELATIONS_PER_PERSON
    while len(pairs) < wanted:
        a = rng.randrange(persons)
        if rng.random() < 0.9:  # most ties are local: the same township
            b = min(persons - 1, max(0, a + rng.randint(-township_size, township_size)))
        else:
            b = rng.randrange(persons)
        if a != b:
            low, high = sorted((keys[a], keys[b]))
            pairs.add((low, high, rng.choice(KINDS)))
    region_of = {v.pk: v for v in villages}
    village_of_key = [row[8] for row in person_rows]
    began = date(2015, 1, 1)
    relation_rows = []
    for low, high, kind in pairs:
        va, vb = region_of[village_of_key[low - first]], region_of[village_of_key[high - first]]
        region = (
            va.pk if va.pk == vb.pk else (va.parent_id if va.parent_id == vb.parent_id else city.pk)
        )
        relation_rows.append(
            (
                low,
                high,
                kind,
                "",
                "银行流水",
                began + timedelta(days=rng.randrange(3650)),
                region,
                now,
            )
        )
    del pairs
    with transaction.atomic():
        insert(
            Relation._meta.db_table,
            [
                "person_a_id",
                "person_b_id",
                "kind",
                "detail",
                "source",
                "began_on",
                "region_id",
                "created_at",
            ],
            relation_rows,
        )
    log(f"  relations: {len(relation_rows):,} in {time.perf_counter() - started:.0f} s")
    del relation_rows
    started = time.perf_counter()
    with transaction.atomic():
        cases = Case.objects.bulk_create(
            Case(
                number=f"清公刑〔2026〕{n + 1:05d}号",
                name=f"第{n + 1}号涉黑案",
                kind="gang",
                region=villages[n % len(villages)],
                lead_agency=police,
                opened_on=date(2020, 1, 1) + timedelta(days=n % 2000),
            )
            for n in range(max(1, persons // 200))
        )
        suspects = []
        for case in cases:
            for key in rng.sample(keys, 5):
                suspects.append(Suspect(case=case, person_id=key, role="active"))
        Suspect.objects.bulk_create(suspects, batch_size=BATCH, ignore_conflicts=True)
        clues = Clue.objects.bulk_create(
            Clue(
                year=2026,
                sequence=n + 1,
                number=f"线索〔2026〕{n + 1:06d}号",
                received_on=date(2021, 1, 1) + timedelta(days=n % 1500),
                source="public_report",
                category="umbrella" if n % 10 == 0 else "gang",
                summary="群众举报",
                region=villages[n % len(villages)],
                handling_agency=office,
                deadline=date(2026, 12, 31),
            )
            for n in range(max(1, persons // 100))
        )
        through = Clue.persons.through
        through.objects.bulk_create(
            [through(clue=clue, person_id=key) for clue in clues for key in rng.sample(keys, 2)],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        appointments = []
        for index, village in enumerate(villages):
            base = int(index * per_village)
            for post, offset in (("secretary", 0), ("director", 1)):
                if base + offset < persons:
                    appointments.append(
                        Appointment(
                            person_id=keys[base + offset],
                            region=village,
                            post=post,
                            started_on=date(2021, 3, 1),
                            term_starts_on=date(2021, 3, 1),
                            term_ends_on=date(2099, 2, 28),
                        )
                    )
        Appointment.objects.bulk_create(appointments, batch_size=BATCH)
    log(
        f"  cases {len(cases):,}, suspects {len(suspects):,}, clues {len(clues):,}, "
        f"cadre appointments {len(appointments):,} in {time.perf_counter() - started:.0f} s"
    )
    starts = rng.sample([s.person_id for s in suspects], RUNS)
    return {
        "leader": leader.pk,
        "starts": starts,
        "rows": {
            "persons": persons,
            "relations": persons * RELATIONS_PER_PERSON,
            "cases": len(cases),
            "suspects": len(suspects),
            "clues": len(clues),
            "appointments": len(appointments),
        },
    }


def measure(persons: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - load every module now, not an hour into the run

    from baolei.accounts.models import User
    from baolei.network.queries import Filters, expand, node_key

    rng = random.Random(SEED)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"→ {connection.vendor}: building {persons:,} persons")
    facts = build(persons, rng)
    built = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does after a load this size
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user = User.objects.select_related("agency__region").get(pk=facts["leader"])
    expand(user, node_key("person", facts["starts"][0]), HOPS, Filters())  # warm the caches
    timings, sizes, cut = [], [], 0
    for person in facts["starts"]:
        start = time.perf_counter()
        graph = expand(user, node_key("person", person), HOPS, Filters())
        timings.append((time.perf_counter() - start) * 1000)
        sizes.append((len(graph.nodes), len(graph.edges)))
        cut += graph.truncated
    timings.sort()
    return {
        "vendor": connection.vendor,
        "rows": facts["rows"],
        "build_s": built,
        "median_ms": statistics.median(timings),
        "p95_ms": timings[min(len(timings) - 1, int(0.95 * len(timings)))],
        "max_ms": timings[-1],
        "nodes": statistics.median(n for n, _ in sizes),
        "edges": statistics.median(e for _, e in sizes),
        "truncated": cut,
    }


def report(name: str, result: dict[str, Any]) -> None:
    rows = ", ".join(f"{k} {v:,}" for k, v in result["rows"].items())
    median = result["median_ms"]
    print(f"\n{name}: {rows}; built in {result['build_s']:.0f} s")
    print(
        f"  {HOPS}-hop expansion around {RUNS} suspects: median {median:.1f} ms, "
        f"p95 {result['p95_ms']:.1f} ms, max {result['max_ms']:.1f} ms; "
        f"median {result['nodes']:.0f} nodes and {result['edges']:.0f} edges drawn, "
        f"{result['truncated']} of {RUNS} cut at the node cap"
    )
    print(
        f"  median / target = {median / TARGET_MS:.2f} "
        f"(target {TARGET_MS:.0f} ms: {'met' if median <= TARGET_MS else 'MISSED'})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=list(SIZES), default="small")
    parser.add_argument("--persons", type=int, help="persons to build (overrides --size)")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to test as well")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    persons = args.persons or SIZES[args.size]
    if args.child:
        print(json.dumps(measure(persons), ensure_ascii=False))
        return 0
    results = on_each_database(__file__, ["--persons", str(persons)], args.postgres, "network")
    for name, result in results.items():
        report(name, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
