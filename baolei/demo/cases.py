"""Demo cases whose figures for the last 300 days read like the report's: police newly
filed 6 gang-nature and 4 evil-force cases and caught 132 suspects; the procuratorate
prosecuted 1 and 3; courts decided 5 and 2 at first instance and concluded 5 and 3 at
second instance; assets held rose from 5.8 million yuan to 360 million."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from baolei.accounts.models import Agency, AgencyKind, User
from baolei.cases import services
from baolei.cases.models import Case, Stage
from baolei.people import idnumber
from baolei.people.services import create_person
from baolei.regions.models import Level, Region

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦许何吕施张孔曹严华金魏陶姜"
GIVEN = ["某", "某某", "某甲", "某乙", "某丙", "某丁"]


def id_number(county: Region, birth: date, sequence: int) -> str:
    body = f"{county.code[:6]}{birth:%Y%m%d}{sequence:03d}"
    return body + idnumber.check_char(body)


class CaseBuilder:
    def __init__(self, today: date) -> None:
        self.today = today
        self.start = today - timedelta(days=300)
        self.rng = random.Random(132)  # noqa: S311 - demo data
        self.police = User.objects.get(username="police_clerk")
        self.procuratorate = User.objects.get(username="procuratorate_clerk")
        self.court = User.objects.get(username="court_clerk")
        self.counties = list(Region.objects.filter(level=Level.COUNTY).order_by("code"))
        self.number = 0
        self.people = 0

    def case(self, kind: str, opened: date, n: int) -> Case:
        county = self.counties[n % len(self.counties)]
        village = Region.objects.filter(code__under=county.prefix, level=Level.VILLAGE).order_by(
            "code"
        )[n]
        lead = Agency.objects.get(kind=AgencyKind.POLICE, region=county)
        self.number += 1
        boss = f"{SURNAMES[self.number % len(SURNAMES)]}{GIVEN[self.number % len(GIVEN)]}"
        label = (
            "黑社会性质组织"
            if kind == "gang"
            else "恶势力犯罪集团"
            if kind == "evil_group"
            else "恶势力"
        )
        return services.open_case(
            actor=self.police,
            number=f"{county.name[:2]}公刑〔{opened.year}〕{self.number:03d}号",
            name=f"{boss}等人{label}案",
            kind=kind,
            region=village,
            lead_agency=lead,
            opened_on=opened,
            summary=f"以{boss}为首的{label}长期在{village.name}一带欺行霸市、强揽工程。",
        )

    def stage(
        self, case: Case, stage: Stage, on: date, characterisation: str = "", outcome: str = ""
    ) -> None:
        actor = (
            self.police
            if stage in (Stage.TRANSFERRED,)
            else (
                self.procuratorate
                if stage in (Stage.ARREST_APPROVED, Stage.PROSECUTED)
                else self.court
            )
        )
        services.record_stage(
            actor=actor,
            case=case,
            stage=stage,
            on=on,
            characterisation=characterisation,
            outcome=outcome,
        )

    def suspects(self, case: Case, count: int, caught_on: date) -> None:
        county = next(c for c in self.counties if case.region.code.startswith(c.prefix))
        for n in range(count):
            self.people += 1
            birth = date(1970 + self.people % 20, 1 + self.people % 12, 1 + self.people % 28)
            person = create_person(
                actor=self.police,
                name=f"{SURNAMES[self.people % len(SURNAMES)]}{GIVEN[n % len(GIVEN)]}{self.people}",
                region=case.region,
                id_number=id_number(county, birth, 900 + self.people % 100),
                note="演示数据，虚构人员",
            )
            suspect = services.add_suspect(
                actor=self.police,
                case=case,
                person=person,
                role="leader" if n == 0 else ("active" if n < 4 else "other"),
            )
            services.record_suspect_status(
                actor=self.police,
                suspect=suspect,
                status="caught",
                on=caught_on + timedelta(days=n % 5),
            )

    def asset(
        self, case: Case, value: str, on: date, kind: str = "deposit", measure: str = "freeze"
    ) -> None:
        services.record_asset(
            actor=self.police,
            case=case,
            kind=kind,
            measure=measure,
            description="涉案财产",
            value=Decimal(value),
            on=on,
        )


@transaction.atomic
def build_cases(today: date) -> int:
    """Once: existing cases mean the demo cases are built. Returns the number of cases."""
    if Case.objects.exists():
        return 0
    b = CaseBuilder(today)
    before = b.start - timedelta(days=400)
    old = [("gang", "gang")] * 5 + [("evil_group", "evil_group")] * 2
    for n, (kind, found) in enumerate(old):
        case = b.case(kind, before + timedelta(days=n), n)
        b.stage(case, Stage.ARREST_APPROVED, before + timedelta(days=30))
        b.stage(case, Stage.TRANSFERRED, before + timedelta(days=150))
        b.stage(case, Stage.PROSECUTED, before + timedelta(days=220), kind)
        b.stage(case, Stage.FIRST_INSTANCE, b.start + timedelta(days=20 + n * 10), found)
        b.stage(
            case, Stage.SECOND_INSTANCE, b.start + timedelta(days=120 + n * 10), found, "upheld"
        )
        b.asset(case, "500000.00" if n < 6 else "2800000.00", before + timedelta(days=40))
    earlier = b.case("evil_force", before - timedelta(days=100), 7)
    b.stage(earlier, Stage.ARREST_APPROVED, before - timedelta(days=80))
    b.stage(earlier, Stage.TRANSFERRED, before)
    b.stage(earlier, Stage.PROSECUTED, before + timedelta(days=60), "evil_force")
    b.stage(earlier, Stage.FIRST_INSTANCE, b.start - timedelta(days=30), "evil_force")
    b.stage(earlier, Stage.SECOND_INSTANCE, b.start + timedelta(days=60), "evil_force", "amended")
    new = ["gang"] * 6 + ["evil_group", "evil_force", "evil_force", "evil_group"]
    caught = [14] * 6 + [12] * 4  # 84 + 48 = 132
    values = [
        "60000000.00",
        "45000000.00",
        "80000000.00",
        "30000000.00",
        "52000000.00",
        "40000000.00",
        "15000000.00",
        "12200000.00",
        "10000000.00",
        "10000000.00",
    ]
    for n, kind in enumerate(new):
        opened = b.start + timedelta(days=10 + n * 15)
        case = b.case(kind, opened, n + 8)
        b.suspects(case, caught[n], opened + timedelta(days=3))
        b.asset(
            case,
            values[n],
            opened + timedelta(days=20),
            kind="real_estate" if n % 2 else "deposit",
            measure="seal" if n % 2 else "freeze",
        )
        if n in (0, 6, 7, 8):  # 1 gang-nature and 3 evil-force cases prosecuted within the period
            b.stage(case, Stage.ARREST_APPROVED, opened + timedelta(days=30))
            b.stage(case, Stage.TRANSFERRED, opened + timedelta(days=90))
            b.stage(case, Stage.PROSECUTED, opened + timedelta(days=130), kind)
        elif n % 2:
            b.stage(case, Stage.ARREST_APPROVED, opened + timedelta(days=30))
    return Case.objects.count()
