"""Each event that needs a person notifies, through the service that performs it, exactly
the users who must act and may see the record — nobody else, county B never — and
in the event's own transaction."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.cadres import services as cadres
from baolei.cadres.models import Post, Reason
from baolei.clues import services as clues
from baolei.conftest import make_user
from baolei.ledger import services as ledger
from baolei.ledger.calendar import seed_from_package
from baolei.ledger.models import AcceptanceResult, LedgerItem
from baolei.notices.models import Kind, Notification
from baolei.people.idnumber import check_char
from baolei.people.services import create_person
from baolei.supervision import services as supervision
from baolei.supervision.models import ProblemScope, ProblemSource
from baolei.vetting import services as vetting
from baolei.vetting.models import ExternalEntry, RunStatus, Source, VettingRun

TODAY = date(2026, 11, 26)  # a Thursday; three working days on is Tuesday 1 December


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(TODAY, tick=False) as t:
        yield t


@pytest.fixture(autouse=True)
def fresh(world: Any) -> None:
    """Only what the test's events send counts (the cast holds a county-B notification)."""
    global BEFORE
    BEFORE = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


BEFORE = 0


def told(kind: str, record: Any = None) -> Counter[str]:
    """Who got a notification of this kind (about this record), and how many each."""
    rows = Notification.objects.filter(kind=kind, pk__gt=BEFORE)
    if record is not None:
        rows = rows.filter(record_id=record.pk)
    return Counter(rows.values_list("recipient__username", flat=True))


@pytest.fixture
def police(world: Any) -> dict[str, Any]:
    """County A's police: a clerk who registers and refers clues, and a leader."""
    agency = world.agencies["a_police"]
    return {
        "clerk": make_user("a_police_clerk", agency, Role.CLERK),
        "leader": make_user("a_police_leader", agency, Role.LEADER),
        "reviewer": make_user("a_police_reviewer", agency, Role.REVIEWER),
    }


def referral_of(world: Any, police: dict[str, Any]) -> Any:
    seed_from_package()
    clue = clues.register_clue(
        actor=police["clerk"],
        received_on=date(2026, 11, 2),
        source="hotline",
        category="gang",
        summary="有人在甲县一村强揽工程",
        region=world.village_a,
    )
    return clues.refer(
        actor=police["clerk"],
        clue=clue,
        to_agency=world.agencies["city_police"],
        on=date(2026, 11, 23),
        reason="涉黑线索移送市局",
    )


def test_a_referral_tells_the_receiving_agency_who_may_sign_it(
    world: Any, police: dict[str, Any]
) -> None:
    leader = make_user("city_police_leader", world.agencies["city_police"], Role.LEADER)
    referral = referral_of(world, police)
    assert told(Kind.REFERRAL_RECEIVED) == {"police_clerk": 1}  # not its leader, not county A
    notice = Notification.objects.filter(pk__gt=BEFORE).get(kind=Kind.REFERRAL_RECEIVED)
    assert notice.record == referral and notice.link == f"/clues/{referral.clue.pk}/"
    assert notice.text == (f"甲县公安局移送线索 {referral.clue.number}，请于 2026-11-26 前签收")
    assert not Notification.objects.filter(recipient=leader).exists()


def test_feedback_tells_the_referring_agency(world: Any, police: dict[str, Any]) -> None:
    referral = referral_of(world, police)
    clues.acknowledge(actor=world.police_clerk, referral=referral, on=TODAY)
    with pytest.raises(ValidationError):  # a refused feedback tells nobody
        clues.give_feedback(actor=world.police_clerk, referral=referral, on=TODAY, feedback=" ")
    assert told(Kind.FEEDBACK_RECEIVED) == {}
    clues.give_feedback(
        actor=world.police_clerk, referral=referral, on=TODAY, feedback="已立案侦查"
    )
    assert told(Kind.FEEDBACK_RECEIVED) == {"a_police_clerk": 1, "a_police_reviewer": 1}
    notice = Notification.objects.filter(pk__gt=BEFORE).get(
        kind=Kind.FEEDBACK_RECEIVED, recipient=police["clerk"]
    )
    assert "某市公安局已反馈" in notice.text and "已立案侦查" in notice.text


def test_an_event_rolled_back_leaves_no_notification_and_sends_no_mail(
    world: Any, police: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NOTICE_EMAIL = True
    world.police_clerk.email = "police@example.gov.cn"
    world.police_clerk.save()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        referral_of(world, police)
        assert told(Kind.REFERRAL_RECEIVED) == {"police_clerk": 1}
        raise RuntimeError("the request failed after the referral")
    assert not Notification.objects.filter(pk__gt=BEFORE).exists()
    assert mail.outbox == []


def item_of(world: Any, **fields: Any) -> LedgerItem:
    return ledger.create_item(
        actor=world.a_clerk,
        title=fields.pop("title", "整治村霸强揽工程"),
        region=world.village_a,
        owner_agency=world.agencies["a_office"],
        responsible_person="李某",
        deadline=fields.pop("deadline", date(2026, 12, 31)),
        **fields,
    )


@pytest.fixture
def township_clerk(world: Any) -> Any:
    agency = Agency.objects.create(
        name="甲县一镇党委", kind=AgencyKind.TOWNSHIP_PARTY, region=world.township_a
    )
    return make_user("township_clerk", agency, Role.CLERK)


def test_a_returned_item_tells_its_owner_and_responsible_person(
    world: Any, police: dict[str, Any], township_clerk: Any
) -> None:
    item = item_of(world, responsible_user=township_clerk)
    accepted = item_of(world, title="另一事项")
    ledger.accept_item(
        actor=police["reviewer"], item=accepted, on=TODAY, result=AcceptanceResult.ACCEPTED
    )
    assert told(Kind.ITEM_RETURNED) == {}
    ledger.accept_item(
        actor=police["reviewer"],
        item=item,
        on=TODAY,
        result=AcceptanceResult.RETURNED,
        notes="佐证材料不全",
    )
    # the owner's clerk and reviewer and the responsible person; not its administrators
    assert told(Kind.ITEM_RETURNED, item) == {"a_clerk": 1, "a_reviewer": 1, "township_clerk": 1}
    notice = Notification.objects.filter(pk__gt=BEFORE, kind=Kind.ITEM_RETURNED).first()
    assert notice is not None
    assert (
        notice.text == f"台账事项 {item.key}（整治村霸强揽工程）被甲县公安局退回整改：佐证材料不全"
    )


def test_e_mail_goes_only_when_configured(
    world: Any,
    police: dict[str, Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    world.a_clerk.email = "clerk@example.gov.cn"
    world.a_clerk.save()
    returned = {"on": TODAY, "result": AcceptanceResult.RETURNED, "notes": "未整改到位"}
    settings.NOTICE_EMAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        ledger.accept_item(actor=police["reviewer"], item=item_of(world), **returned)
    assert mail.outbox == [] and told(Kind.ITEM_RETURNED)["a_clerk"] == 1
    settings.NOTICE_EMAIL = True
    with django_capture_on_commit_callbacks(execute=True):
        ledger.accept_item(actor=police["reviewer"], item=item_of(world), **returned)
    [message] = mail.outbox  # a_reviewer has no address
    assert message.to == ["clerk@example.gov.cn"] and message.subject == "【堡垒】台账事项退回整改"
    assert "未整改到位" in message.body and "/ledger/" in message.body


def test_deadline_notices_come_once_per_item_and_level(world: Any) -> None:
    near = item_of(world, title="临期事项", deadline=date(2026, 12, 1))
    overdue = item_of(world, title="逾期事项", deadline=date(2026, 11, 20))
    far = item_of(world, title="远期事项", deadline=date(2026, 12, 31))
    paused = item_of(world, title="中止事项", deadline=date(2026, 11, 27))
    ledger.suspend_item(actor=world.a_reviewer, item=paused, on=TODAY, reason="等待鉴定")
    ledger.notify_deadlines(TODAY)
    assert told(Kind.DEADLINE_NEAR, near) == {"a_clerk": 1, "a_reviewer": 1}
    assert told(Kind.DEADLINE_PASSED, overdue) == {"a_clerk": 1, "a_reviewer": 1}
    assert not Notification.objects.filter(record_id__in=[far.pk, paused.pk]).exists()
    assert not Notification.objects.filter(recipient=world.b_clerk, record_id=near.pk).exists()
    mine = Notification.objects.filter(record_id__in=[near.pk, overdue.pk, far.pk, paused.pk])
    before = mine.count()
    assert ledger.notify_deadlines(TODAY) == 0  # a second run tells nobody again
    call_command("notify_deadlines", "--today", TODAY.isoformat())
    assert mine.count() == before
    # an extended deadline that comes near again warns again, once
    ledger.extend_deadline(
        actor=world.a_reviewer, item=overdue, new_deadline=date(2026, 11, 30), reason="补充材料"
    )
    assert ledger.notify_deadlines(TODAY) == 2
    assert told(Kind.DEADLINE_NEAR, overdue) == {"a_clerk": 1, "a_reviewer": 1}
    assert ledger.notify_deadlines(TODAY) == 0


def id_number(serial: int) -> str:
    first17 = f"51012119750304{serial:03d}"
    return first17 + check_char(first17)


def test_a_proposed_adjustment_tells_the_organisation_departments_reviewers(world: Any) -> None:
    city_org = Agency.objects.create(
        name="某市委组织部", kind=AgencyKind.ORGANISATION, region=world.city
    )
    b_org = Agency.objects.create(
        name="乙县委组织部", kind=AgencyKind.ORGANISATION, region=world.county_b
    )
    make_user("org_reviewer", city_org, Role.REVIEWER)
    make_user("org_clerk", city_org, Role.CLERK)
    make_user("乙县_org_reviewer", b_org, Role.REVIEWER)
    person = create_person(
        actor=world.a_clerk, name="王书记", region=world.village_a, id_number=id_number(11)
    )
    appointment = cadres.appoint(
        actor=world.a_clerk,
        person=person,
        region=world.village_a,
        post=Post.SECRETARY,
        started_on=date(2024, 3, 1),
        term_starts_on=date(2024, 3, 1),
        term_ends_on=date(2029, 2, 28),
    )
    adjustment = cadres.propose_adjustment(
        actor=world.a_clerk,
        appointment=appointment,
        reason=Reason.DISCIPLINE,
        details="违纪",
        on=TODAY,
    )
    assert told(Kind.ADJUSTMENT_PROPOSED) == {"org_reviewer": 1}
    notice = Notification.objects.filter(pk__gt=BEFORE).get(kind=Kind.ADJUSTMENT_PROPOSED)
    assert notice.record == adjustment and notice.link == f"/cadres/adjustments/{adjustment.pk}/"
    assert notice.text == "甲县一村村党组织书记王书记的调整建议（违纪违法）待审批"


@pytest.fixture
def hit_list(world: Any) -> Any:
    person = create_person(
        actor=world.a_clerk, name="张建国", region=world.village_a, id_number=id_number(21)
    )
    cadres.appoint(
        actor=world.a_clerk,
        person=person,
        region=world.village_a,
        post=Post.SECRETARY,
        started_on=date(2024, 1, 1),
        term_starts_on=date(2024, 1, 1),
        term_ends_on=date(2029, 1, 1),
    )
    return vetting.import_external_list(
        actor=world.a_clerk,
        name="前科人员名单",
        source_agency="市公安局",
        rows=[
            vetting.EntryRow("張建國", id_number(21), None, "寻衅滋事"),
            vetting.EntryRow("李四", "", date(1970, 1, 1), ""),
        ],
    )


def test_a_finished_run_tells_who_started_it(world: Any, hit_list: Any) -> None:
    run = vetting.start_run(actor=world.a_clerk, region=world.county_a, sources=[Source.EXTERNAL])
    assert run.status == RunStatus.DONE
    assert told(Kind.RUN_DONE) == {"a_clerk": 1} and told(Kind.RUN_FAILED) == {}
    notice = Notification.objects.filter(pk__gt=BEFORE).get(kind=Kind.RUN_DONE)
    assert notice.text == "甲县背景审查比对已完成：审查村干部 1 人，疑似命中 1 条待研判"
    assert notice.link == f"/vetting/{run.pk}/"


def test_a_failed_run_tells_who_started_it(world: Any, hit_list: Any) -> None:
    ExternalEntry.objects.filter(name="李四").update(id_number_encrypted="v1:AAAA")
    run = vetting.start_run(
        actor=world.a_reviewer, region=world.county_a, sources=[Source.EXTERNAL]
    )
    assert run.status == RunStatus.FAILED
    assert told(Kind.RUN_FAILED) == {"a_reviewer": 1} and told(Kind.RUN_DONE) == {}
    assert (
        "甲县背景审查比对失败"
        in Notification.objects.filter(pk__gt=BEFORE).get(kind=Kind.RUN_FAILED).text
    )


def test_a_reopened_problem_tells_the_units_given_new_items(world: Any) -> None:
    office = make_user("city_office_clerk", world.agencies["city_office"], Role.CLERK)
    acceptor = make_user(
        "inspector",
        Agency.objects.create(name="某市委督查室", kind=AgencyKind.OTHER, region=world.city),
        Role.REVIEWER,
    )
    problem = supervision.create_problem(
        actor=office,
        source=ProblemSource.CENTRAL,
        scope=ProblemScope.COMMON,
        number="G01",
        region=world.city,
        description="软弱涣散村整顿不彻底",
        deadline=date(2026, 12, 31),
        received_on=date(2026, 6, 1),
        units=[
            (world.agencies["a_office"], "甲县扫黑办主任"),
            (world.agencies["b_office"], "乙县扫黑办主任"),
        ],
    )
    for item in problem.items.all():
        ledger.accept_item(
            actor=acceptor, item=item, on=date(2026, 9, 1), result=AcceptanceResult.ACCEPTED
        )
    assert told(Kind.PROBLEM_REOPENED) == {}
    supervision.reopen_problem(
        actor=office,
        problem=problem,
        on=TODAY,
        reason="村霸问题反弹",
        units=[(world.agencies["a_office"], "甲县扫黑办主任")],
        deadline=date(2027, 1, 31),
    )
    assert told(Kind.PROBLEM_REOPENED) == {"a_clerk": 1, "a_reviewer": 1}  # county B not given one
    notice = Notification.objects.filter(pk__gt=BEFORE, kind=Kind.PROBLEM_REOPENED).first()
    assert notice is not None and notice.record == problem
    assert notice.text.startswith(
        "督导问题 G01 整改后反弹，已重新交办甲县扫黑办，请于 2027-01-31 前整改"
    )


def test_a_run_whose_worker_died_tells_who_started_it(world: Any) -> None:
    run = VettingRun.objects.create(
        region=world.county_a,
        sources=[Source.EXTERNAL],
        threshold=0.5,
        status=RunStatus.RUNNING,
        started_by=world.a_clerk,
        started_at=timezone.now() - timedelta(hours=1),
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )
    assert vetting.sweep_stale_runs() == 1
    assert told(Kind.RUN_FAILED, run) == {"a_clerk": 1}
    assert "后台任务中断" in Notification.objects.filter(pk__gt=BEFORE).get().text
