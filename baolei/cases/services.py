"""Every write of a case: one transaction, one actor, one dated row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from baolei.accounts.models import Agency, AgencyKind, User
from baolei.cases.models import (
    CHARACTERISED,
    STAGE_ORDER,
    Asset,
    Case,
    Characterisation,
    Consultation,
    Dispute,
    EarlyIntervention,
    JointSupervision,
    Outcome,
    Stage,
    StageEvent,
    Suspect,
    SuspectEvent,
)
from baolei.cases.policy import stage_rule
from baolei.core import policy
from baolei.ledger import services as ledger
from baolei.ledger.models import LedgerItem
from baolei.people.models import Person
from baolei.regions.models import Region


def require_case_clerk(actor: User, action: str, case: Case) -> Agency:
    """The case is in the actor's scope and the policy lets the actor do ``action``."""
    if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("该案件不在您的管理范围内。")
    policy.require(actor, f"cases.{action}", case)
    assert actor.agency is not None  # noqa: S101 - the policy asks for an agency
    return actor.agency


def not_future(on: date, field: str = "on") -> None:
    if on > timezone.localdate():
        raise ValidationError({field: "日期不能晚于今天。"})


@transaction.atomic
def open_case(
    *,
    actor: User,
    number: str,
    name: str,
    kind: str,
    region: Region,
    lead_agency: Agency,
    opened_on: date,
    summary: str = "",
    umbrella_refs: Sequence[str] = (),
) -> Case:
    """A case is opened by a police agency in scope, and its first event is 立案侦查."""
    policy.require(actor, "cases.open")
    if lead_agency.kind != AgencyKind.POLICE:
        raise ValidationError({"lead_agency": "主办单位须为公安机关。"})
    if not Region.objects.visible_to(actor).filter(pk=region.pk).exists():
        raise PermissionDenied("案发区划不在您的管理范围内。")
    if not Agency.objects.visible_to(actor).filter(
        pk=lead_agency.pk
    ).exists() and not region.code.startswith(lead_agency.region.prefix):
        raise ValidationError({"lead_agency": "主办公安机关不在您的管理范围内。"})
    not_future(opened_on, "opened_on")
    case = Case(
        number=number,
        name=name,
        kind=kind,
        region=region,
        lead_agency=lead_agency,
        opened_on=opened_on,
        summary=summary,
        umbrella_refs=list(umbrella_refs),
        created_by=actor,
    )
    case.full_clean(exclude=["created_by"])
    case.save()
    StageEvent.objects.create(
        case=case, stage=Stage.FILED, on=opened_on, agency=lead_agency, recorded_by=actor
    )
    return case


@transaction.atomic
def record_stage(
    *,
    actor: User,
    case: Case,
    stage: str,
    on: date,
    characterisation: str = "",
    outcome: str = "",
    note: str = "",
) -> StageEvent:
    """Stages follow 立案侦查 → 批准逮捕 → 移送审查起诉 → 提起公诉 → 一审 → 二审, each dated no
    earlier than the last; only a remand (发回重审) lets a new first instance follow."""
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": "未知的阶段。"})
    agency = require_case_clerk(actor, "stage", case)
    policy.require(actor, stage_rule(stage), case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    last = case.events.order_by("-on", "-recorded_at").first()
    assert last is not None  # noqa: S101 - every case starts with its filing event
    remanded = last.stage == Stage.SECOND_INSTANCE and last.outcome == Outcome.REMANDED
    if STAGE_ORDER[stage] <= STAGE_ORDER[last.stage] and not (
        remanded and stage == Stage.FIRST_INSTANCE
    ):
        raise ValidationError(
            {
                "stage": f"案件已到“{last.get_stage_display()}”阶段，不能再登记“{Stage(stage).label}”。"
            }
        )
    if on < last.on:
        raise ValidationError(
            {
                "on": f"日期不能早于上一阶段“{last.get_stage_display()}”的日期（{last.on:%Y-%m-%d}）。"
            }
        )
    not_future(on)
    if characterisation and characterisation not in Characterisation.values:
        raise ValidationError({"characterisation": "未知的定性。"})
    if stage in CHARACTERISED and not characterisation:
        raise ValidationError({"characterisation": "起诉、一审、二审须写明定性。"})
    if stage == Stage.SECOND_INSTANCE and not outcome:
        raise ValidationError({"outcome": "请选择二审结果。"})
    if outcome and stage != Stage.SECOND_INSTANCE:
        raise ValidationError({"outcome": "二审结果只在登记“二审审结”时填写。"})
    if stage == Stage.PROSECUTED and STAGE_ORDER[last.stage] < STAGE_ORDER[Stage.TRANSFERRED]:
        raise ValidationError({"stage": "提起公诉前须先移送审查起诉。"})
    if (
        stage == Stage.FIRST_INSTANCE
        and STAGE_ORDER[last.stage] < STAGE_ORDER[Stage.PROSECUTED]
        and not remanded
    ):
        raise ValidationError({"stage": "一审判决前须先提起公诉。"})
    if stage == Stage.SECOND_INSTANCE and last.stage != Stage.FIRST_INSTANCE:
        raise ValidationError({"stage": "二审审结前须有一审判决。"})
    event = StageEvent(
        case=case,
        stage=stage,
        on=on,
        characterisation=characterisation,
        outcome=outcome,
        agency=agency,
        note=note,
        recorded_by=actor,
    )
    event.full_clean(exclude=["recorded_by", "agency", "case"])
    event.save()
    return event


@transaction.atomic
def add_suspect(*, actor: User, case: Case, person: Person, role: str) -> Suspect:
    require_case_clerk(actor, "suspect", case)
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("该人员不在您的管理范围内。")
    suspect = Suspect(case=case, person=person, role=role)
    suspect.full_clean()
    suspect.save()
    return suspect


@transaction.atomic
def record_suspect_status(
    *, actor: User, suspect: Suspect, status: str, on: date, sentence: str = ""
) -> SuspectEvent:
    require_case_clerk(actor, "status", suspect.case)
    not_future(on)
    last = suspect.events.order_by("-on").first()
    if last is not None and on < last.on:
        raise ValidationError({"on": f"日期不能早于上一状态（{last.on:%Y-%m-%d}）。"})
    event = SuspectEvent.objects.create(suspect=suspect, status=status, on=on, recorded_by=actor)
    if sentence:
        suspect.sentence = sentence
        suspect.save()
    return event


@transaction.atomic
def record_asset(
    *, actor: User, case: Case, kind: str, measure: str, description: str, value: Decimal, on: date
) -> Asset:
    require_case_clerk(actor, "asset", case)
    not_future(on)
    if on < case.opened_on:
        raise ValidationError({"on": "采取措施日期不能早于立案日期。"})
    asset = Asset(
        case=case,
        kind=kind,
        measure=measure,
        description=description,
        value=value,
        on=on,
        recorded_by=actor,
    )
    asset.full_clean(exclude=["recorded_by"])
    asset.save()
    return asset


@transaction.atomic
def dispose_asset(*, actor: User, asset: Asset, disposition: str, on: date) -> Asset:
    """Confiscated, returned or released: the asset is no longer held from that date."""
    require_case_clerk(actor, "dispose", asset.case)
    if asset.disposition:
        raise ValidationError("该财产已处置。")
    not_future(on)
    if on < asset.on:
        raise ValidationError({"on": "处置日期不能早于采取措施的日期。"})
    asset.disposition = disposition
    asset.disposed_on = on
    asset.full_clean(exclude=["recorded_by"])
    asset.save()
    return asset


@transaction.atomic
def record_consultation(
    *,
    actor: User,
    case: Case,
    kind: str,
    on: date,
    agencies: Sequence[Agency],
    disputes: Sequence[str],
    conclusion: str,
) -> Consultation:
    """会商: the points in dispute and the conclusion, among at least two agencies."""
    require_case_clerk(actor, "consultation", case)
    not_future(on)
    if len(agencies) < 2:
        raise ValidationError({"agencies": "会商至少需要两个单位参加。"})
    if not disputes or any(d not in Dispute.values for d in disputes):
        raise ValidationError({"disputes": "请选择分歧点。"})
    if not conclusion.strip():
        raise ValidationError({"conclusion": "请填写会商意见。"})
    consultation = Consultation.objects.create(
        case=case,
        kind=kind,
        on=on,
        disputes=list(disputes),
        conclusion=conclusion.strip(),
        recorded_by=actor,
    )
    consultation.agencies.set(agencies)
    return consultation


def add_follow_up(
    *,
    actor: User,
    consultation: Consultation,
    title: str,
    owner: Agency,
    responsible_person: str,
    deadline: date,
) -> LedgerItem:
    return ledger.create_item(
        actor=actor,
        title=title,
        region=consultation.case.region,
        owner_agency=owner,
        responsible_person=responsible_person,
        deadline=deadline,
        description=consultation.conclusion,
        source=consultation,
    )


@transaction.atomic
def record_intervention(
    *, actor: User, case: Case, prosecutor: str, on: date, guidance: str
) -> EarlyIntervention:
    require_case_clerk(actor, "intervention", case)
    not_future(on)
    return EarlyIntervention.objects.create(
        case=case, prosecutor=prosecutor, on=on, guidance=guidance, recorded_by=actor
    )


@transaction.atomic
def record_supervision(
    *, actor: User, case: Case, bodies: str, on: date, deadline: date
) -> JointSupervision:
    require_case_clerk(actor, "supervision", case)
    supervision = JointSupervision(
        case=case, bodies=bodies, on=on, deadline=deadline, recorded_by=actor
    )
    supervision.full_clean(exclude=["recorded_by"])
    supervision.save()
    return supervision


@transaction.atomic
def conclude_supervision(
    *, actor: User, supervision: JointSupervision, result: str, on: date
) -> JointSupervision:
    require_case_clerk(actor, "supervision", supervision.case)
    if on < supervision.on or not result.strip():
        raise ValidationError("请填写督办结果，结果日期不能早于督办日期。")
    supervision.result, supervision.result_on = result.strip(), on
    supervision.save()
    return supervision
