"""Benchmark of the search box at province scale: how long one search takes.

Builds a province in a throwaway database — 14 cities, about 20,000 villages and
communities, 280,000 persons (most with an ID number), 190,000 clues (some of them
umbrella clues, some referred), 19,000 cases, 100,000 ledger items and the agencies —
by bulk inserts from a fixed seed, only the rows the search reads. It then builds the
search index (``baolei.search.index.rebuild``, timed) and runs about 50 varied queries
(full names, pairs of characters, pinyin initials, whole and partial ID numbers,
clue, case and ledger numbers and pieces of them, village and agency names) as a
city's campaign-office clerk, each several times, through the same function the page
and the API call (``search`` and the API's ``as_dict``; sign-in and HTML aside). It
prints the median and p95 per database and their ratio to the 200 ms target.

    .venv/bin/python bench/search.py [--postgres postgres://postgres@127.0.0.1:5432] [--scale 1]

SQLite runs in a temporary data directory; with ``--postgres`` a database
``baolei_search_bench_<pid>`` is created on that server and dropped afterwards.
``--scale 0.05`` builds a twentieth of the province for a quick try.
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
TARGET_MS = 200.0
SEED = 2026
CITIES, COUNTIES, TOWNSHIPS, VILLAGES = 14, 8, 12, 15  # per parent: 14 × 8 × 12 × 15 = 20,160
PERSONS, CLUES, CASES, LEDGER_ITEMS = 280_000, 190_000, 19_000, 100_000
BATCH = 2000

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯健俊帆帅旭宁龙林"
    "欣婷雪琳晶颖倩海波丹瑶鑫鹏飞云峰成新东阳春梅荣德福生贵祥兴永发金山水家庆立民广振富"
)
PLACES = "锦坡白河石龙凤山水田青松柳溪桥塘岭湾岗头坪坝沟营庄寨堡渡口源泉竹梅兰花园桃李杏枫"
KINDS = ("campaign_office", "police", "discipline", "procuratorate", "court", "organisation")
KIND_LABELS = {
    "campaign_office": "扫黑办",
    "police": "公安局",
    "discipline": "纪委监委",
    "procuratorate": "人民检察院",
    "court": "人民法院",
    "organisation": "组织部",
}
CLUE_CATEGORIES = ("gang", "evil_force", "village_bully", "clan", "other")
LEDGER_PREFIXES = ("台账", "督改", "整顿", "议定")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the child process


def build(scale: float, rng: random.Random) -> dict[str, Any]:
    """The province, by bulk inserts; returns what the queries are drawn from."""
    from baolei.accounts.models import Agency, Role, RoleAssignment, User
    from baolei.cases.models import Case
    from baolei.clues.models import Clue, Referral
    from baolei.ledger.models import LedgerItem
    from baolei.people import crypto, idnumber
    from baolei.people.models import ID_COLUMN, Person, id_number_key
    from baolei.regions.models import Level, Region

    def many(n: int) -> int:
        return max(1, round(n * scale))

    def place_name(suffix: str) -> str:
        return rng.choice(PLACES) + rng.choice(PLACES) + suffix

    regions: list[Region] = []
    cities, counties, townships, villages = [], [], [], []
    for c in range(CITIES):
        city = Region(code=f"52{c + 1:02d}00000000", name=f"{place_name('')}市", level=Level.CITY)
        cities.append(city)
    Region.objects.bulk_create(cities, batch_size=BATCH)
    for city in cities:
        for k in range(COUNTIES):
            code = f"{city.code[:4]}{k + 1:02d}000000"
            counties.append(
                Region(code=code, name=place_name("县"), level=Level.COUNTY, parent=city)
            )
    Region.objects.bulk_create(counties, batch_size=BATCH)
    for county in counties:
        for t in range(TOWNSHIPS):
            code = f"{county.code[:6]}{t + 1:03d}000"
            townships.append(
                Region(code=code, name=place_name("镇"), level=Level.TOWNSHIP, parent=county)
            )
    Region.objects.bulk_create(townships, batch_size=BATCH)
    village_count = max(1, round(VILLAGES * max(scale, 1 / VILLAGES)))
    for township in townships:
        for v in range(village_count):
            level, suffix = (Level.VILLAGE, "村") if v % 5 else (Level.COMMUNITY, "社区")
            code = f"{township.code[:9]}{v + 1:03d}"
            villages.append(
                Region(code=code, name=place_name(suffix), level=level, parent=township)
            )
    Region.objects.bulk_create(villages, batch_size=BATCH)
    regions = cities + counties + townships + villages
    log(f"  regions: {len(regions)} ({len(villages)} villages and communities)")

    agencies, taken = [], set()
    for region in cities + counties:
        for kind in KINDS:
            name = f"{region.name}{KIND_LABELS[kind]}"
            if name in taken:  # invented place names repeat; agency names may not
                name = f"{region.name}（{region.code[:6]}）{KIND_LABELS[kind]}"
            taken.add(name)
            agencies.append(Agency(name=name, kind=kind, region=region))
    Agency.objects.bulk_create(agencies, batch_size=BATCH)
    by_county: dict[str, dict[str, Agency]] = {}
    for agency in agencies:
        by_county.setdefault(agency.region.code[:6], {})[agency.kind] = agency
    clerk = User(username="bench_city_clerk", name="市扫黑办录入员", agency=agencies[0])
    clerk.set_unusable_password()
    clerk.save()
    RoleAssignment.objects.create(user=clerk, role=Role.CLERK)

    persons, ids, names = [], set(), []
    for _ in range(many(PERSONS)):
        village = rng.choice(villages)
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2, 2))))
        names.append(name)
        person = Person(name=name, region=village)
        if rng.random() < 0.8:
            while True:
                born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
                first17 = f"{village.code[:6]}{born:%Y%m%d}{rng.randrange(1000):03d}"
                if first17 not in ids:
                    ids.add(first17)
                    break
            number = first17 + idnumber.check_char(first17)
            person.id_number_hash = id_number_key(number)
            person.id_number_encrypted = crypto.encrypt(number, column=ID_COLUMN)
            person.birth_date = born
            person.sex = idnumber.MALE if int(first17[16]) % 2 else idnumber.FEMALE
        persons.append(person)
    Person.objects.bulk_create(persons, batch_size=BATCH)
    log(f"  persons: {len(persons)}")

    clues = []
    sequence: dict[int, int] = {}
    for _ in range(many(CLUES)):
        year = rng.randrange(2019, 2027)
        sequence[year] = sequence.get(year, 0) + 1
        village = rng.choice(villages)
        received = date(year, 1, 1) + timedelta(days=rng.randrange(330))
        umbrella = rng.random() < 0.05
        clues.append(
            Clue(
                year=year,
                sequence=sequence[year],
                number=f"线索〔{year}〕{sequence[year]:04d}号",
                received_on=received,
                source="hotline",
                category="umbrella" if umbrella else rng.choice(CLUE_CATEGORIES),
                summary="群众反映有人强揽工程、欺压群众",
                region=village,
                handling_agency=by_county[village.code[:6]]["discipline" if umbrella else "police"],
                deadline=received + timedelta(days=90),
            )
        )
    Clue.objects.bulk_create(clues, batch_size=BATCH)
    referrals = [
        Referral(
            clue=clue,
            from_agency=clue.handling_agency,
            to_agency=by_county[clue.region.code[:6]]["campaign_office"],
            direction="other",
            sent_on=clue.received_on,
            reason="移送",
            sent_by=clerk,
            acknowledge_by=clue.received_on + timedelta(days=5),
            feedback_by=clue.received_on + timedelta(days=30),
        )
        for clue in clues
        if rng.random() < 0.1
    ]
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    log(f"  clues: {len(clues)} ({len(referrals)} referred)")

    cases = []
    case_kinds = {
        "gang": "黑社会性质组织案",
        "evil_group": "恶势力犯罪集团案",
        "evil_force": "恶势力案",
    }
    for n in range(many(CASES)):
        village = rng.choice(villages)
        kind = rng.choice(list(case_kinds))
        year = rng.randrange(2018, 2027)
        county = village.code[:6]
        cases.append(
            Case(
                number=f"{county}公刑〔{year}〕{n + 1:05d}号",
                name=f"{rng.choice(names)}等人{case_kinds[kind]}",
                kind=kind,
                region=village,
                lead_agency=by_county[county]["police"],
                opened_on=date(year, 1, 1) + timedelta(days=rng.randrange(330)),
            )
        )
    Case.objects.bulk_create(cases, batch_size=BATCH)
    log(f"  cases: {len(cases)}")

    items = []
    former = {f.name for f in LedgerItem._meta.get_fields()} >= {"former_key"}
    keys: dict[str, int] = {}
    for n in range(many(LEDGER_ITEMS)):
        village = rng.choice(villages)
        head = f"{rng.choice(LEDGER_PREFIXES)}〔{rng.randrange(2019, 2027)}〕"
        keys[head] = keys.get(head, 0) + 1
        item = LedgerItem(
            key=f"{head}{keys[head]:04d}号",
            title="整改软弱涣散问题",
            region=village,
            owner_agency=by_county[village.code[:6]]["campaign_office"],
            responsible_person=rng.choice(names),
            deadline=date(2026, 12, 31),
        )
        if former and rng.random() < 0.3:
            item.former_key = f"TZ2024-{n + 1:05d}"  # type: ignore[attr-defined]
        items.append(item)
    LedgerItem.objects.bulk_create(items, batch_size=BATCH)
    log(f"  ledger items: {len(items)}")

    prefix = cities[0].code[:4]
    return {
        "rows": {
            "regions": len(regions),
            "persons": len(persons),
            "clues": len(clues),
            "cases": len(cases),
            "ledger_items": len(items),
            "agencies": len(agencies),
        },
        "clerk": clerk.pk,
        "prefix": prefix,
        "persons": [(p.name, p.id_number_encrypted, p.region.code) for p in persons],
        "clues": [c.number for c in clues if c.region.code.startswith(prefix)],
        "cases": [(c.number, c.name) for c in cases if c.region.code.startswith(prefix)],
        "items": [
            (i.key, getattr(i, "former_key", "")) for i in items if i.region.code.startswith(prefix)
        ],
        "villages": [v.name for v in villages if v.code.startswith(prefix)],
    }


def pick_queries(facts: dict[str, Any], rng: random.Random) -> list[tuple[str, str]]:
    """About 50 (what, query) pairs, most of them for records the clerk can see."""
    from baolei.people import crypto
    from baolei.people.models import ID_COLUMN
    from baolei.regions.pickers import initials

    inside = [p for p in facts["persons"] if p[2].startswith(facts["prefix"])]
    outside = [p for p in facts["persons"] if not p[2].startswith(facts["prefix"])]
    with_id = [p for p in inside if p[1]]
    three = [p[0] for p in inside if len(p[0]) == 3]
    queries = [("name", p[0]) for p in rng.sample(inside, 8)]
    queries += [("name pair", n[1:]) for n in rng.sample(three, 4)]
    queries += [("surname pair", n[:2]) for n in rng.sample(three, 2)]
    queries += [("pinyin", initials(p[0])) for p in rng.sample(inside, 4)]
    queries += [("id", crypto.decrypt(p[1], column=ID_COLUMN)) for p in rng.sample(with_id, 4)]
    queries += [
        ("id, other city", crypto.decrypt(p[1], column=ID_COLUMN)) for p in outside[:1] if p[1]
    ]
    number = crypto.decrypt(with_id[0][1], column=ID_COLUMN)
    queries += [("partial id", number[:6]), ("partial id", number[-8:])]
    queries += [("clue number", n) for n in rng.sample(facts["clues"], 5)]
    queries += [("clue piece", n[-7:]) for n in rng.sample(facts["clues"], 3)]
    queries += [("case number", c[0]) for c in rng.sample(facts["cases"], 3)]
    queries += [("case name", c[1][:3]) for c in rng.sample(facts["cases"], 2)]
    queries += [("case name", "恶势力")]
    queries += [("ledger number", i[0]) for i in rng.sample(facts["items"], 4)]
    formers = [i[1] for i in facts["items"] if i[1]]
    queries += [("former ledger number", n) for n in rng.sample(formers, min(2, len(formers)))]
    queries += [("village", v[:2]) for v in rng.sample(facts["villages"], 4)]
    queries += [("village pinyin", initials(v)) for v in rng.sample(facts["villages"], 2)]
    queries += [("agency", "公安"), ("agency", "人民法院")]
    return queries


def measure(scale: float, repeat: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from baolei.accounts.models import User
    from baolei.search import index, terms
    from baolei.search.queries import search
    from baolei.search.views import as_dict

    rng = random.Random(SEED)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"→ {connection.vendor}: building the province (scale {scale})")
    facts = build(scale, rng)
    built = time.perf_counter() - started
    started = time.perf_counter()
    written = index.rebuild()
    indexed = time.perf_counter() - started
    log(f"  index: {sum(written.values())} terms in {indexed:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does after a load this size
            cursor.execute("ANALYZE")
    user = User.objects.select_related("agency__region").get(pk=facts["clerk"])
    queries = pick_queries(facts, rng)
    per_query = []
    timings = []
    for what, text in queries:
        as_dict(search(user, terms.parse(text)))  # warm the caches once
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            found = as_dict(search(user, terms.parse(text)))
            runs.append((time.perf_counter() - start) * 1000)
        timings += runs
        label = "（身份证号码）" if what.startswith("id") else text
        per_query.append((what, label, found["total"], statistics.median(runs)))
    timings.sort()
    return {
        "vendor": connection.vendor,
        "rows": facts["rows"],
        "terms": sum(written.values()),
        "build_s": built,
        "index_s": indexed,
        "queries": len(queries),
        "median_ms": statistics.median(timings),
        "p95_ms": timings[min(len(timings) - 1, int(0.95 * len(timings)))],
        "max_ms": timings[-1],
        "per_query": per_query,
    }


# ---------------------------------------------------------------- the parent process


def report(name: str, result: dict[str, Any]) -> None:
    rows = ", ".join(f"{k} {v:,}" for k, v in result["rows"].items())
    print(f"\n{name}: {rows}; {result['terms']:,} index terms")
    print(f"  built in {result['build_s']:.0f} s, index rebuilt in {result['index_s']:.0f} s")
    for what, text, total, ms in result["per_query"]:
        print(f"  {ms:8.1f} ms  {total:6d} found  {what}: {text}")
    median, p95 = result["median_ms"], result["p95_ms"]
    print(
        f"  {result['queries']} queries: median {median:.1f} ms, p95 {p95:.1f} ms, "
        f"max {result['max_ms']:.1f} ms; median / target = {median / TARGET_MS:.2f} "
        f"(target {TARGET_MS:.0f} ms: {'met' if median <= TARGET_MS else 'MISSED'})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to test as well")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.scale, args.repeat), ensure_ascii=False))
        return 0
    arguments = ["--scale", str(args.scale), "--repeat", str(args.repeat)]
    results = on_each_database(__file__, arguments, args.postgres, "search")
    for name, result in results.items():
        report(name, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
