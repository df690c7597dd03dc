"""Every write of a clue: registration under a gapless number, lifecycle, referral, merge."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from difflib import SequenceMatcher
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from baolei.accounts.models import Agency, AgencyKind, Role, User
from baolei.audit.models import Action
from baolei.audit.services import record_event
from baolei.cases import services as cases
from baolei.cases.models import Case
from baolei.clues.models import (
    OPEN,
    TRANSITIONS,
    Category,
    Clue,
    ClueCounter,
    ClueStatus,
    ClueSupervision,
    Direction,
    Referral,
    Transition,
)
from baolei.core import policy
from baolei.ledger.calendar import work_calendar
from baolei.ledger.workdays import CalendarMissing
from baolei.notices import services as notices
from baolei.notices.models import Kind as NoticeKind
from baolei.people import crypto
from baolei.people.models import Person
from baolei.regions.models import Region

REPORTER_COLUMN = "clues.clue.reporter"
LEGAL_ORGANS = (
    AgencyKind.POLICE,
    AgencyKind.PROCURATORATE,
    AgencyKind.COURT,
    AgencyKind.POLITICAL_LEGAL,
)
#: Who can receive and handle a clue of each category.
HANDLERS = {
    Category.UMBRELLA: (AgencyKind.DISCIPLINE,),
    Category.GANG: (AgencyKind.POLICE,),
    Category.EVIL_FORCE: (AgencyKind.POLICE,),
    Category.VILLAGE_BULLY: (AgencyKind.POLICE, AgencyKind.TOWNSHIP_PARTY, AgencyKind.ORGANISATION),
    Category.CLAN: (AgencyKind.POLICE, AgencyKind.ORGANISATION, AgencyKind.TOWNSHIP_PARTY),
    Category.OTHER: (AgencyKind.POLICE, AgencyKind.CAMPAIGN_OFFICE, AgencyKind.DISCIPLINE),
}
CLUE_AGENCIES = (
    *LEGAL_ORGANS,
    AgencyKind.DISCIPLINE,
    AgencyKind.CAMPAIGN_OFFICE,
    AgencyKind.ORGANISATION,
    AgencyKind.TOWNSHIP_PARTY,
)


def require_clerk(actor: User, clue: Clue | None = None) -> Agency:
    agency = actor.agency
    if (
        not actor.has_role(Role.CLERK, Role.REVIEWER)
        or agency is None
        or agency.kind not in CLUE_AGENCIES
    ):
        raise PermissionDenied("只有政法机关、纪委监委、扫黑办等单位的录入员或审核员可以办理线索。")
    if clue is not None and not Clue.objects.visible_to(actor).filter(pk=clue.pk).exists():
        raise PermissionDenied("该线索不在您的管理范围内。")
    return agency


def format_number(year: int, sequence: int) -> str:
    return f"线索〔{year}〕{sequence:04d}号"


def issue_number(year: int) -> int:
    """The next number of the year, taken under a row lock so that two registrations at
    once get consecutive numbers and a rolled-back one leaves no gap."""
    ClueCounter.objects.get_or_create(year=year)
    counter = ClueCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def register_clue(
    *,
    actor: User,
    received_on: date,
    source: str,
    category: str,
    summary: str,
    region: Region,
    handling_agency: Agency | None = None,
    persons: Sequence[Person] = (),
    reporter: str = "",
) -> Clue:
    """线索〔年〕序号: numbers are issued per year without gaps; the reporter is kept encrypted."""
    agency = require_clerk(actor)
    if not Region.objects.visible_to(actor).filter(pk=region.pk).exists():
        raise PermissionDenied("涉及区划不在您的管理范围内。")
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "受理日期不能晚于今天。"})
    if not summary.strip():
        raise ValidationError({"summary": "请填写问题线索摘要。"})
    handler_agency = handling_agency or agency
    # A clue may arrive at an agency that cannot handle it (it will refer it on); naming
    # another agency as the handler, though, must respect who handles what.
    if handler_agency.pk != agency.pk and handler_agency.kind not in HANDLERS[Category(category)]:
        raise ValidationError(
            {
                "handling_agency": f"{handler_agency.name}不能承办“{Category(category).label}”类线索。"
            }
        )
    sequence = issue_number(received_on.year)
    clue = Clue(
        year=received_on.year,
        sequence=sequence,
        number=format_number(received_on.year, sequence),
        received_on=received_on,
        source=source,
        category=category,
        summary=summary.strip(),
        region=region,
        handling_agency=handler_agency,
        created_by=actor,
        deadline=received_on + timedelta(days=settings.CLUE_DAYS_TO_CONCLUDE),
        reporter_encrypted=crypto.encrypt(reporter.strip(), column=REPORTER_COLUMN)
        if reporter.strip()
        else "",
    )
    clue.full_clean(exclude=["created_by", "persons", "handler", "case", "merged_into"])
    clue.save()
    visible = Person.objects.visible_to(actor)
    for person in persons:
        if not visible.filter(pk=person.pk).exists():
            raise PermissionDenied(f"人员 {person} 不在您的管理范围内。")
    clue.persons.set(persons)
    return clue


def likely_duplicates(clue: Clue, user: Any, limit: int = 5) -> list[Clue]:
    """Open clues naming the same person, or in the same region and category with a close summary."""
    rows = Clue.objects.visible_to(user).open().exclude(pk=clue.pk)
    same_person = list(rows.filter(persons__in=clue.persons.all()).distinct()[:limit])
    nearby = rows.filter(region=clue.region, category=clue.category).exclude(
        pk__in=[c.pk for c in same_person]
    )
    close = [
        c for c in nearby[:200] if SequenceMatcher(None, c.summary, clue.summary).ratio() >= 0.6
    ]
    return (same_person + close)[:limit]


def move(clue: Clue, to: str, actor: User, on: date, note: str = "") -> None:
    if to not in TRANSITIONS.get(ClueStatus(clue.status), ()):
        raise ValidationError(
            f"线索当前为“{clue.get_status_display()}”，不能变为“{ClueStatus(to).label}”。"
        )
    last = clue.transitions.order_by("-on").first()
    if on < (last.on if last else clue.received_on):
        raise ValidationError({"on": "日期不能早于上一步办理日期。"})
    if on > timezone.localdate():
        raise ValidationError({"on": "日期不能晚于今天。"})
    Transition.objects.create(
        clue=clue, from_status=clue.status, to_status=to, on=on, note=note, by=actor
    )
    clue.status = to


@transaction.atomic
def assign(*, actor: User, clue: Clue, handler: User, on: date) -> Clue:
    """交办: the handling agency names its handler."""
    require_clerk(actor, clue)
    policy.require(actor, "clues.assign", clue)
    clue = Clue.objects.select_for_update().get(pk=clue.pk)
    if handler.agency_id != clue.handling_agency_id:
        raise ValidationError({"handler": "承办人须为承办单位的人员。"})
    move(clue, ClueStatus.ASSIGNED, actor, on, f"交办给{handler}")
    clue.handler = handler
    clue.save()
    return clue


@transaction.atomic
def start_verification(*, actor: User, clue: Clue, on: date) -> Clue:
    require_clerk(actor, clue)
    policy.require(actor, "clues.verify", clue)
    clue = Clue.objects.select_for_update().get(pk=clue.pk)
    move(clue, ClueStatus.VERIFYING, actor, on)
    clue.save()
    return clue


@transaction.atomic
def conclude(
    *, actor: User, clue: Clue, on: date, conclusion: str, note: str = "", case: Case | None = None
) -> Clue:
    """办结 with a conclusion; a conclusion may link the case the clue opened."""
    require_clerk(actor, clue)
    policy.require(actor, "clues.conclude", clue)
    clue = Clue.objects.select_for_update().get(pk=clue.pk)
    move(clue, ClueStatus.CONCLUDED, actor, on, note)
    clue.conclusion, clue.concluded_on = conclusion, on
    if case is not None:
        clue.case = case
    clue.full_clean(exclude=["created_by", "persons", "handler", "merged_into"])
    clue.save()
    return clue


@transaction.atomic
def promote_to_case(
    *, actor: User, clue: Clue, on: date, number: str, name: str, kind: str, lead_agency: Agency
) -> Case:
    """A substantiated clue becomes a case in one step, and the clue is concluded with it."""
    require_clerk(actor, clue)
    policy.require(actor, "clues.promote", clue)
    clue = Clue.objects.select_for_update().get(pk=clue.pk)
    if clue.status != ClueStatus.VERIFYING:
        raise ValidationError("只有核查中的线索可以立案。")
    case = cases.open_case(
        actor=actor,
        number=number,
        name=name,
        kind=kind,
        region=clue.region,
        lead_agency=lead_agency,
        opened_on=on,
        summary=clue.summary,
    )
    conclude(
        actor=actor,
        clue=clue,
        on=on,
        conclusion="substantiated",
        note=f"立案：{case.number}",
        case=case,
    )
    return case


@transaction.atomic
def merge(*, actor: User, duplicate: Clue, into: Clue, on: date, reason: str) -> Clue:
    """并案: the duplicate keeps its number and history and points to the earlier clue."""
    require_clerk(actor, duplicate)
    require_clerk(actor, into)
    policy.require(actor, "clues.merge", duplicate)
    if duplicate.pk == into.pk or into.merged_into_id is not None:
        raise ValidationError("不能并入自身或已被并入其他线索的线索。")
    if duplicate.status not in OPEN:
        raise ValidationError("只有未办结的线索可以并案。")
    if not reason.strip():
        raise ValidationError({"reason": "请说明并案理由。"})
    duplicate = Clue.objects.select_for_update().get(pk=duplicate.pk)
    Transition.objects.create(
        clue=duplicate,
        from_status=duplicate.status,
        to_status=ClueStatus.MERGED,
        on=on,
        note=f"并入{into.number}：{reason.strip()}",
        by=actor,
    )
    duplicate.status = ClueStatus.MERGED
    duplicate.merged_into = into
    duplicate._change_reason = f"并入{into.number}"  # type: ignore[attr-defined]
    duplicate.save()
    into.persons.add(*duplicate.persons.all())
    return duplicate


def merge_by_number(*, actor: User, clue: Clue, into: str, on: date, reason: str) -> Clue:
    """并案 into a clue named by its number, which the actor must be able to see."""
    target = Clue.objects.visible_to(actor).filter(number=into.strip()).first()
    if target is None:
        raise ValidationError({"into": f"找不到线索 {into}（或不在您的管理范围内）。"})
    return merge(actor=actor, duplicate=clue, into=target, on=on, reason=reason)


@transaction.atomic
def supervise(
    *, actor: User, clue: Clue, on: date, deadline: date, requirement: str
) -> ClueSupervision:
    """督办 by the campaign office, with its own deadline."""
    require_clerk(actor, clue)
    policy.require(actor, "clues.supervise", clue)
    if actor.agency_kind != AgencyKind.CAMPAIGN_OFFICE:
        raise PermissionDenied("只有扫黑办可以督办线索。")
    supervision = ClueSupervision(
        clue=clue, on=on, deadline=deadline, requirement=requirement, by=actor
    )
    supervision.full_clean(exclude=["by"])
    supervision.save()
    return supervision


def direction_of(sender: Agency, receiver: Agency) -> str:
    if sender.kind in LEGAL_ORGANS and receiver.kind == AgencyKind.DISCIPLINE:
        return Direction.TO_DISCIPLINE
    if sender.kind == AgencyKind.DISCIPLINE and receiver.kind == AgencyKind.POLICE:
        return Direction.TO_POLICE
    return Direction.OTHER


def working_deadline(start: date, days: int) -> date:
    try:
        return work_calendar().add_working_days(start, days)
    except CalendarMissing as exc:
        raise ValidationError(str(exc)) from None


@transaction.atomic
def refer(*, actor: User, clue: Clue, to_agency: Agency, on: date, reason: str) -> Referral:
    """双向移送: the receiver must be another agency, able to handle the category and inside the
    sender's scope; acknowledgement and feedback are due in working days."""
    sender = require_clerk(actor, clue)
    policy.require(actor, "clues.refer", clue)
    clue = Clue.objects.select_for_update().get(pk=clue.pk)
    if clue.status not in OPEN:
        raise ValidationError("已办结或已并案的线索不能移送。")
    if sender.pk != clue.handling_agency_id:
        raise PermissionDenied("只有承办单位可以移送该线索。")
    if to_agency.pk == sender.pk:
        raise ValidationError({"to_agency": "不能移送给本单位。"})
    if to_agency.kind not in HANDLERS[Category(clue.category)]:
        raise ValidationError(
            {"to_agency": f"{to_agency.name}不能承办“{clue.get_category_display()}”类线索。"}
        )
    if not clue.region.code.startswith(to_agency.region.prefix):
        raise ValidationError(
            {"to_agency": f"{to_agency.name}不在移送范围内：它管辖不到{clue.region.name}。"}
        )
    if not reason.strip():
        raise ValidationError({"reason": "请说明移送理由。"})
    if on > timezone.localdate():
        raise ValidationError({"on": "移送日期不能晚于今天。"})
    referral = Referral.objects.create(
        clue=clue,
        from_agency=sender,
        to_agency=to_agency,
        direction=direction_of(sender, to_agency),
        sent_on=on,
        reason=reason.strip(),
        sent_by=actor,
        acknowledge_by=working_deadline(on, settings.REFERRAL_ACK_WORKING_DAYS),
        feedback_by=working_deadline(on, settings.REFERRAL_FEEDBACK_WORKING_DAYS),
    )
    notify_referral(referral)
    return referral


def require_receiver(actor: User, referral: Referral) -> None:
    if actor.agency_id != referral.to_agency_id or not actor.has_role(Role.CLERK, Role.REVIEWER):
        raise PermissionDenied("只有接收单位的录入员或审核员可以签收和反馈。")


@transaction.atomic
def acknowledge(*, actor: User, referral: Referral, on: date) -> Referral:
    """签收: the clue passes to the receiving agency."""
    require_receiver(actor, referral)
    policy.require(actor, "clues.acknowledge", referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.acknowledged_on is not None:
        raise ValidationError("该移送已签收。")
    if on < referral.sent_on or on > timezone.localdate():
        raise ValidationError({"on": "签收日期须在移送日期与今天之间。"})
    referral.acknowledged_on, referral.acknowledged_by = on, actor
    referral.save()
    clue = referral.clue
    clue.handling_agency = referral.to_agency
    clue.handler = None
    clue._change_reason = f"{referral.from_agency}移送{referral.to_agency}"  # type: ignore[attr-defined]
    clue.save()
    return referral


@transaction.atomic
def give_feedback(*, actor: User, referral: Referral, on: date, feedback: str) -> Referral:
    """反馈: what was done and the result, to the sender."""
    require_receiver(actor, referral)
    policy.require(actor, "clues.feedback", referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.acknowledged_on is None:
        raise ValidationError("请先签收，再反馈。")
    if referral.feedback_on is not None:
        raise ValidationError("该移送已反馈。")
    if not feedback.strip():
        raise ValidationError({"feedback": "请填写反馈情况。"})
    if on < referral.acknowledged_on or on > timezone.localdate():
        raise ValidationError({"on": "反馈日期须在签收日期与今天之间。"})
    referral.feedback_on, referral.feedback = on, feedback.strip()
    referral.save()
    notify_feedback(referral)
    return referral


def reveal_reporter(*, actor: User, clue: Clue, request: HttpRequest | None = None) -> str:
    """The reporter's identity is for the clue's handler only, and every look is logged."""
    if not policy.allows(actor, "clues.reveal", clue):
        record_event(
            Action.ACCESS_DENIED,
            actor=actor,
            request=request,
            success=False,
            target=clue.number,
            detail={"field": "reporter"},
        )
        raise PermissionDenied(policy.reason(actor, "clues.reveal", clue))
    if not clue.reporter_encrypted:
        raise ValidationError("未登记举报人信息。")
    record_event(
        Action.SENSITIVE_VIEW,
        actor=actor,
        request=request,
        target=clue.number,
        detail={"field": "reporter"},
    )
    return crypto.decrypt(clue.reporter_encrypted, column=REPORTER_COLUMN)


def agency_editors(agency: Agency) -> Any:
    return User.objects.filter(
        agency=agency, is_active=True, role_assignments__role__in=(Role.CLERK, Role.REVIEWER)
    ).distinct()


def notify_referral(referral: Referral) -> None:
    """移送: the receiving agency's clerks and reviewers who may sign it are told at once."""
    clue = referral.clue
    notices.notify(
        NoticeKind.REFERRAL_RECEIVED,
        referral,
        notices.who_may(referral, agency_editors(referral.to_agency), "clues.acknowledge"),
        f"{referral.from_agency.name}移送线索 {clue.number}，"
        f"请于 {referral.acknowledge_by:%Y-%m-%d} 前签收",
        reverse("clues:detail", args=[clue.pk]),
    )


def notify_feedback(referral: Referral) -> None:
    """反馈: the referring agency's clerks and reviewers who still see the clue are told."""
    clue = referral.clue
    notices.notify(
        NoticeKind.FEEDBACK_RECEIVED,
        referral,
        notices.who_may(referral, agency_editors(referral.from_agency)),
        f"{referral.to_agency.name}已反馈移送线索 {clue.number}：{referral.feedback[:80]}",
        reverse("clues:detail", args=[clue.pk]),
    )
