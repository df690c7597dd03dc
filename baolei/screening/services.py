"""Every write of the screening: one transaction, one actor, dated events."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from baolei.accounts.models import Agency, AgencyKind, Role, User
from baolei.audit.models import Action
from baolei.audit.services import record_event
from baolei.core import policy
from baolei.ledger import services as ledger
from baolei.regions.models import VILLAGE_LEVELS, Region
from baolei.screening import defaults
from baolei.screening.models import (
    DEFAULT_REVIEWERS,
    ArchiveCheck,
    Decision,
    Hit,
    JointReview,
    ListChange,
    ListChangeKind,
    NegativeList,
    NegativeListItem,
    Proposal,
    RoundStatus,
    Screening,
    ScreeningRound,
    Standing,
)


def require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def require_visible(actor: User, screening: Screening) -> None:
    require(
        Screening.objects.visible_to(actor).filter(pk=screening.pk).exists(),
        "该组织不在您的管理范围内。",
    )


def require_open(round_: ScreeningRound) -> None:
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(f"“{round_.name}”已结束，不能再修改。")


@transaction.atomic
def ensure_default_list() -> NegativeList:
    existing = NegativeList.objects.filter(name=defaults.NAME).order_by("-version").first()
    if existing is not None:
        return existing
    negative_list = NegativeList.objects.create(name=defaults.NAME, note="默认清单")
    for code, text, category, agency in defaults.ITEMS:
        NegativeListItem.objects.create(
            negative_list=negative_list,
            code=code,
            text=text,
            category=category,
            evidence_agency=agency,
        )
    return negative_list


@transaction.atomic
def revise_list(
    *, actor: User, negative_list: NegativeList, items: Sequence[dict[str, str]], note: str
) -> NegativeList:
    """A list already used by a round is never changed: the revision becomes a new version,
    and results keep the version they were assessed against."""
    policy.require(actor, "screening.revise_list")
    codes = [i["code"] for i in items]
    if len(set(codes)) != len(codes) or not items:
        raise ValidationError("清单条目序号不能重复，且至少要有一条。")
    target = negative_list
    if negative_list.rounds.exists():
        latest = NegativeList.objects.filter(name=negative_list.name).order_by("-version").first()
        assert latest is not None  # noqa: S101 - negative_list itself matches
        target = NegativeList.objects.create(
            name=negative_list.name, version=latest.version + 1, note=note
        )
    else:
        target.items.all().delete()
        target.note = note
        target.save()
    for item in items:
        NegativeListItem.objects.create(
            negative_list=target,
            code=item["code"],
            text=item["text"],
            category=item["category"],
            evidence_agency=item["evidence_agency"],
        )
    return target


@transaction.atomic
def open_round(
    *,
    actor: User,
    name: str,
    region: Region,
    negative_list: NegativeList,
    starts_on: date,
    ends_on: date,
    minimum_ratio: Decimal = Decimal("0.100"),
    required_reviewers: Sequence[str] | None = None,
    plan_days: int = 180,
) -> ScreeningRound:
    """The base is every village and community organisation in scope, snapshotted now."""
    policy.require(actor, "screening.open")
    require(
        Region.objects.visible_to(actor).filter(pk=region.pk).exists(),
        "排查范围不在您的管理范围内。",
    )
    round_ = ScreeningRound(
        name=name,
        region=region,
        negative_list=negative_list,
        starts_on=starts_on,
        ends_on=ends_on,
        minimum_ratio=minimum_ratio,
        required_reviewers=list(required_reviewers or DEFAULT_REVIEWERS),
        plan_days=plan_days,
        created_by=actor,
    )
    round_.full_clean(exclude=["created_by"])
    round_.save()
    base = Region.objects.subtree(region).filter(level__in=VILLAGE_LEVELS)
    for village in base:
        Screening.objects.create(round=round_, region=village)
    if not round_.screenings.exists():
        raise ValidationError({"region": "排查范围内没有村(社区)党组织。"})
    return round_


def log_change(
    screening: Screening, kind: ListChangeKind, on: date, actor: User, reason: str = ""
) -> None:
    ListChange.objects.create(
        screening=screening, kind=kind, on=on, reason=reason, recorded_by=actor
    )


@dataclass(frozen=True)
class ArchiveRecord:
    checked_by: str
    checked_on: date
    findings: str


@transaction.atomic
def record_result(
    *,
    actor: User,
    screening: Screening,
    proposal: str,
    hits: Iterable[tuple[NegativeListItem, str]] = (),
    archive: ArchiveRecord | None = None,
    on: date | None = None,
) -> Screening:
    """A proposal to flag needs at least one item hit; items come from the round's list version."""
    require_visible(actor, screening)
    screening = (
        Screening.objects.select_for_update().select_related("round", "region").get(pk=screening.pk)
    )
    policy.require(actor, "screening.result", screening)
    require_open(screening.round)
    if screening.standing in (Standing.CONFIRMED, Standing.REMOVED):
        raise ValidationError("该组织已确定，如需调整请办理动态增列或移出。")
    hits = list(hits)
    for item, note in hits:
        if item.negative_list_id != screening.round.negative_list_id:
            raise ValidationError(f"条目 {item.code} 不属于本轮使用的负面清单版本。")
        if not note.strip():
            raise ValidationError(f"请写明条目 {item.code} 的具体情况。")
    if proposal == Proposal.FLAG and not hits and not screening.hits.exists():
        raise ValidationError({"proposal": "建议列入须至少命中一条负面清单。"})
    if proposal not in (Proposal.FLAG, Proposal.CLEAR):
        raise ValidationError({"proposal": "请选择“建议列入”或“不列入”。"})
    on = on or timezone.localdate()
    for item, note in hits:
        Hit.objects.update_or_create(
            screening=screening, item=item, defaults={"note": note.strip(), "recorded_by": actor}
        )
    if archive is not None:
        if not archive.checked_by.strip() or not archive.findings.strip():
            raise ValidationError("档案核查须写明核查人和核查发现。")
        ArchiveCheck.objects.create(
            screening=screening,
            checked_by=archive.checked_by.strip(),
            checked_on=archive.checked_on,
            findings=archive.findings.strip(),
            recorded_by=actor,
        )
    screening.proposal = proposal
    if proposal == Proposal.FLAG:
        screening.reviews.filter(superseded=False).update(superseded=True)
        screening.standing = Standing.PROPOSED
        log_change(screening, ListChangeKind.PROPOSED, on, actor)
    else:
        screening.standing = Standing.CLEARED
        log_change(screening, ListChangeKind.CLEARED, on, actor)
    screening.save()
    return screening


def current_reviews(screening: Screening) -> dict[str, JointReview]:
    return {
        r.agency_kind: r for r in screening.reviews.filter(superseded=False).order_by("recorded_at")
    }


@transaction.atomic
def review(
    *, actor: User, screening: Screening, decision: str, reason: str = "", on: date | None = None
) -> JointReview:
    """联审: each required agency signs off; confirmed when all agree; a disagreement returns it."""
    require_visible(actor, screening)
    screening = (
        Screening.objects.select_for_update().select_related("round", "region").get(pk=screening.pk)
    )
    round_ = screening.round
    policy.require(actor, "screening.review", screening)
    agency = actor.agency
    assert agency is not None  # noqa: S101 - the policy asks for an agency of a named kind
    require_open(round_)
    if screening.standing != Standing.PROPOSED:
        raise ValidationError(f"该组织当前为“{screening.get_standing_display()}”，不在待联审状态。")
    if decision == Decision.DISAGREE and not reason.strip():
        raise ValidationError({"reason": "不同意须写明理由。"})
    if decision not in Decision.values:
        raise ValidationError({"decision": "请选择同意或不同意。"})
    on = on or timezone.localdate()
    screening.reviews.filter(superseded=False, agency_kind=agency.kind).update(superseded=True)
    verdict = JointReview.objects.create(
        screening=screening,
        agency_kind=agency.kind,
        agency=agency,
        decision=decision,
        reason=reason.strip(),
        reviewed_by=actor,
        reviewed_on=on,
    )
    if decision == Decision.DISAGREE:
        screening.standing = Standing.RETURNED
        screening.save()
        log_change(
            screening, ListChangeKind.RETURNED, on, actor, f"{agency.name}：{reason.strip()}"
        )
        return verdict
    agreed = {k for k, r in current_reviews(screening).items() if r.decision == Decision.AGREE}
    if set(round_.required_reviewers) <= agreed:
        confirm(screening, actor, on, ListChangeKind.CONFIRMED, "联审部门一致同意")
    return verdict


def plan_owner(village: Region) -> Agency:
    """The township Party committee answers for the plan; else the county campaign office."""
    township = village.parent
    owner = Agency.objects.filter(region=township, kind=AgencyKind.TOWNSHIP_PARTY).first()
    if owner is None and township is not None:
        owner = Agency.objects.filter(
            region=township.parent, kind=AgencyKind.CAMPAIGN_OFFICE
        ).first()
    if owner is None:
        raise ValidationError(f"找不到 {village.name} 所属乡镇党委或县扫黑办，无法建立整顿台账。")
    return owner


def confirm(screening: Screening, actor: User, on: date, kind: ListChangeKind, reason: str) -> None:
    """一村一策: confirming creates the organisation's rectification plan as a ledger item."""
    screening.standing = Standing.CONFIRMED
    screening.confirmed_on = on
    if screening.plan is None:
        owner = plan_owner(screening.region)
        hits = list(screening.hits.select_related("item"))
        screening.plan = ledger.create_item(
            actor=actor,
            title=f"{screening.region.name}党组织整顿提升（一村一策）",
            region=screening.region,
            owner_agency=owner,
            responsible_person=f"{owner.name}书记",
            supervising_leader="",
            deadline=on + timedelta(days=screening.round.plan_days),
            description="；".join(f"{h.item.code}.{h.item.text}：{h.note}" for h in hits),
            measures=[f"针对“{h.item.text}”制定整顿措施" for h in hits],
            source_kind="screening",
            source=screening,
        )
    screening.save()
    log_change(screening, kind, on, actor, reason)


def require_manager(actor: User, action: str, screening: Screening) -> None:
    require_visible(actor, screening)
    policy.require(actor, f"screening.{action}", screening)


@transaction.atomic
def add_to_list(*, actor: User, screening: Screening, on: date, reason: str) -> Screening:
    """动态增列: put an organisation on the confirmed list during the campaign, with a reason."""
    require_manager(actor, "add", screening)
    screening = (
        Screening.objects.select_for_update().select_related("round", "region").get(pk=screening.pk)
    )
    if screening.standing == Standing.CONFIRMED:
        raise ValidationError("该组织已在名单中。")
    if not reason.strip():
        raise ValidationError({"reason": "请说明增列理由。"})
    confirm(screening, actor, on, ListChangeKind.ADDED, reason.strip())
    return screening


@transaction.atomic
def remove_from_list(*, actor: User, screening: Screening, on: date, reason: str) -> Screening:
    """动态移出: take an organisation off the list, with a reason; its open plan is cancelled."""
    require_manager(actor, "remove", screening)
    screening = (
        Screening.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=screening.pk)
    )
    if screening.standing != Standing.CONFIRMED:
        raise ValidationError("只有已确定的组织可以移出名单。")
    if not reason.strip():
        raise ValidationError({"reason": "请说明移出理由。"})
    screening.standing = Standing.REMOVED
    screening.save()
    log_change(screening, ListChangeKind.REMOVED, on, actor, reason.strip())
    if screening.plan is not None and screening.plan.is_open:
        ledger.cancel_item(
            actor=actor, item=screening.plan, reason=f"移出软弱涣散名单：{reason.strip()}"
        )
    return screening


def ratio_message(confirmed: int, base: int, minimum: Decimal) -> str:
    share = Decimal(confirmed) / Decimal(base) * 100 if base else Decimal(0)
    return f"已确认 {confirmed} 个，占 {share:.1f}%，低于 {minimum * 100:.0f}%"


@transaction.atomic
def close_round(
    *, actor: User, round_: ScreeningRound, on: date, justification: str = ""
) -> ScreeningRound:
    """按10%以上比例动态排查: a round cannot close below its minimum ratio, unless a leader
    records a written justification, which is security-logged."""
    require(
        ScreeningRound.objects.visible_to(actor).filter(pk=round_.pk).exists(),
        "该轮次不在您的管理范围内。",
    )
    policy.require(actor, "screening.close", round_)
    round_ = ScreeningRound.objects.select_for_update().get(pk=round_.pk)
    require_open(round_)
    base = round_.screenings.count()
    confirmed = round_.screenings.filter(standing=Standing.CONFIRMED).count()
    if Decimal(confirmed) < round_.minimum_ratio * base:
        message = ratio_message(confirmed, base, round_.minimum_ratio)
        if not (actor.has_role(Role.LEADER) and justification.strip()):
            raise ValidationError(f"{message}，不能结束本轮排查（领导可填写书面说明后结束）。")
        record_event(
            Action.RATIO_OVERRIDE,
            actor=actor,
            target=round_.name,
            detail={"message": message, "justification": justification.strip()},
        )
        round_.closing_justification = justification.strip()
    round_.status = RoundStatus.CLOSED
    round_.closed_on = on
    round_.save()
    return round_
