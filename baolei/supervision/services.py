"""Every write of supervision: one transaction, one actor; problems rectify through the ledger."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from baolei.accounts.models import Agency, AgencyKind, Role, User
from baolei.core import policy
from baolei.ledger import services as ledger
from baolei.ledger.models import DONE_STATUSES, LedgerItem, SourceKind, Status
from baolei.notices import services as notices
from baolei.notices.models import Kind as NoticeKind
from baolei.regions.models import Level, Region
from baolei.supervision.models import (
    LaggingCounty,
    LeaderAssignment,
    Problem,
    ProblemScope,
    Recurrence,
    SupervisionPlan,
    SupervisionRound,
    Team,
)

ORGANISERS = (AgencyKind.CAMPAIGN_OFFICE,)


def require_organiser(actor: User, region: Region, action: str = "", record: Any = None) -> None:
    if action:
        policy.require(actor, f"supervision.{action}", record)
    if not (actor.has_role(Role.CLERK, Role.REVIEWER) and actor.agency_kind in ORGANISERS):
        raise PermissionDenied("只有扫黑办的录入员或审核员可以办理督导事项。")
    if not Region.objects.visible_to(actor).filter(pk=region.pk).exists():
        raise PermissionDenied("该区划不在您的管理范围内。")


def require_counties(counties: Sequence[Region], plan: SupervisionPlan) -> None:
    for county in counties:
        if county.level != Level.COUNTY or not county.code.startswith(plan.region.prefix):
            raise ValidationError(f"{county.name} 不是本方案范围内的县(区)。")


@transaction.atomic
def create_plan(
    *,
    actor: User,
    title: str,
    region: Region,
    starts_on: date,
    ends_on: date,
    document_number: str = "",
) -> SupervisionPlan:
    require_organiser(actor, region, "create_plan", None)
    plan = SupervisionPlan(
        title=title,
        region=region,
        starts_on=starts_on,
        ends_on=ends_on,
        document_number=document_number,
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def assign_leader(
    *, actor: User, plan: SupervisionPlan, leader: str, county: Region, leader_title: str = ""
) -> LeaderAssignment:
    """联系督导: one city leader per county."""
    require_organiser(actor, plan.region, "assign", plan)
    require_counties([county], plan)
    assignment = LeaderAssignment(
        plan=plan, leader=leader, leader_title=leader_title, county=county
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def create_team(
    *,
    actor: User,
    plan: SupervisionPlan,
    name: str,
    leader: str,
    counties: Sequence[Region],
    deputy: str = "",
    members: Sequence[str] = (),
) -> Team:
    require_organiser(actor, plan.region, "team", plan)
    require_counties(counties, plan)
    if not counties:
        raise ValidationError({"counties": "督导组至少负责一个县(区)。"})
    team = Team.objects.create(
        plan=plan, name=name, leader=leader, deputy=deputy, members=list(members)
    )
    team.counties.set(counties)
    return team


@transaction.atomic
def create_round(
    *,
    actor: User,
    plan: SupervisionPlan,
    number: int,
    starts_on: date,
    ends_on: date,
    teams: Sequence[Team],
    counties: Sequence[Region],
) -> SupervisionRound:
    require_organiser(actor, plan.region, "round", plan)
    require_counties(counties, plan)
    if any(team.plan_id != plan.pk for team in teams):
        raise ValidationError({"teams": "督导组须属于本方案。"})
    round_ = SupervisionRound(plan=plan, number=number, starts_on=starts_on, ends_on=ends_on)
    round_.full_clean()
    round_.save()
    round_.teams.set(teams)
    round_.counties.set(counties)
    return round_


@transaction.atomic
def designate_lagging(
    *,
    actor: User,
    plan: SupervisionPlan,
    county: Region,
    on: date,
    reason: str,
    remediation_plan: str,
) -> LaggingCounty:
    """后进地区: a lagging county gets a remediation plan whose tasks are ledger items."""
    require_organiser(actor, plan.region, "lagging", plan)
    require_counties([county], plan)
    if not reason.strip():
        raise ValidationError({"reason": "请说明确定为后进地区的原因。"})
    lagging = LaggingCounty(
        plan=plan,
        county=county,
        designated_on=on,
        reason=reason.strip(),
        remediation_plan=remediation_plan,
    )
    lagging.full_clean()
    lagging.save()
    return lagging


def add_remediation_task(
    *,
    actor: User,
    lagging: LaggingCounty,
    title: str,
    owner: Agency,
    responsible_person: str,
    deadline: date,
    measures: Sequence[str] = (),
) -> LedgerItem:
    return ledger.create_item(
        actor=actor,
        title=title,
        region=lagging.county,
        owner_agency=owner,
        responsible_person=responsible_person,
        deadline=deadline,
        measures=list(measures),
        source_kind=SourceKind.SUPERVISION,
        source=lagging,
    )


def require_distinct(units: Sequence[tuple[Agency, str]]) -> None:
    """One rectification item per responsible unit: a unit named twice is a slip of the pen."""
    keys = [agency.pk for agency, _ in units]
    twice = sorted({agency.name for agency, _ in units if keys.count(agency.pk) > 1})
    if twice:
        raise ValidationError({"units": f"责任单位重复：{'、'.join(twice)}。"})


@transaction.atomic
def create_problem(
    *,
    actor: User,
    source: str,
    scope: str,
    number: str,
    region: Region,
    description: str,
    deadline: date,
    received_on: date,
    units: Sequence[tuple[Agency, str]],
    measures: Sequence[str] = (),
    round_: SupervisionRound | None = None,
) -> Problem:
    """A common problem (共性) gets one ledger item per responsible unit; an individual one, one."""
    require_organiser(actor, region, "create_problem", None)
    if scope == ProblemScope.INDIVIDUAL and len(units) != 1:
        raise ValidationError({"units": "个性问题须且只能有一个责任单位。"})
    if scope == ProblemScope.COMMON and not units:
        raise ValidationError({"units": "共性问题须列出全部责任单位。"})
    if deadline < received_on:
        raise ValidationError({"deadline": "整改时限不能早于反馈日期。"})
    require_distinct(units)
    problem = Problem(
        source=source,
        scope=scope,
        number=number,
        region=region,
        description=description,
        measures=list(measures),
        deadline=deadline,
        received_on=received_on,
        round=round_,
        created_by=actor,
    )
    problem.full_clean(exclude=["created_by"])
    problem.save()
    for agency, person in units:
        ledger.create_item(
            actor=actor,
            title=f"{number} {description[:60]}",
            region=agency.region,
            owner_agency=agency,
            responsible_person=person,
            deadline=deadline,
            measures=list(measures),
            description=description,
            source_kind=SourceKind.SUPERVISION,
            source=problem,
        )
    return problem


def done_on(problem: Problem) -> date | None:
    """When every live item of the problem was accepted: the last acceptance date."""
    items = [i for i in problem.items.all() if i.status != Status.CANCELLED]
    if not items or any(i.status not in DONE_STATUSES for i in items):
        return None
    dates = [a.on for i in items for a in i.acceptances.all() if a.result == "accepted"]
    return max(dates) if dates else None


@transaction.atomic
def reopen_problem(
    *,
    actor: User,
    problem: Problem,
    on: date,
    reason: str,
    units: Sequence[tuple[Agency, str]],
    deadline: date,
) -> Recurrence:
    """反弹: a done problem that recurs is reopened with new items; its first completion date is kept."""
    require_organiser(actor, problem.region, "reopen", problem)
    previous = done_on(problem)
    if previous is None:
        raise ValidationError("只有已完成整改的问题才能登记反弹。")
    if not reason.strip() or not units:
        raise ValidationError("请写明反弹情况并指定责任单位。")
    require_distinct(units)
    recurrence = Recurrence.objects.create(
        problem=problem, on=on, reason=reason.strip(), previous_done_on=previous, recorded_by=actor
    )
    for agency, person in units:
        ledger.create_item(
            actor=actor,
            title=f"{problem.number}（反弹）{problem.description[:50]}",
            region=agency.region,
            owner_agency=agency,
            responsible_person=person,
            deadline=deadline,
            measures=problem.measures,
            description=reason.strip(),
            source_kind=SourceKind.SUPERVISION,
            source=problem,
        )
    notify_reopened(problem, recurrence, [agency for agency, _ in units], deadline)
    return recurrence


def notify_reopened(
    problem: Problem, recurrence: Recurrence, agencies: Sequence[Agency], deadline: date
) -> None:
    """反弹: each unit given a new item is told, those of its users who may work on it."""
    recipients: list[User] = []
    for agency in agencies:
        item = problem.items.filter(owner_agency=agency).order_by("-pk").first()
        candidates = User.objects.filter(agency=agency, is_active=True)
        if item is not None:
            recipients += notices.who_may(item, candidates, "ledger.progress")
    names = "、".join(agency.name for agency in agencies)
    notices.notify(
        NoticeKind.PROBLEM_REOPENED,
        problem,
        recipients,
        f"督导问题 {problem.number} 整改后反弹，已重新交办{names}，"
        f"请于 {deadline:%Y-%m-%d} 前整改：{recurrence.reason[:60]}",
        reverse("supervision:problem", args=[problem.pk]),
    )
