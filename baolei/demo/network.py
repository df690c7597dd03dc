"""Demo relations (人员关系) that make a visible network: the first gang case's suspects
reach two village cadres of the case's county — the leader through his brother, who
guaranteed a loan of a village Party secretary; an active member through a building
company whose shareholder is a village committee director — beside the gang's own ties."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from baolei.accounts.models import User
from baolei.cadres.models import Appointment, Post
from baolei.cadres.queries import in_office
from baolei.cases.models import Case, CaseKind
from baolei.network.models import Relation
from baolei.network.services import add_relation
from baolei.people.models import Person
from baolei.people.services import create_person
from baolei.regions.models import Level

NOTE = "演示数据，虚构人员"


def gang_case() -> Case | None:
    """The first gang case with at least four suspects."""
    cases = Case.objects.filter(kind=CaseKind.GANG).order_by("opened_on", "pk")
    return next((c for c in cases if c.suspects.count() >= 4), None)


def village_cadres(case: Case, today: date) -> list[Appointment]:
    """A village Party secretary and a village committee director of the case's county,
    in two villages, nearest the case's village first."""
    county = case.region.code[:6]
    rows = in_office(
        Appointment.objects.filter(
            region__code__under=county,
            region__level=Level.VILLAGE,
            post__in=[Post.SECRETARY, Post.SECRETARY_DIRECTOR, Post.DIRECTOR],
        ),
        today,
    ).select_related("person", "region")
    found = sorted(rows, key=lambda a: (a.region.code[:9] != case.region.code[:9], a.region.code))
    secretary = next((a for a in found if a.post != Post.DIRECTOR), None)
    others = [a for a in found if secretary is None or a.region_id != secretary.region_id]
    director = next((a for a in others if a.post == Post.DIRECTOR), None) or next(
        iter(others), None
    )
    return [a for a in (secretary, director) if a is not None]


@transaction.atomic
def build_network(today: date) -> int:
    """Once: existing relations mean the demo network is built. Returns relations made."""
    if Relation.objects.exists():
        return 0
    case = gang_case()
    if case is None:
        return 0
    cadres = village_cadres(case, today)
    if len(cadres) < 2:
        return 0
    clerk = User.objects.get(username="office_clerk")
    suspects = [s.person for s in case.suspects.select_related("person").order_by("pk")]
    leader, active, third, fourth = suspects[:4]
    secretary, director = cadres[0].person, cadres[1].person
    brother = create_person(
        actor=clerk, name=f"{leader.name[0]}某兄", region=case.region, note=NOTE
    )
    company = create_person(
        actor=clerk, name=f"{active.name[0]}某商", region=cadres[1].region, note=NOTE
    )
    cousin = create_person(
        actor=clerk, name=f"{secretary.name[0]}某表", region=cadres[0].region, note=NOTE
    )
    began = today - timedelta(days=900)

    def relate(a: Person, b: Person, kind: str, detail: str, source: str, days: int) -> None:
        add_relation(
            actor=clerk,
            person_a=a,
            person_b=b,
            kind=kind,
            detail=detail,
            source=source,
            began_on=began + timedelta(days=days),
        )

    relate(leader, brother, "kin", "兄弟姐妹", "户籍资料", 0)
    relate(brother, secretary, "guarantee", "为其银行贷款50万元提供担保", "银行贷款档案", 120)
    relate(secretary, cousin, "kin", "堂表亲", "户籍资料", 0)
    relate(cousin, leader, "funds", "多次大额转账，合计86万元", "银行流水", 300)
    relate(active, company, "funds", "工程款往来", "银行流水", 200)
    relate(company, director, "business", "同为某建材公司股东", "工商登记资料", 150)
    relate(leader, active, "accomplice", "", "讯问笔录", 30)
    relate(active, third, "employment", "雇佣看场", "询问笔录", 60)
    relate(leader, fourth, "kin", "叔侄", "户籍资料", 0)
    return Relation.objects.count()
