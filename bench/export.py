"""Benchmark of a big export written by a background worker: time and memory.

Builds, in a throwaway database, one city with 100 villages and 100,000 persons (bulk
inserts, fixed seed) and a city campaign-office leader, then runs the export job of
the people list (``/people/?export=xlsx``, and ``csv``) exactly as the worker does
(``baolei.core.export_jobs.run``: the page's own view, scoped to the leader, streamed
by openpyxl's write-only mode), three times each. It prints the median time, the rows
per second, and the memory the process held at its peak beyond what it held before
the export, with the ratio to the targets (100,000 rows in at most 10 s and 300 MB).

    .venv/bin/python bench/export.py [--rows 100000] [--postgres postgres://postgres@127.0.0.1:5432]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
from datetime import date, timedelta
from typing import Any

from _harness import on_each_database

TARGET_S, TARGET_MB = 10.0, 300.0
SEED = 2026
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯健俊帆帅旭宁龙林"
)


def rss_mb() -> float:
    """The peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(rows: int) -> int:
    from baolei.accounts.models import Agency, AgencyKind, Role, RoleAssignment, User
    from baolei.people.models import Person
    from baolei.regions.models import Level, Region

    rng = random.Random(SEED)
    city = Region.objects.create(code="529900000000", name="演示市", level=Level.CITY)
    county = Region.objects.create(
        code="529901000000", name="一县", level=Level.COUNTY, parent=city
    )
    township = Region.objects.create(
        code="529901100000", name="一镇", level=Level.TOWNSHIP, parent=county
    )
    villages = [
        Region.objects.create(
            code=f"529901100{n:03d}", name=f"第{n}村", level=Level.VILLAGE, parent=township
        )
        for n in range(1, 101)
    ]
    agency = Agency.objects.create(
        name="演示市扫黑办", kind=AgencyKind.CAMPAIGN_OFFICE, region=city
    )
    user = User.objects.create(username="leader", name="领导", agency=agency)
    RoleAssignment.objects.create(user=user, role=Role.LEADER)
    born = date(1950, 1, 1)
    batch = []
    for n in range(rows):
        batch.append(
            Person(
                name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                sex=rng.choice(("male", "female")),
                birth_date=born + timedelta(days=rng.randrange(50 * 365)),
                ethnicity="汉族",
                party_member=rng.random() < 0.3,
                region=villages[n % len(villages)],
                note="演示人员" if n % 7 == 0 else "",
            )
        )
        if len(batch) == 5000:
            Person.objects.bulk_create(batch)
            batch = []
    Person.objects.bulk_create(batch)
    return user.pk


def measure(rows: int, repeat: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from baolei.core import export_jobs
    from baolei.core.models import ExportJob, ExportStatus

    call_command("migrate", verbosity=0)
    user = build(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result: dict[str, Any] = {"vendor": connection.vendor, "rows": rows}
    for fmt in ("xlsx", "csv"):
        times, extra = [], []
        for _ in range(repeat):
            job = ExportJob.objects.create(
                requested_by_id=user,
                title="人员",
                path="/people/",
                query=f"export={fmt}",
                format=fmt,
                total=rows,
            )
            before = rss_mb()
            start = time.perf_counter()
            job = export_jobs.run(job.pk)
            times.append(time.perf_counter() - start)
            extra.append(rss_mb() - before)
            assert job.status == ExportStatus.DONE and job.done == rows, job.error  # noqa: S101
            size = job.size
            export_jobs.file_path(job).unlink()
        result[fmt] = {
            "median_s": statistics.median(times),
            "peak_extra_mb": max(extra),
            "peak_mb": rss_mb(),
            "size_mb": size / 2**20,
        }
    return result


def report(name: str, result: dict[str, Any]) -> None:
    rows = result["rows"]
    print(f"\n{name}: the people list, {rows:,} rows, median of the runs")
    for fmt in ("xlsx", "csv"):
        r = result[fmt]
        seconds, memory = r["median_s"], r["peak_extra_mb"]
        scaled = seconds * 100_000 / rows
        print(
            f"  {fmt:4}  {seconds:6.1f} s ({rows / seconds:,.0f} rows/s; {r['size_mb']:.1f} MB file), "
            f"memory beyond the start {memory:.0f} MB (process peak {r['peak_mb']:.0f} MB); "
            f"per 100,000 rows / target = {scaled / TARGET_S:.2f} time, "
            f"{memory / TARGET_MB:.2f} memory "
            f"({'met' if scaled <= TARGET_S and memory <= TARGET_MB else 'MISSED'})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to test as well")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.rows, args.repeat), ensure_ascii=False))
        return 0
    arguments = ["--rows", str(args.rows), "--repeat", str(args.repeat)]
    results = on_each_database(__file__, arguments, args.postgres, "export")
    for name, result in results.items():
        report(name, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
