"""The fixed cast shared by every test.

Two counties under one city: 甲县 (county A) and 乙县 (county B, the outsider's).
Everything that belongs to county B carries the marker 乙县 in its name, so a
page that leaks a row of county B to a user of county A shows the marker.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings

from baolei.accounts.models import Agency, AgencyKind, Role, RoleAssignment, User
from baolei.audit import guard
from baolei.regions.models import GovernanceCentre, Level, Region

PASSWORD = "Test@2026pw"
OUTSIDER_MARK = "乙县"


@dataclass
class World:
    city: Region
    county_a: Region
    county_b: Region
    township_a: Region
    township_b: Region
    village_a: Region
    village_b: Region
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    #: one county-B row of each scoped model, for the scoping tests
    outsider_rows: dict[type, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


def make_region(code: str, name: str, level: Level, parent: Region | None) -> Region:
    return Region.objects.create(code=code, name=name, level=level, parent=parent)


def make_user(username: str, agency: Agency, *roles: Role) -> User:
    user = User(username=username, name=username, agency=agency)
    user.set_password(PASSWORD)
    user.save()
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role)
    return user


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


@contextmanager
def built_once(django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[None]:
    """Data that a whole test module shares, built once (the demo city takes seconds
    to minutes to build).  It is written inside one transaction that is rolled back
    when the module ends, so every test runs in a savepoint over it, no other module
    sees it, and the append-only security log is never deleted from.  A module that
    uses it keeps to tests that want that data; mark it with an ``xdist_group`` so
    that one worker builds it."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, TASKS=IMMEDIATE_TASKS, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@pytest.fixture
def world(db: Any) -> World:
    city = make_region("510100000000", "某市", Level.CITY, None)
    county_a = make_region("510121000000", "甲县", Level.COUNTY, city)
    county_b = make_region("510122000000", "乙县", Level.COUNTY, city)
    township_a = make_region("510121100000", "甲县一镇", Level.TOWNSHIP, county_a)
    township_b = make_region("510122100000", "乙县二镇", Level.TOWNSHIP, county_b)
    village_a = make_region("510121100200", "甲县一村", Level.VILLAGE, township_a)
    village_b = make_region("510122100200", "乙县二村", Level.VILLAGE, township_b)
    w = World(city, county_a, county_b, township_a, township_b, village_a, village_b)
    for region in (county_a, county_b, township_a):
        GovernanceCentre.objects.create(
            region=region, name=f"{region.name}综治中心", established_on=date(2019, 3, 1)
        )
    a = w.agencies
    a["city_office"] = Agency.objects.create(
        name="某市扫黑办", kind=AgencyKind.CAMPAIGN_OFFICE, region=city
    )
    a["city_discipline"] = Agency.objects.create(
        name="某市纪委监委", kind=AgencyKind.DISCIPLINE, region=city
    )
    a["city_police"] = Agency.objects.create(name="某市公安局", kind=AgencyKind.POLICE, region=city)
    a["a_office"] = Agency.objects.create(
        name="甲县扫黑办", kind=AgencyKind.CAMPAIGN_OFFICE, region=county_a
    )
    a["a_police"] = Agency.objects.create(
        name="甲县公安局", kind=AgencyKind.POLICE, region=county_a
    )
    a["b_office"] = Agency.objects.create(
        name="乙县扫黑办", kind=AgencyKind.CAMPAIGN_OFFICE, region=county_b
    )
    u = w.users
    u["city_leader"] = make_user("city_leader", a["city_office"], Role.LEADER)
    u["a_clerk"] = make_user("a_clerk", a["a_office"], Role.CLERK)
    u["a_reviewer"] = make_user("a_reviewer", a["a_office"], Role.REVIEWER)
    u["a_sysadmin"] = make_user("a_sysadmin", a["a_office"], Role.SYSTEM_ADMIN)
    u["a_secadmin"] = make_user("a_secadmin", a["a_office"], Role.SECURITY_ADMIN)
    u["b_clerk"] = make_user("乙县_clerk", a["b_office"], Role.CLERK)
    u["discipline_clerk"] = make_user("discipline_clerk", a["city_discipline"], Role.CLERK)
    u["police_clerk"] = make_user("police_clerk", a["city_police"], Role.CLERK)
    u["sysadmin"] = make_user("sysadmin", a["city_office"], Role.SYSTEM_ADMIN)
    u["secadmin"] = make_user("secadmin", a["city_office"], Role.SECURITY_ADMIN)
    u["auditadmin"] = make_user("auditadmin", a["city_office"], Role.AUDIT_ADMIN)
    w.outsider_rows[Region] = village_b
    w.outsider_rows[GovernanceCentre] = GovernanceCentre.objects.get(region=county_b)
    w.outsider_rows[Agency] = a["b_office"]
    w.outsider_rows[User] = u["b_clerk"]
    add_people_rows(w)
    add_ledger_rows(w)
    add_screening_rows(w)
    add_supervision_rows(w)
    add_coordination_rows(w)
    add_case_rows(w)
    add_clue_rows(w)
    add_cadre_rows(w)
    add_vetting_rows(w)
    return w


def add_people_rows(w: World) -> None:
    """One county-B person with an ID and phone number, for the scoping tests."""
    from baolei.people.models import Person
    from baolei.people.services import create_person

    w.outsider_rows[Person] = create_person(
        actor=w.users["b_clerk"],
        name="乙县张三",
        region=w.village_b,
        id_number="529902197208150029",
        phone="13912345678",
    )


def add_ledger_rows(w: World) -> None:
    """One county-B ledger item with evidence, for the scoping tests."""
    from django.core.files.base import ContentFile

    from baolei.ledger.models import Evidence, LedgerItem

    item = LedgerItem.objects.create(
        key="TZ-乙县-0001",
        title="乙县二村整改",
        region=w.village_b,
        owner_agency=w.agencies["b_office"],
        responsible_person="乙县责任人",
        deadline=date(2020, 1, 1),
    )
    evidence = Evidence(
        item=item, name="乙县材料.pdf", kind="PDF", size=9, uploaded_by=w.users["b_clerk"]
    )
    evidence.file.save("b.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    w.outsider_rows[LedgerItem] = item
    w.outsider_rows[Evidence] = evidence


def add_screening_rows(w: World) -> None:
    """A county-B screening round and organisation, for the scoping tests."""
    from baolei.screening.models import Screening, ScreeningRound
    from baolei.screening.services import ensure_default_list

    round_ = ScreeningRound.objects.create(
        name="乙县排查",
        region=w.county_b,
        negative_list=ensure_default_list(),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
        required_reviewers=["police"],
    )
    w.outsider_rows[ScreeningRound] = round_
    w.outsider_rows[Screening] = Screening.objects.create(round=round_, region=w.village_b)


def add_supervision_rows(w: World) -> None:
    """County-B supervision records of every kind, for the scoping tests."""
    from baolei.supervision import models as sv

    plan = sv.SupervisionPlan.objects.create(
        title="乙县督导方案",
        region=w.county_b,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    team = sv.Team.objects.create(plan=plan, name="乙县督导组", leader="乙县组长")
    team.counties.set([w.county_b])
    round_ = sv.SupervisionRound.objects.create(
        plan=plan, number=1, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31)
    )
    w.outsider_rows[sv.SupervisionPlan] = plan
    w.outsider_rows[sv.Team] = team
    w.outsider_rows[sv.SupervisionRound] = round_
    w.outsider_rows[sv.LeaderAssignment] = sv.LeaderAssignment.objects.create(
        plan=plan, leader="乙县联系领导", county=w.county_b
    )
    w.outsider_rows[sv.LaggingCounty] = sv.LaggingCounty.objects.create(
        plan=plan,
        county=w.county_b,
        designated_on=date(2026, 4, 1),
        reason="乙县滞后",
        remediation_plan="乙县方案",
    )
    w.outsider_rows[sv.Problem] = sv.Problem.objects.create(
        source="self_inspection",
        scope="individual",
        number="乙县-1",
        region=w.county_b,
        description="乙县问题",
        deadline=date(2026, 12, 31),
        received_on=date(2026, 1, 1),
    )


def add_coordination_rows(w: World) -> None:
    """County-B meetings, mechanisms and an assessment scheme, for the scoping tests."""
    from baolei.coordination import models as co

    meeting = co.Meeting.objects.create(
        kind="joint_meeting",
        held_on=date(2026, 5, 1),
        topic="乙县联席会议",
        region=w.county_b,
        convener=w.agencies["b_office"],
    )
    mechanism = co.Mechanism.objects.create(
        title="乙县线索移送制度", region=w.county_b, issued_on=date(2026, 1, 1), kind="system"
    )
    mechanism.issuers.set([w.agencies["b_office"]])
    w.outsider_rows[co.Meeting] = meeting
    w.outsider_rows[co.Mechanism] = mechanism
    w.outsider_rows[co.AssessmentScheme] = co.AssessmentScheme.objects.create(
        name="乙县考核", region=w.county_b, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )


def add_case_rows(w: World) -> None:
    """A county-B case, for the scoping tests."""
    from baolei.cases.models import Case, Stage, StageEvent

    police = Agency.objects.create(name="乙县公安局", kind=AgencyKind.POLICE, region=w.county_b)
    case = Case.objects.create(
        number="乙公刑〔2026〕1号",
        name="乙县某恶势力案",
        kind="evil_force",
        region=w.village_b,
        lead_agency=police,
        opened_on=date(2026, 2, 1),
    )
    StageEvent.objects.create(
        case=case,
        stage=Stage.FILED,
        on=date(2026, 2, 1),
        agency=police,
        recorded_by=w.users["b_clerk"],
    )
    w.outsider_rows[Case] = case


def add_cadre_rows(w: World) -> None:
    """County-B cadre records of every kind with a page or API detail, for the scoping tests."""
    from baolei.cadres import models as cd
    from baolei.people.models import Person

    person = w.outsider_rows[Person]
    user = w.users["b_clerk"]
    appointment = cd.Appointment.objects.create(
        person=person,
        region=w.village_b,
        post=cd.Post.SECRETARY,
        started_on=date(2021, 3, 1),
        term_starts_on=date(2021, 3, 1),
        term_ends_on=date(2026, 2, 28),
    )
    campaign = cd.EvaluationCampaign.objects.create(
        name="乙县履职研判",
        region=w.county_b,
        period_starts_on=date(2026, 1, 1),
        period_ends_on=date(2026, 6, 30),
    )
    evaluation = cd.Evaluation.objects.create(
        campaign=campaign,
        appointment=appointment,
        rating=cd.Rating.INCOMPETENT,
        findings="乙县研判意见",
        evaluator="乙县二镇党委",
        evaluated_on=date(2026, 3, 1),
        recorded_by=user,
    )
    base = cd.TrainingBase.objects.create(
        name="乙县实训基地", region=w.village_b, level="county", opened_on=date(2019, 5, 1)
    )
    w.outsider_rows[cd.Appointment] = appointment
    w.outsider_rows[cd.EvaluationCampaign] = campaign
    w.outsider_rows[cd.Evaluation] = evaluation
    w.outsider_rows[cd.Adjustment] = cd.Adjustment.objects.create(
        appointment=appointment,
        reason=cd.Reason.INCOMPETENT,
        details="乙县调整",
        evaluation=evaluation,
        proposed_on=date(2026, 3, 2),
        proposed_by=user,
    )
    w.outsider_rows[cd.Enrolment] = cd.Enrolment.objects.create(
        person=person,
        target_level="junior_college",
        institution="乙县开放大学",
        enrolled_on=date(2024, 9, 1),
        expected_on=date(2027, 7, 1),
    )
    w.outsider_rows[cd.TrainingBase] = base
    w.outsider_rows[cd.TrainingSession] = cd.TrainingSession.objects.create(
        base=base,
        title="乙县跟岗培训",
        kind="shadowing",
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 4, 30),
    )


def add_vetting_rows(w: World) -> None:
    """A county-B vetting run with one candidate, for the scoping tests."""
    from baolei.cadres.models import Appointment
    from baolei.people.models import Person
    from baolei.vetting.models import Candidate, VettingRun

    run = VettingRun.objects.create(
        region=w.county_b, sources=["cases"], threshold=0.2, status="done", progress=100
    )
    w.outsider_rows[VettingRun] = run
    w.outsider_rows[Candidate] = Candidate.objects.create(
        run=run,
        appointment=w.outsider_rows[Appointment],
        source="cases",
        person=w.outsider_rows[Person],
        matched_name="乙县比中人员",
        score=0.9,
        evidence=["same_name"],
    )
    from baolei.vetting.models import DecisionRecord

    candidate = w.outsider_rows[Candidate]
    candidate.decision, candidate.note = "unsure", "乙县研判意见"
    candidate.decided_by, candidate.decided_at = w.users["b_clerk"], run.started_at
    candidate.save()
    w.outsider_rows[DecisionRecord] = DecisionRecord.objects.create(
        candidate=candidate, decision="unsure", note="乙县研判意见", decided_by=w.users["b_clerk"]
    )


def add_clue_rows(w: World) -> None:
    """A county-B clue with a referral, for the scoping tests."""
    from baolei.clues.models import Clue, ClueCounter, Referral

    ClueCounter.objects.create(year=2026, last=0)
    clue = Clue.objects.create(
        year=1999,
        sequence=1,
        number="线索〔1999〕乙县0001号",
        received_on=date(1999, 1, 4),
        source="hotline",
        category="gang",
        summary="乙县线索",
        region=w.village_b,
        handling_agency=w.agencies["b_office"],
        deadline=date(1999, 2, 3),
    )
    w.outsider_rows[Clue] = clue
    w.outsider_rows[Referral] = Referral.objects.create(
        clue=clue,
        from_agency=w.agencies["b_office"],
        to_agency=w.agencies["city_police"],
        sent_on=date(1999, 1, 5),
        reason="乙县移送",
        sent_by=w.users["b_clerk"],
        acknowledge_by=date(1999, 1, 8),
        feedback_by=date(1999, 2, 5),
    )


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def login(client: Any) -> Any:
    """Log a persona in on the test client and return the client."""

    def _login(user: User) -> Any:
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def live_site(transactional_db: Any, live_server: Any) -> Iterator[Any]:
    """A live server over committed data.  The flush that ends a transactional
    test cannot empty the security log, which is append-only in the database, so
    it is emptied here first with the guard lifted for that one statement."""
    yield live_server
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_securityevent")
    guard.install(connection)


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any) -> None:
    """Background tasks run inside the test, so every test stays deterministic."""
    settings.TASKS = IMMEDIATE_TASKS
