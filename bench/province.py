"""Every page at province size: the province of ``bench/search.py`` (14 cities, about
20,000 villages and communities, 280,000 persons, 190,000 clues with referrals, 19,000
cases, 100,000 ledger items and the agencies), under a 省 region of its own, with a
village cadre roster (ten posts in every village and community, ~200,000 appointments),
every case's stages, two to five suspects and seized assets, a screening round per city
with a result for every organisation, and the ledger items' progress and acceptances —
built by bulk inserts from a fixed seed (``grow``); then ``bench/pages.py``'s requests
as a province, a city and a county clerk. This is the province scenario: it builds in
about two minutes on the 2-core machine (the issue's bound is ten).

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
#: The province's clerks sign in with this (a password of today: not expired).
PASSWORD = "Bench@2026pw"  # noqa: S105 - a throwaway benchmark account


def grow(rng: random.Random) -> dict[str, str]:
    """A province above the cities, its office and three clerks; a roster of ten posts a
    village; every case's stages, suspects and assets; a screening result for every
    organisation; ledger history."""
    from baolei.accounts.models import Agency, AgencyKind, Role, RoleAssignment, User
    from baolei.regions.models import Level, Region

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
        user.set_password(PASSWORD)
        user.save()
        RoleAssignment.objects.create(user=user, role=Role.CLERK)
        users[username] = agency.region.name
    rows = {
        "appointments": roster(rng),
        **case_history(rng, User.objects.get(username="county_clerk")),
        "screenings": screening_results(rng, User.objects.get(username="province_clerk")),
    }
    progress, acceptances = ledger_history(rng)
    return (
        users
        | {name: str(n) for name, n in rows.items()}
        | {
            "progress entries": str(progress),
            "acceptances": str(acceptances),
        }
    )


#: A village's two committees: ten posts, as the issue's density has it.
VILLAGE_POSTS = ("secretary", "director", "deputy_secretary", "deputy_director") + ("member",) * 6
COMMUNITY_POSTS = (("community_secretary", "community_director") + ("community_deputy",) * 2) + (
    "community_member",
) * 6


def roster(rng: random.Random) -> int:
    """Ten posts in every village and community, held by people of the place where it has
    enough of them (persons with encrypted ID numbers, from ``search.build``)."""
    from baolei.cadres.models import Appointment
    from baolei.people.models import Person
    from baolei.regions.models import VILLAGE_LEVELS, Level, Region

    villages = list(Region.objects.filter(level__in=VILLAGE_LEVELS).values_list("pk", "level"))
    people = list(Person.objects.values_list("pk", "region_id"))
    by_village: dict[int, list[int]] = {}
    for pk, region in people:
        by_village.setdefault(region, []).append(pk)
    term = {"term_starts_on": date(2024, 3, 1), "term_ends_on": date(2029, 2, 28)}
    rows = []
    for pk, level in villages:
        posts = VILLAGE_POSTS if level == Level.VILLAGE else COMMUNITY_POSTS
        here = list(by_village.get(pk, ()))
        rng.shuffle(here)
        while len(here) < len(posts):
            here.append(rng.choice(people)[0])
        for n, post in enumerate(posts):
            rows.append(
                Appointment(
                    person_id=here[n],
                    region_id=pk,
                    post=post,
                    started_on=date(2024, 3, 1) - timedelta(days=rng.randrange(2000)),
                    **term,
                )  # fmt: skip
            )
    Appointment.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


#: Who records each stage: the police investigate and transfer, the procuratorate
#: approves arrest and prosecutes, the court judges.
STAGE_AGENCY = {
    "filed": "police",
    "arrest_approved": "procuratorate",
    "transferred": "police",
    "prosecuted": "procuratorate",
    "first_instance": "court",
    "second_instance": "court",
}


def case_history(rng: random.Random, clerk: Any) -> dict[str, int]:
    """Every case's stages in order up to where it stands (dated, characterised from
    prosecution on), two to five suspects, and seized assets, some disposed."""
    from baolei.accounts.models import Agency
    from baolei.cases.models import Asset, Case, Stage, StageEvent, Suspect
    from baolei.people.models import Person

    today = date.today()  # noqa: DTZ011 - the bench runs in the local zone
    agencies = {
        (code[:6], kind): pk
        for pk, code, kind in Agency.objects.values_list("pk", "region__code", "kind")
    }
    people = list(Person.objects.values_list("pk", flat=True))
    characterised = {"prosecuted", "first_instance", "second_instance"}
    events, suspects, assets = [], [], []
    for case, code, kind, opened in Case.objects.values_list(
        "pk", "region__code", "kind", "opened_on"
    ):
        on = opened
        for stage in Stage.values[: rng.choice((1, 2, 3, 3, 4, 5, 5, 6, 6, 6))]:
            if on > today:
                break
            events.append(
                StageEvent(
                    case_id=case,
                    stage=stage,
                    on=on,
                    agency_id=agencies[(code[:6], STAGE_AGENCY[stage])],
                    characterisation=kind if stage in characterised else "",
                    outcome="upheld" if stage == "second_instance" else "",
                    recorded_by=clerk,
                )
            )
            on += timedelta(days=rng.randrange(20, 120))
        for person in rng.sample(people, rng.randrange(2, 6)):
            suspects.append(Suspect(case_id=case, person_id=person, role=rng.choice(ROLES)))
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            seized = opened + timedelta(days=rng.randrange(1, 60))
            disposed = rng.random() < 0.3 and seized + timedelta(days=200) <= today
            assets.append(
                Asset(
                    case_id=case,
                    kind=rng.choice(ASSET_KINDS),
                    measure=rng.choice(("seal", "seize", "freeze")),
                    description="涉案财产",
                    value=rng.randrange(10_000, 5_000_000),
                    on=min(seized, today),
                    disposition="confiscated" if disposed else "",
                    disposed_on=seized + timedelta(days=200) if disposed else None,
                    recorded_by=clerk,
                )
            )
    StageEvent.objects.bulk_create(events, batch_size=5000)
    Suspect.objects.bulk_create(suspects, batch_size=5000, ignore_conflicts=True)
    Asset.objects.bulk_create(assets, batch_size=5000)
    return {"stage events": len(events), "suspects": len(suspects), "assets": len(assets)}


ROLES = ("leader", "active", "active", "other", "other")
ASSET_KINDS = ("cash", "deposit", "real_estate", "vehicle", "equity")


def screening_results(rng: random.Random, actor: Any) -> int:
    """A screening round per city against the default negative list, with a result for
    every village and community organisation: most cleared, about one in ten confirmed
    weak (with a negative-list hit), a few still under joint review or not yet assessed."""
    from baolei.regions.models import VILLAGE_LEVELS, Level, Region
    from baolei.screening.models import Hit, Screening, ScreeningRound
    from baolei.screening.services import ensure_default_list

    negative_list = ensure_default_list()
    items = list(negative_list.items.values_list("pk", flat=True))
    rounds = {
        city.code[:4]: ScreeningRound.objects.create(
            name=f"{city.name}2026年软弱涣散村党组织排查",
            region=city,
            negative_list=negative_list,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 6, 30),
            created_by=actor,
        )
        for city in Region.objects.filter(level=Level.CITY)
    }
    screenings = []
    for pk, code in Region.objects.filter(level__in=VILLAGE_LEVELS).values_list("pk", "code"):
        draw = rng.random()
        standing, proposal = (
            ("confirmed", "flag")
            if draw < 0.1
            else ("proposed", "flag")
            if draw < 0.13
            else ("base", "pending")
            if draw < 0.15
            else ("cleared", "clear")
        )
        screenings.append(
            Screening(
                round=rounds[code[:4]],
                region_id=pk,
                standing=standing,
                proposal=proposal,
                confirmed_on=date(2026, 7, 1) if standing == "confirmed" else None,
            )
        )
    Screening.objects.bulk_create(screenings, batch_size=5000)
    hits = [
        Hit(screening=s, item_id=rng.choice(items), note="群众反映集中", recorded_by=actor)
        for s in screenings
        if s.proposal == "flag"
    ]
    Hit.objects.bulk_create(hits, batch_size=5000, ignore_conflicts=True)
    return len(screenings)


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
        name: int(value) for name, value in grown.items() if value.isdigit()
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
