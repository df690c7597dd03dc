"""Every page at province size: the province of ``bench/search.py`` (14 cities, about
20,000 villages and communities, 280,000 persons, 190,000 clues with referrals, 19,000
cases, 100,000 ledger items and the agencies), under a 省 region of its own, with a
village cadre roster (secretary and director of every village, ~40,000 appointments) and
a suspect for every case, built by bulk inserts from a fixed seed; then
``bench/pages.py``'s requests as a province, a city and a county clerk.

    .venv/bin/python bench/province.py [--scale 1] [--repeat 5] [--postgres postgres://postgres@127.0.0.1:5432]

``--scale 0.1`` builds a tenth of the rows for a quick try. Prints how long the build
took and, per user, median, p95 and query count of each request with the target and
ratio (see bench/pages.py).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, timedelta
from typing import Any

from _harness import on_each_database

SEED = 2026


def grow(rng: random.Random) -> dict[str, str]:
    """A province above the cities, its office and three clerks; a roster; suspects."""
    from baolei.accounts.models import Agency, AgencyKind, Role, RoleAssignment, User
    from baolei.cadres.models import Appointment, Post
    from baolei.cases.models import Case, Suspect
    from baolei.people.models import Person
    from baolei.regions.models import VILLAGE_LEVELS, Level, Region

    province = Region.objects.create(code="520000000000", name="黔中省", level=Level.PROVINCE)
    Region.objects.filter(level=Level.CITY).update(parent=province)
    office = Agency.objects.create(
        name="黔中省扫黑办", kind=AgencyKind.CAMPAIGN_OFFICE, region=province
    )
    city = Region.objects.filter(level=Level.CITY).order_by("code").first()
    county = Region.objects.filter(level=Level.COUNTY, parent=city).order_by("code").first()
    users = {}
    for username, agency in (
        ("province_clerk", office),
        ("city_clerk", Agency.objects.get(region=city, kind=AgencyKind.CAMPAIGN_OFFICE)),
        ("county_clerk", Agency.objects.get(region=county, kind=AgencyKind.CAMPAIGN_OFFICE)),
    ):
        user = User(username=username, name=username, agency=agency)
        user.set_password("Bench@2026pw")  # a password of today: not expired
        user.save()
        RoleAssignment.objects.create(user=user, role=Role.CLERK)
        users[username] = agency.region.name
    villages = list(Region.objects.filter(level__in=VILLAGE_LEVELS).values_list("pk", "level"))
    people = list(Person.objects.values_list("pk", "region_id"))
    by_village: dict[int, list[int]] = {}
    for pk, region in people:
        by_village.setdefault(region, []).append(pk)
    term = {"term_starts_on": date(2024, 3, 1), "term_ends_on": date(2029, 2, 28)}
    roster = []
    for pk, level in villages:
        here = by_village.get(pk) or [rng.choice(people)[0]]
        posts = (
            (Post.SECRETARY, Post.DIRECTOR)
            if level == Level.VILLAGE
            else (Post.COMMUNITY_SECRETARY, Post.COMMUNITY_DIRECTOR)
        )
        for n, post in enumerate(posts):
            roster.append(
                Appointment(
                    person_id=here[n % len(here)],
                    region_id=pk,
                    post=post,
                    started_on=date(2024, 3, 1) - timedelta(days=rng.randrange(2000)),
                    **term,
                )  # fmt: skip
            )
    Appointment.objects.bulk_create(roster, batch_size=5000)
    suspects = [
        Suspect(case_id=case, person_id=rng.choice(people)[0], role="leader")
        for case in Case.objects.values_list("pk", flat=True)
    ]
    Suspect.objects.bulk_create(suspects, batch_size=5000, ignore_conflicts=True)
    progress, acceptances = ledger_history(rng)
    return users | {
        "appointments": str(len(roster)),
        "suspects": str(len(suspects)),
        "progress entries": str(progress),
        "acceptances": str(acceptances),
    }


def ledger_history(rng: random.Random) -> tuple[int, int]:
    """Progress reports for most ledger items (0–3 each) and an acceptance for one in
    ten, a third of those returned: the latest-report and latest-acceptance look-ups of
    the warnings then meet the rows they meet in an office."""
    from baolei.accounts.models import User
    from baolei.ledger.models import Acceptance, AcceptanceResult, LedgerItem, ProgressEntry
    from baolei.ledger.services import note_latest_of

    clerk = User.objects.get(username="county_clerk")
    reviewer = User.objects.get(username="city_clerk")
    today = date.today()  # noqa: DTZ011 - the bench runs in the local zone
    entries, verdicts = [], []
    for pk in LedgerItem.objects.values_list("pk", flat=True):
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            on = today - timedelta(days=rng.randrange(120))
            entries.append(
                ProgressEntry(item_id=pk, on=on, text="按计划推进整改", recorded_by=clerk)
            )
        if rng.random() < 0.1:
            returned = rng.random() < 0.33
            verdicts.append(
                Acceptance(
                    item_id=pk,
                    on=today - timedelta(days=rng.randrange(60)),
                    result=AcceptanceResult.RETURNED if returned else AcceptanceResult.ACCEPTED,
                    notes="佐证材料不全，退回补充" if returned else "",
                    reviewer=reviewer,
                    reviewer_agency_id=reviewer.agency_id,
                )
            )
    ProgressEntry.objects.bulk_create(entries, batch_size=5000)
    Acceptance.objects.bulk_create(verdicts, batch_size=5000)
    note_latest_of(LedgerItem.objects.all())
    return len(entries), len(verdicts)


def measure(scale: float, repeat: int) -> dict[str, Any]:
    import django

    django.setup()
    import pages
    import search
    from django.core.management import call_command
    from django.db import connection

    rng = random.Random(SEED)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    facts = search.build(scale, rng)
    grown = grow(rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does after a load this size
            cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    result = pages.measure(repeat, ["province_clerk", "city_clerk", "county_clerk"])
    result["rows"] = facts["rows"] | {
        name: int(grown[name])
        for name in ("appointments", "suspects", "progress entries", "acceptances")
    }
    result["build_s"] = built
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to test as well")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.scale, args.repeat), ensure_ascii=False))
        return 0
    import pages

    arguments = ["--scale", str(args.scale), "--repeat", str(args.repeat)]
    results = on_each_database(__file__, arguments, args.postgres, "province")
    missed = 0
    for name, result in results.items():
        rows = ", ".join(f"{k} {v:,}" for k, v in result["rows"].items())
        print(f"\n{name}: {rows}; built in {result['build_s']:.0f} s")
        missed += pages.report(name, result)
    print(f"\n{missed} requests miss their target or do not answer 200")
    return 0


if __name__ == "__main__":
    sys.exit(main())
