"""A small gang network in county A (甲县) over the fixed cast:

    case 甲县黄某等人恶势力案 ── suspects 黄某 (leader), 钱某
    黄某 ─亲属(兄弟姐妹)─ 黄某二 ─担保─ 刘书记 (village Party secretary of 甲县一村)
    钱某 ─资金往来─ 孙某 ─雇佣─ 赵主任 (village committee director of 甲县一村)
    an umbrella clue, held by the city discipline commission, names 黄某 and 官某

Relations are entered through the service by the county-A clerk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from baolei.cadres.models import Appointment, Post
from baolei.cases.models import Case, Suspect
from baolei.clues.models import Clue
from baolei.network import services
from baolei.network.models import Relation
from baolei.people.models import Person


@dataclass
class Gang:
    case: Case
    boss: Person
    henchman: Person
    brother: Person
    middleman: Person
    secretary: Person
    director: Person
    official: Person
    bystander: Person
    clue: Clue
    secretary_post: Appointment
    relations: list[Relation]


def person(name: str, region: Any) -> Person:
    return Person.objects.create(name=name, region=region)


def appoint(who: Person, region: Any, post: str) -> Appointment:
    return Appointment.objects.create(
        person=who,
        region=region,
        post=post,
        started_on=date(2021, 3, 1),
        term_starts_on=date(2021, 3, 1),
        term_ends_on=date(2099, 2, 28),
    )


@pytest.fixture
def gang(world: Any) -> Gang:
    village = world.village_a
    people = {
        key: person(name, village)
        for key, name in [
            ("boss", "黄某"),
            ("henchman", "钱某"),
            ("brother", "黄某二"),
            ("middleman", "孙某"),
            ("secretary", "刘书记"),
            ("director", "赵主任"),
            ("official", "官某"),
            ("bystander", "路人甲"),
        ]
    }
    case = Case.objects.create(
        number="甲公刑〔2026〕9号",
        name="甲县黄某等人恶势力案",
        kind="evil_force",
        region=village,
        lead_agency=world.agencies["a_police"],
        opened_on=date(2026, 1, 10),
    )
    Suspect.objects.create(case=case, person=people["boss"], role="leader")
    Suspect.objects.create(case=case, person=people["henchman"], role="active")
    clue = Clue.objects.create(
        year=2026,
        sequence=901,
        number="线索〔2026〕0901号",
        received_on=date(2026, 2, 1),
        source="public_report",
        category="umbrella",
        summary="官某为黄某充当保护伞",
        region=village,
        handling_agency=world.agencies["city_discipline"],
        deadline=date(2026, 5, 1),
    )
    clue.persons.set([people["boss"], people["official"]])
    secretary_post = appoint(people["secretary"], village, Post.SECRETARY)
    appoint(people["director"], village, Post.DIRECTOR)
    relations = [
        services.add_relation(
            actor=world.a_clerk,
            person_a=people[a],
            person_b=people[b],
            kind=kind,
            detail=detail,
            source="询问笔录",
            began_on=date(2020, 5, 1),
        )
        for a, b, kind, detail in [
            ("boss", "brother", "kin", "兄弟姐妹"),
            ("brother", "secretary", "guarantee", ""),
            ("henchman", "middleman", "funds", ""),
            ("middleman", "director", "employment", ""),
        ]
    ]
    return Gang(case=case, clue=clue, secretary_post=secretary_post, relations=relations, **people)
