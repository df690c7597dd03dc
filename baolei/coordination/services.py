"""Every write of coordination: meetings and decisions, mechanisms, assessment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from baolei.accounts.models import Agency, Role, User
from baolei.coordination.models import (
    AssessmentScheme,
    Indicator,
    ManualScore,
    Mechanism,
    Meeting,
    MeetingCadence,
    Metric,
)
from baolei.core import policy
from baolei.ledger import services as ledger
from baolei.ledger.models import LedgerItem, SourceKind
from baolei.regions.models import Level, Region


def require_recorder(actor: User, region: Region) -> None:
    if not actor.has_role(Role.CLERK, Role.REVIEWER):
        raise PermissionDenied("只有录入员或审核员可以登记。")
    if not Region.objects.visible_to(actor).filter(pk=region.pk).exists():
        raise PermissionDenied("该区划不在您的管理范围内。")


@transaction.atomic
def record_meeting(
    *,
    actor: User,
    kind: str,
    held_on: date,
    topic: str,
    region: Region,
    convener: Agency,
    attendees: Sequence[Agency] = (),
) -> Meeting:
    policy.require(actor, "coordination.record_meeting")
    require_recorder(actor, region)
    meeting = Meeting(
        kind=kind, held_on=held_on, topic=topic, region=region, convener=convener, created_by=actor
    )
    meeting.full_clean(exclude=["created_by", "minutes"])
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


def add_decision(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    owner: Agency,
    responsible_person: str,
    deadline: date,
    measures: Sequence[str] = (),
) -> LedgerItem:
    """A meeting decision is a ledger item with an owner and a deadline."""
    policy.require(actor, "coordination.decide", meeting)
    if deadline < meeting.held_on:
        raise ValidationError({"deadline": "落实时限不能早于会议日期。"})
    return ledger.create_item(
        actor=actor,
        title=title,
        region=owner.region,
        owner_agency=owner,
        responsible_person=responsible_person,
        deadline=deadline,
        measures=list(measures),
        description=f"{meeting}：{meeting.topic}",
        source_kind=SourceKind.MEETING,
        source=meeting,
    )


@transaction.atomic
def require_cadence(
    *, actor: User, kind: str, region: Region, every_days: int, since: date
) -> MeetingCadence:
    policy.require(actor, "coordination.require_cadence")
    require_recorder(actor, region)
    if not actor.has_role(Role.REVIEWER):
        raise PermissionDenied("只有审核员可以设定会议频次要求。")
    cadence = MeetingCadence(kind=kind, region=region, every_days=every_days, since=since)
    cadence.full_clean()
    cadence.save()
    return cadence


@transaction.atomic
def record_mechanism(
    *,
    actor: User,
    title: str,
    region: Region,
    issuers: Sequence[Agency],
    issued_on: date,
    kind: str,
    status: str,
    document_number: str = "",
) -> Mechanism:
    policy.require(actor, "coordination.record_mechanism")
    require_recorder(actor, region)
    if not issuers:
        raise ValidationError({"issuers": "至少一个印发单位。"})
    mechanism = Mechanism(
        title=title,
        region=region,
        issued_on=issued_on,
        kind=kind,
        status=status,
        document_number=document_number,
    )
    mechanism.full_clean(exclude=["attachment"])
    mechanism.save()
    mechanism.issuers.set(issuers)
    return mechanism


@transaction.atomic
def create_scheme(
    *,
    actor: User,
    name: str,
    region: Region,
    starts_on: date,
    ends_on: date,
    indicators: Sequence[tuple[str, Decimal, str, Decimal]],
) -> AssessmentScheme:
    """Indicators are (name, points, metric, deduction per occurrence)."""
    policy.require(actor, "coordination.create_scheme")
    require_recorder(actor, region)
    if not actor.has_role(Role.REVIEWER):
        raise PermissionDenied("只有审核员可以制定考核方案。")
    scheme = AssessmentScheme(name=name, region=region, starts_on=starts_on, ends_on=ends_on)
    scheme.full_clean()
    scheme.save()
    for position, (title, points, metric, per) in enumerate(indicators):
        if metric not in Metric.values:
            raise ValidationError(f"未知的计分方式：{metric}")
        Indicator.objects.create(
            scheme=scheme,
            name=title,
            points=points,
            metric=metric,
            per_occurrence=per,
            position=position,
        )
    return scheme


@transaction.atomic
def score_by_hand(
    *, actor: User, indicator: Indicator, county: Region, score: Decimal, reason: str
) -> ManualScore:
    """A manual score stays within the indicator's points and carries a reason."""
    policy.require(actor, "coordination.score", indicator.scheme)
    if not actor.has_role(Role.REVIEWER):
        raise PermissionDenied("只有审核员可以评分。")
    if indicator.metric != Metric.MANUAL:
        raise ValidationError("该指标由系统根据台账数据计算，不能人工评分。")
    if county.level != Level.COUNTY or not county.code.startswith(indicator.scheme.region.prefix):
        raise ValidationError("只能为本方案范围内的县(区)评分。")
    if not Decimal(0) <= score <= indicator.points:
        raise ValidationError({"score": f"得分应在 0 到 {indicator.points} 之间。"})
    if not reason.strip():
        raise ValidationError({"reason": "请写明评分理由。"})
    manual, _ = ManualScore.objects.update_or_create(
        indicator=indicator,
        county=county,
        defaults={"score": score, "reason": reason.strip(), "scored_by": actor},
    )
    return manual
