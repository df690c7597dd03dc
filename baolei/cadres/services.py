"""Every write of the cadre roster: one transaction, one actor, dated rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from baolei.accounts.models import AgencyKind, Role, User
from baolei.cadres import queries
from baolei.cadres.models import (
    COMMUNITY_POSTS,
    SECRETARY_POSTS,
    SINGLE_POSTS,
    Adjustment,
    AdjustmentStatus,
    Appointment,
    Attendance,
    Decision,
    Enrolment,
    Evaluation,
    EvaluationCampaign,
    Post,
    Reason,
    TrainingBase,
    TrainingSession,
)
from baolei.core import policy
from baolei.core.scoping import ancestor_codes
from baolei.notices import services as notices
from baolei.notices.models import Kind as NoticeKind
from baolei.people.models import Person
from baolei.regions.models import Level, Region


def require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def require_keeper(actor: User) -> None:
    """The actor keeps the roster (the policy's ``cadres.appoint``)."""
    policy.require(actor, "cadres.appoint")


def require_visible(actor: User, model: type[models.Model], pk: Any, message: str) -> None:
    rows = model._default_manager.visible_to(actor)  # type: ignore[attr-defined]
    require(rows.filter(pk=pk).exists(), message)


def store(actor: User, row: models.Model, exclude: list[str] | None = None) -> Any:
    """Check the row's constraints, keep who did it in record history, and save."""
    row.full_clean(exclude=exclude)
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    return row


def post_fits(post: str, region: Region) -> bool:
    if region.level == Level.VILLAGE:
        return post not in COMMUNITY_POSTS
    return post in COMMUNITY_POSTS


@transaction.atomic
def appoint(
    *,
    actor: User,
    person: Person,
    region: Region,
    post: str,
    started_on: date,
    term_starts_on: date,
    term_ends_on: date,
    note: str = "",
) -> Appointment:
    """A post is held in a village or community of its kind (村 posts in villages, 社区
    posts in communities), and a secretary's or director's post by one person at a time."""
    require_keeper(actor)
    require_visible(actor, Region, region.pk, "所选村(社区)不在您的管理范围内。")
    require_visible(actor, Person, person.pk, "该人员不在您的管理范围内。")
    if not region.is_village_level:
        raise ValidationError({"region": "请选择村或社区。"})
    if not post_fits(post, region):
        kind = "社区" if region.level != Level.VILLAGE else "村"
        raise ValidationError({"post": f"“{Post(post).label}”不是{kind}的职务。"})
    if post in SINGLE_POSTS:
        holder = queries.holders(region, post, started_on).select_related("person").first()
        if holder is not None:
            raise ValidationError(
                {
                    "post": f"{region.name}的{Post(post).label}现由{holder.person.name}担任，"
                    "须先办理调整。"
                }
            )
    same = queries.holders(region, post, started_on).filter(person=person)
    if same.exists():
        raise ValidationError({"post": f"{person.name}已担任该职务。"})
    row = Appointment(
        person=person,
        region=region,
        post=post,
        started_on=started_on,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        note=note,
        recorded_by=actor,
    )
    return store(actor, row)


@transaction.atomic
def open_campaign(
    *, actor: User, name: str, region: Region, period_starts_on: date, period_ends_on: date
) -> EvaluationCampaign:
    policy.require(actor, "cadres.open_campaign")
    require_visible(actor, Region, region.pk, "研判范围不在您的管理范围内。")
    campaign = EvaluationCampaign(
        name=name,
        region=region,
        period_starts_on=period_starts_on,
        period_ends_on=period_ends_on,
        created_by=actor,
    )
    return store(actor, campaign)


@transaction.atomic
def record_evaluation(
    *,
    actor: User,
    campaign: EvaluationCampaign,
    appointment: Appointment,
    rating: str,
    findings: str,
    evaluator: str,
    on: date,
    flagged_incompetent: bool = False,
) -> Evaluation:
    """履职研判 covers village Party secretaries in the campaign's region; a secretary rated
    不称职 or found incompetent gets an adjustment proposal (动态调整不胜任、不合格)."""
    require_visible(actor, Appointment, appointment.pk, "该任职不在您的管理范围内。")
    policy.require(actor, "cadres.evaluate", campaign)
    if appointment.post not in SECRETARY_POSTS:
        raise ValidationError({"appointment": "履职研判的对象是村(社区)党组织书记。"})
    if not campaign_secretaries_include(campaign, actor, appointment):
        raise ValidationError({"appointment": "该书记不在本次研判的范围或研判期内。"})
    evaluation = Evaluation(
        campaign=campaign,
        appointment=appointment,
        rating=rating,
        flagged_incompetent=flagged_incompetent,
        findings=findings,
        evaluator=evaluator,
        evaluated_on=on,
        recorded_by=actor,
    )
    store(actor, evaluation)
    open_exists = appointment.adjustments.exclude(decision=Decision.REJECTED).exists()
    if evaluation.needs_adjustment and not open_exists:
        propose_adjustment(
            actor=actor,
            appointment=appointment,
            reason=Reason.INCOMPETENT,
            details=f"{campaign.name}研判为{evaluation.get_rating_display()}：{findings}",
            on=on,
            evaluation=evaluation,
        )
    return evaluation


def campaign_secretaries_include(
    campaign: EvaluationCampaign, actor: User, appointment: Appointment
) -> bool:
    return queries.campaign_secretaries(campaign, actor).filter(pk=appointment.pk).exists()


@transaction.atomic
def propose_adjustment(
    *,
    actor: User,
    appointment: Appointment,
    reason: str,
    details: str,
    on: date,
    evaluation: Evaluation | None = None,
) -> Adjustment:
    """Only a cadre in office can be proposed for adjustment, once at a time."""
    require_visible(actor, Appointment, appointment.pk, "该任职不在您的管理范围内。")
    policy.require(actor, "cadres.propose", appointment)
    if not queries.in_office(Appointment.objects.filter(pk=appointment.pk), on).exists():
        raise ValidationError({"appointment": "该人员在提出日期不在任，不能提出调整。"})
    if appointment.adjustments.exclude(decision=Decision.REJECTED).exists():
        raise ValidationError({"appointment": "该任职已有调整建议在办或已调整。"})
    adjustment = Adjustment(
        appointment=appointment,
        reason=reason,
        details=details,
        evaluation=evaluation,
        proposed_on=on,
        proposed_by=actor,
    )
    store(actor, adjustment)
    notify_proposed(adjustment)
    return adjustment


@transaction.atomic
def decide_adjustment(
    *, actor: User, adjustment: Adjustment, decision: str, on: date, note: str = ""
) -> Adjustment:
    """调整须经组织部门审批: only a reviewer of an organisation department decides."""
    require_visible(actor, Adjustment, adjustment.pk, "该调整不在您的管理范围内。")
    policy.require(actor, "cadres.decide", adjustment)
    adjustment = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
    if adjustment.status != AdjustmentStatus.PROPOSED:
        raise ValidationError(f"该调整{adjustment.status_label}，不能再审批。")
    if decision == Decision.REJECTED and not note.strip():
        raise ValidationError({"decision_note": "不予批准须写明理由。"})
    adjustment.decision = decision
    adjustment.decided_on = on
    adjustment.decided_by = actor
    adjustment.decision_note = note.strip()
    return store(actor, adjustment)


@transaction.atomic
def execute_adjustment(
    *, actor: User, adjustment: Adjustment, on: date, successor: Person | None = None
) -> Adjustment:
    """The roster changes only when an approved adjustment is executed: the cadre leaves
    the post on that date, and the successor (if named) takes it; otherwise it is vacant."""
    require_visible(actor, Adjustment, adjustment.pk, "该调整不在您的管理范围内。")
    policy.require(actor, "cadres.execute", adjustment)
    adjustment = (
        Adjustment.objects.select_for_update()
        .select_related("appointment__region")
        .get(pk=adjustment.pk)
    )
    if adjustment.status != AdjustmentStatus.APPROVED:
        raise ValidationError(f"该调整{adjustment.status_label}，须经组织部批准后执行。")
    adjustment.executed_on = on
    adjustment.executed_by = actor
    store(actor, adjustment)
    if successor is not None:
        removed = adjustment.appointment
        adjustment.successor = appoint(
            actor=actor,
            person=successor,
            region=removed.region,
            post=removed.post,
            started_on=on,
            term_starts_on=removed.term_starts_on,
            term_ends_on=removed.term_ends_on,
            note=f"接替{removed.person.name}",
        )
        store(actor, adjustment)
    return adjustment


@transaction.atomic
def enrol(
    *,
    actor: User,
    person: Person,
    target_level: str,
    institution: str,
    enrolled_on: date,
    expected_on: date,
) -> Enrolment:
    """学历提升 is for cadres on the roster."""
    policy.require(actor, "cadres.enrol")
    require_visible(actor, Person, person.pk, "该人员不在您的管理范围内。")
    if not Appointment.objects.filter(person=person).exists():
        raise ValidationError({"person": f"{person.name}不在村干部名册中。"})
    row = Enrolment(
        person=person,
        target_level=target_level,
        institution=institution,
        enrolled_on=enrolled_on,
        expected_on=expected_on,
        recorded_by=actor,
    )
    return store(actor, row)


@transaction.atomic
def finish_enrolment(
    *, actor: User, enrolment: Enrolment, on: date, graduated: bool = True
) -> Enrolment:
    """A student either graduates or withdraws, once, on a date."""
    require_visible(actor, Enrolment, enrolment.pk, "该学员不在您的管理范围内。")
    policy.require(actor, "cadres.finish", enrolment)
    if enrolment.graduated_on or enrolment.withdrawn_on:
        raise ValidationError(f"该学员已{enrolment.status_label}。")
    if graduated:
        enrolment.graduated_on = on
    else:
        enrolment.withdrawn_on = on
    return store(actor, enrolment)


@transaction.atomic
def open_base(
    *, actor: User, name: str, region: Region, level: str, opened_on: date
) -> TrainingBase:
    """A training base sits at a village or community (示范村)."""
    policy.require(actor, "cadres.open_base")
    require_visible(actor, Region, region.pk, "所选村(社区)不在您的管理范围内。")
    if not region.is_village_level:
        raise ValidationError({"region": "实训基地应设在村或社区。"})
    return store(actor, TrainingBase(name=name, region=region, level=level, opened_on=opened_on))


@transaction.atomic
def schedule_session(
    *, actor: User, base: TrainingBase, title: str, kind: str, starts_on: date, ends_on: date
) -> TrainingSession:
    require_visible(actor, TrainingBase, base.pk, "该实训基地不在您的管理范围内。")
    policy.require(actor, "cadres.schedule", base)
    session = TrainingSession(
        base=base, title=title, kind=kind, starts_on=starts_on, ends_on=ends_on
    )
    return store(actor, session)


@transaction.atomic
def record_attendance(
    *, actor: User, session: TrainingSession, person: Person, completed: bool = True
) -> Attendance:
    """Trainees are cadres on the roster, each once per session."""
    require_visible(actor, TrainingSession, session.pk, "该培训班次不在您的管理范围内。")
    policy.require(actor, "cadres.attend", session)
    require_visible(actor, Person, person.pk, "该人员不在您的管理范围内。")
    if not Appointment.objects.filter(person=person).exists():
        raise ValidationError({"person": f"{person.name}不在村干部名册中。"})
    row = Attendance(session=session, person=person, completed=completed)
    try:
        with transaction.atomic():
            return store(actor, row)
    except IntegrityError:
        raise ValidationError({"person": "该学员已在本期培训名单中。"}) from None


def notify_proposed(adjustment: Adjustment) -> None:
    """调整须经组织部门审批: the organisation department's reviewers who may approve it are told."""
    appointment = adjustment.appointment
    region = appointment.region
    candidates = (
        User.objects.filter(
            is_active=True,
            agency__kind=AgencyKind.ORGANISATION,
            agency__region__code__in=[*ancestor_codes(region.prefix), region.code],
            role_assignments__role=Role.REVIEWER,
        )
        .select_related("agency__region")
        .distinct()
    )
    notices.notify(
        NoticeKind.ADJUSTMENT_PROPOSED,
        adjustment,
        notices.who_may(adjustment, candidates, "cadres.decide"),
        f"{appointment.region.name}{appointment.get_post_display()}{appointment.person.name}"
        f"的调整建议（{adjustment.get_reason_display()}）待审批",
        reverse("cadres:adjustment", args=[adjustment.pk]),
    )
