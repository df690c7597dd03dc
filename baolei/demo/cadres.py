"""A village cadre roster for every demo village and community (two cadres each, invented
names, valid-checksum ID numbers on the demo city's invented 5299 area codes), one
city-wide duty evaluation, executed adjustments, education upgrade, and 8 "领头雁"
training bases with sessions."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from baolei.accounts.models import User
from baolei.cadres import services
from baolei.cadres.models import (
    SECRETARY_POSTS,
    Adjustment,
    Appointment,
    EvaluationCampaign,
    Post,
    Rating,
    Reason,
)
from baolei.people.idnumber import check_char
from baolei.people.models import Education, Person
from baolei.people.services import create_person
from baolei.regions.models import VILLAGE_LEVELS, Level, Region

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷黎史龙陶贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国明华志强伟军平永春德庆光兴海红英秀兰芳桂玉梅丽云霞文斌俊杰涛勇刚毅辉鹏飞翔宇浩然立新东升福顺金成家和安康晓静雪松柏青山泉林"
CAMPAIGN = "演示：2026年村（社区）党组织书记履职研判"
EDUCATIONS = [
    Education.JUNIOR_SECONDARY,
    Education.SENIOR_SECONDARY,
    Education.SENIOR_SECONDARY,
    Education.JUNIOR_COLLEGE,
    Education.UNDERGRADUATE,
]
RATINGS = [Rating.EXCELLENT] * 20 + [Rating.COMPETENT] * 62 + [Rating.BASIC] * 15


class Roster:
    def __init__(self, today: date) -> None:
        self.rng = random.Random(2020)  # noqa: S311 - demo data
        self.today = today
        self.clerk = User.objects.get(username="organisation_clerk")
        self.reviewer = User.objects.get(username="organisation_reviewer")
        self.used: set[str] = set()
        self.term = {
            "term_starts_on": date(today.year - 2, 3, 1),
            "term_ends_on": date(today.year + 3, 2, 28),
        }

    def id_number(self, region: Region) -> str:
        """Address code of the county (5299xx), a birth date 1962–1995, an unused sequence."""
        while True:
            born = date(1962, 1, 1) + timedelta(days=self.rng.randrange(34 * 365))
            first17 = f"{region.code[:6]}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
            if first17 not in self.used:
                self.used.add(first17)
                return first17 + check_char(first17)

    def person(self, region: Region) -> Person:
        name = self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice((1, 2))))
        return create_person(
            actor=self.clerk,
            name=name,
            region=region,
            id_number=self.id_number(region),
            ethnicity="汉族",
            education=self.rng.choice(EDUCATIONS),
            party_member=True,
        )

    def appoint(self, region: Region, post: str, started_on: date | None = None) -> Appointment:
        return services.appoint(
            actor=self.clerk,
            person=self.person(region),
            region=region,
            post=post,
            started_on=started_on or self.term["term_starts_on"],
            term_starts_on=self.term["term_starts_on"],
            term_ends_on=self.term["term_ends_on"],
        )

    def team(self, region: Region) -> Appointment:
        """Two cadres: 一肩挑 and a member in most places, else secretary and director."""
        village = region.level == Level.VILLAGE
        if self.rng.random() < 0.7:
            head = Post.SECRETARY_DIRECTOR if village else Post.COMMUNITY_SECRETARY_DIRECTOR
            second = Post.MEMBER if village else Post.COMMUNITY_MEMBER
        else:
            head = Post.SECRETARY if village else Post.COMMUNITY_SECRETARY
            second = Post.DIRECTOR if village else Post.COMMUNITY_DIRECTOR
        secretary = self.appoint(region, head)
        self.appoint(region, second)
        return secretary


@transaction.atomic
def build_cadres(today: date, executed: int | None = None, city_bases: int = 3) -> int:
    """Once: an existing demo campaign means the roster is built. Returns cadres created.
    ``executed`` asks for exactly that many executed adjustments (the seed scenario's 118);
    ``city_bases`` of the eight training bases are city-level (the seed's article: all 8)."""
    if EvaluationCampaign.objects.filter(name=CAMPAIGN).exists():
        return 0
    roster = Roster(today)
    villages = list(Region.objects.filter(level__in=VILLAGE_LEVELS).order_by("code"))
    secretaries = [roster.team(v) for v in villages]
    evaluate(roster, secretaries)
    adjust(roster, secretaries, executed)
    educate(roster, secretaries)
    train(roster, villages, city_bases)
    return Appointment.objects.count()


def evaluate(roster: Roster, secretaries: list[Appointment]) -> None:
    """Every secretary evaluated except a third of the last county's (coverage below 100%);
    about 2% rated 不称职, which proposes their adjustment."""
    today = roster.today
    campaign = services.open_campaign(
        actor=roster.clerk,
        name=CAMPAIGN,
        region=Region.objects.get(level=Level.CITY),
        period_starts_on=today - timedelta(days=240),
        period_ends_on=today - timedelta(days=120),
    )
    last_county = secretaries[-1].region.code[:6]
    for n, secretary in enumerate(secretaries):
        if secretary.region.code.startswith(last_county) and n % 3 == 0:
            continue
        rating = Rating.INCOMPETENT if n % 47 == 5 else roster.rng.choice(RATINGS)
        services.record_evaluation(
            actor=roster.clerk,
            campaign=campaign,
            appointment=secretary,
            rating=rating,
            findings="群众反映强烈，履职不力" if rating == Rating.INCOMPETENT else "履职情况良好",
            evaluator=f"{secretary.region.parent.name if secretary.region.parent else ''}党委",
            on=today - timedelta(days=150 - n % 30),
        )


def adjust(roster: Roster, secretaries: list[Appointment], executed: int | None = None) -> None:
    """Approve the evaluation's proposals and a few others; execute most with a successor,
    some leaving the post vacant, one left approved and one still awaiting approval."""
    today = roster.today
    others = [
        (secretaries[n], reason)
        for n, reason in (
            (11, Reason.GANG_EVIL),
            (230, Reason.GANG_EVIL),
            (420, Reason.DISCIPLINE),
            (640, Reason.UNQUALIFIED),
            (880, Reason.OTHER),
        )
    ]
    if executed is not None:
        # the last two proposals stay unexecuted (one approved, one awaiting approval)
        wanted = executed + 2 - Adjustment.objects.filter(decision="").count() - len(others)
        taken = {a.pk for a, _ in others} | set(
            Adjustment.objects.values_list("appointment_id", flat=True)
        )
        spare = [s for s in secretaries if s.pk not in taken]
        step = max(1, len(spare) // max(wanted, 1))
        others += [(s, Reason.INCOMPETENT) for s in spare[::step][: max(wanted, 0)]]
    for appointment, reason in others:
        services.propose_adjustment(
            actor=roster.clerk,
            appointment=appointment,
            reason=reason,
            details="经核查存在问题，建议调整",
            on=today - timedelta(days=100),
        )
    proposals = list(
        Adjustment.objects.filter(decision="")
        .select_related("appointment__region", "appointment__person")
        .order_by("pk")
    )
    for n, adjustment in enumerate(proposals):
        if n == len(proposals) - 1:
            break  # awaiting the organisation department
        decided_on = adjustment.proposed_on + timedelta(days=10)
        services.decide_adjustment(
            actor=roster.reviewer, adjustment=adjustment, decision="approved", on=decided_on
        )
        if n == len(proposals) - 2:
            continue  # approved, not yet executed: still on the roster
        executed_on = min(today, decided_on + timedelta(days=15 + n % 60))
        successor = None
        if n % 4 != 3:
            region = adjustment.appointment.region
            successor = roster.person(region)
        services.execute_adjustment(
            actor=roster.clerk, adjustment=adjustment, on=executed_on, successor=successor
        )


def educate(roster: Roster, secretaries: list[Appointment]) -> None:
    """The three-year education upgrade: every tenth secretary enrolled, some graduated."""
    today = roster.today
    for n, secretary in enumerate(secretaries[::10]):
        enrolled_on = date(today.year - 2, 9, 1)
        enrolment = services.enrol(
            actor=roster.clerk,
            person=secretary.person,
            target_level=Education.JUNIOR_COLLEGE if n % 3 else Education.UNDERGRADUATE,
            institution="清源开放大学" if n % 2 else "清源职业技术学院",
            enrolled_on=enrolled_on,
            expected_on=date(today.year + 1, 7, 1),
        )
        if n % 5 == 0:
            services.finish_enrolment(
                actor=roster.clerk, enrolment=enrolment, on=date(today.year, 7, 1)
            )


def train(roster: Roster, villages: list[Region], city_bases: int = 3) -> None:
    """8 "领头雁" bases, one per county-level unit, each with sessions of its county's cadres;
    the first ``city_bases`` of them are city-level, the others county-level."""
    today = roster.today
    counties = Region.objects.filter(level=Level.COUNTY).order_by("code")
    for index, county in enumerate(counties):
        local = [v for v in villages if v.code.startswith(county.code[:6])]
        site = local[len(local) // 2]
        base = services.open_base(
            actor=roster.clerk,
            name=f"{site.name}“领头雁”实训基地",
            region=site,
            level="city" if index < city_bases else "county",
            opened_on=min(today, date(2019, 4, 1)) + timedelta(days=20 * index),
        )
        trainees = list(
            Person.objects.filter(region__in=local, appointments__post__in=SECRETARY_POSTS)
            .distinct()
            .order_by("pk")
        )
        for number, kind in enumerate(("shadowing", "classroom", "shadowing")):
            starts_on = today - timedelta(days=300 - 90 * number - index)
            session = services.schedule_session(
                actor=roster.clerk,
                base=base,
                title=f"第{number + 1}期村党组织书记{'脱产跟岗' if kind == 'shadowing' else '集中'}培训",
                kind=kind,
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=29 if kind == "shadowing" else 4),
            )
            for n, person in enumerate(trainees[number * 12 : number * 12 + 12]):
                services.record_attendance(
                    actor=roster.clerk, session=session, person=person, completed=n % 11 != 10
                )
