"""Demo background review: a small external list with planted near-matches of
real demo cadres, and one completed run over the whole city."""

from __future__ import annotations

import random
from datetime import date, timedelta

from baolei.accounts.models import User
from baolei.cadres.models import Appointment
from baolei.cadres.queries import in_office
from baolei.people.models import Person
from baolei.vetting import services
from baolei.vetting.models import Source, VettingRun
from matching import ids

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"
GIVEN = "德昌茂林海波永贵金福春生秀兰桂芳"
TRADITIONAL = str.maketrans("张刘陈杨国华伟东兴发贵", "張劉陳楊國華偉東興發貴")
HOMOPHONE = str.maketrans("建国明华军伟志林海", "剑帼铭桦君玮智琳嗨")


def build_vetting(today: date) -> int:
    """Once: an existing run means the demo review is built. Returns the candidates found."""
    if VettingRun.objects.exists():
        return 0
    clerk = User.objects.get(username="office_clerk")
    roster = list(in_office(Appointment.objects.all(), today).select_related("person")[:300])
    sounding = [a for a in roster if a.person.name.translate(HOMOPHONE) != a.person.name]
    if len(roster) < 3 or not sounding or clerk.agency is None:
        return 0
    others = [a for a in roster if a.person_id != sounding[0].person_id]
    rows = planted([others[0], sounding[0], others[1]])
    rng = random.Random(8)
    for _ in range(20):
        born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 365 * 40))
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=2))
        rows.append(services.EntryRow(name, "", born, "演示名单人员"))
    services.import_external_list(
        actor=clerk,
        name="市公安局涉黑涉恶前科人员名单（演示）",
        source_agency="市公安局",
        rows=rows,
    )
    run = services.run_vetting(
        actor=clerk,
        region=clerk.agency.region,
        sources=[Source.CASES, Source.CLUES, Source.EXTERNAL],
    )
    return run.candidates.count()


def planted(cadres: list[Appointment]) -> list[services.EntryRow]:
    """The same person written three ways: traditional characters, a homophone with the
    birth date, and the ID number with one digit mistyped."""
    first, second, third = (a.person for a in cadres)
    number = services.person_number(third)
    typo = number[:15] + str((int(number[15]) + 1) % 10) + number[16:] if number else ""
    return [
        services.EntryRow(
            first.name.translate(TRADITIONAL),
            services.person_number(first),
            first.birth_date,
            "寻衅滋事前科",
        ),
        services.EntryRow(second.name.translate(HOMOPHONE), "", born(second), "非法采砂在查"),
        services.EntryRow(third.name, typo, third.birth_date if not typo else None, "强迫交易前科"),
    ]


def born(person: Person) -> date | None:
    return person.birth_date or ids.birth_date(ids.canonical(services.person_number(person)))
