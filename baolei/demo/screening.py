"""A closed city-wide screening round like the report's: just over 10% of the base
confirmed (villages and a few communities), unevenly across townships, most plans
accepted as rectified, some still in progress, one late."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from baolei.accounts.models import User
from baolei.ledger import services as ledger
from baolei.ledger.models import AcceptanceResult
from baolei.regions.models import Level, Region
from baolei.screening import services
from baolei.screening.models import Decision, Proposal, ScreeningRound

REVIEWERS = [
    "discipline_reviewer",
    "politicallegal_reviewer",
    "police_reviewer",
    "organisation_reviewer",
]
NOTES = {
    "01": "村党组织书记长期外出务工，班子无人主事",
    "04": "村级账目多年未公开，群众多次反映",
    "06": "原村委会主任涉黑涉恶被依法查处",
    "07": "村霸强揽工程、欺压群众",
    "08": "宗族势力干扰换届选举",
    "13": "集体经济收入为零，集体资产被个人侵占",
}


@transaction.atomic
def build_screening(today: date, rectify_all: bool = False) -> int:
    """Once: an existing demo round means the screening is built."""
    if ScreeningRound.objects.filter(name__startswith="演示").exists():
        return 0
    rng = random.Random(112)  # noqa: S311 - demo data
    office = User.objects.get(username="office_reviewer")
    leader = User.objects.get(username="city_leader")
    clerk = User.objects.get(username="office_clerk")
    reviewers = [User.objects.get(username=u) for u in REVIEWERS]
    city = Region.objects.get(level=Level.CITY)
    start = today - timedelta(days=260)
    round_ = services.open_round(
        actor=office,
        name="演示：软弱涣散村党组织动态排查",
        region=city,
        negative_list=services.ensure_default_list(),
        starts_on=start,
        ends_on=today - timedelta(days=150),
        plan_days=240,
    )
    items = {i.code: i for i in round_.negative_list.items.all()}
    villages = list(round_.screenings.filter(region__level=Level.VILLAGE).select_related("region"))
    communities = list(
        round_.screenings.filter(region__level=Level.COMMUNITY).select_related("region")
    )
    chosen = rng.sample(villages, 109) + rng.sample(communities, 3)
    cleared = rng.sample([s for s in villages if s not in chosen], 60)
    for n, screening in enumerate(chosen):
        on = start + timedelta(days=10 + n % 60) if n else start
        codes = rng.sample(sorted(NOTES), k=1 + n % 2)
        services.record_result(
            actor=clerk,
            screening=screening,
            proposal=Proposal.FLAG,
            hits=[(items[c], NOTES[c]) for c in codes],
            on=on,
            archive=services.ArchiveRecord("档案核查组", on, "已逐一核对2012年以来村级档案"),
        )
        for reviewer in reviewers:
            services.review(actor=reviewer, screening=screening, decision=Decision.AGREE, on=on)
        screening.refresh_from_db()
        if rectify_all or (n % 10 != 9 and n):  # nine in ten rectified; the first is left late
            assert screening.plan is not None  # noqa: S101
            ledger.add_progress(
                actor=clerk,
                item=screening.plan,
                on=on + timedelta(days=60),
                text="整顿措施全部落实",
            )
            ledger.accept_item(
                actor=office,
                item=screening.plan,
                on=on + timedelta(days=120),
                result=AcceptanceResult.ACCEPTED,
                long_term=n % 3 == 0,
                notes="整顿提升到位",
            )
    for screening in cleared:
        services.record_result(
            actor=clerk, screening=screening, proposal=Proposal.CLEAR, on=start + timedelta(days=5)
        )
    services.close_round(actor=leader, round_=round_, on=today - timedelta(days=150))
    return len(chosen)
