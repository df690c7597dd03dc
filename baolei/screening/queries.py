"""Reads of the screening: round dashboard, ratio, even-quota warning, repeat listings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from baolei.accounts.models import Role
from baolei.core import readable
from baolei.ledger.models import DONE_STATUSES, OPEN_STATUSES, Acceptance, AcceptanceResult
from baolei.regions.models import Region
from baolei.screening.models import (
    JointReview,
    Proposal,
    RoundStatus,
    Screening,
    ScreeningRound,
    Standing,
)


@dataclass
class Tally:
    code: str
    name: str
    base: int = 0
    screened: int = 0
    proposed: int = 0
    confirmed: int = 0
    in_rectification: int = 0
    rectified: int = 0
    late: int = 0
    minimum: Decimal = Decimal("0.1")

    @property
    def ratio(self) -> Decimal:
        return Decimal(self.confirmed) / Decimal(self.base) if self.base else Decimal(0)

    @property
    def percent(self) -> str:
        return readable.percent(self.ratio)

    @property
    def meets_minimum(self) -> bool:
        return self.base > 0 and self.ratio >= self.minimum

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "base": self.base,
            "screened": self.screened,
            "proposed": self.proposed,
            "confirmed": self.confirmed,
            "ratio": float(round(self.ratio, 4)),
            "in_rectification": self.in_rectification,
            "rectified": self.rectified,
            "late": self.late,
        }


@dataclass
class Summary:
    total: Tally
    counties: list[Tally] = field(default_factory=list)


def with_rectification(rows: QuerySet[Screening]) -> QuerySet[Screening]:
    """Annotate ``rectified_on``: the date the plan was accepted (整顿提升), if it was."""
    accepted = Acceptance.objects.filter(item=OuterRef("plan_id"), result=AcceptanceResult.ACCEPTED)
    return rows.annotate(rectified_on=Subquery(accepted.order_by("-on").values("on")[:1]))


def round_summary(round_: ScreeningRound, user: Any, today: date | None = None) -> Summary:
    """Per county-level unit and in total, over the screenings the user may see."""
    today = today or timezone.localdate()
    confirmed = Q(standing=Standing.CONFIRMED)
    rows = (
        Screening.objects.visible_to(user)
        .filter(round=round_)
        .annotate(county=Substr("region__code", 1, 6))
        .values("county")
        .annotate(
            base=Count("pk"),
            screened=Count("pk", filter=~Q(proposal=Proposal.PENDING)),
            proposed=Count("pk", filter=Q(proposal=Proposal.FLAG)),
            confirmed=Count("pk", filter=confirmed),
            in_rectification=Count("pk", filter=confirmed & Q(plan__status__in=OPEN_STATUSES)),
            rectified=Count("pk", filter=confirmed & Q(plan__status__in=DONE_STATUSES)),
            late=Count(
                "pk",
                filter=confirmed
                & Q(
                    plan__status__in=OPEN_STATUSES,
                    plan__deadline__lt=today,
                    plan__suspended_on__isnull=True,
                ),
            ),
        )
        .order_by("county")
    )
    names = {
        r.code[:6]: r.name
        for r in Region.objects.filter(code__in=[f"{row['county']}000000" for row in rows])
    }
    total = Tally("", "合计", minimum=round_.minimum_ratio)
    counties = []
    for row in rows:
        tally = Tally(
            row["county"],
            names.get(row["county"], row["county"]),
            minimum=round_.minimum_ratio,
            **{
                k: row[k]
                for k in (
                    "base",
                    "screened",
                    "proposed",
                    "confirmed",
                    "in_rectification",
                    "rectified",
                    "late",
                )
            },
        )
        counties.append(tally)
        for key in (
            "base",
            "screened",
            "proposed",
            "confirmed",
            "in_rectification",
            "rectified",
            "late",
        ):
            setattr(total, key, getattr(total, key) + getattr(tally, key))
    return Summary(total, counties)


def even_quota_warning(round_: ScreeningRound, user: Any) -> str:
    """Practice forbids meeting the ratio by an even quota per township: warn when every
    township (three or more) has the same number, or the same share, confirmed."""
    rows = list(
        Screening.objects.visible_to(user)
        .filter(round=round_)
        .annotate(township=Substr("region__code", 1, 9))
        .values("township")
        .annotate(base=Count("pk"), confirmed=Count("pk", filter=Q(standing=Standing.CONFIRMED)))
    )
    if len(rows) < 3 or not any(r["confirmed"] for r in rows):
        return ""
    counts = {r["confirmed"] for r in rows}
    if len(counts) == 1:
        return f"全部 {len(rows)} 个乡镇(街道)各确定 {counts.pop()} 个，疑似按指标平均分配，请核实是否据实排查。"
    shares = [Decimal(r["confirmed"]) / r["base"] for r in rows]
    if max(shares) - min(shares) <= Decimal("0.005"):
        return f"全部 {len(rows)} 个乡镇(街道)确定比例均约为 {shares[0] * 100:.1f}%，疑似按比例平均分配，请核实。"
    return ""


def repeat_listings(user: Any, minimum: int = 2) -> QuerySet[Any]:
    """Organisations confirmed in two or more rounds (屡次列入)."""
    return (
        Screening.objects.visible_to(user)
        .filter(standing__in=[Standing.CONFIRMED, Standing.REMOVED], confirmed_on__isnull=False)
        .values("region__code", "region__name")
        .annotate(rounds=Count("round", distinct=True))
        .filter(rounds__gte=minimum)
        .order_by("-rounds", "region__code")
    )


def awaiting_review(rows: QuerySet[Screening], user: Any) -> QuerySet[Screening]:
    """待联审: proposed organisations of open rounds that name the user's agency kind
    among their joint-review departments and that no agency of that kind has signed
    yet, for a reviewer of such an agency holding the village (``screening.review``;
    the scope of ``visible_to`` is the agency's region)."""
    kind = user.agency_kind
    if kind is None or not user.has_role(Role.REVIEWER):
        return rows.none()
    signed = JointReview.objects.filter(
        screening=OuterRef("pk"), superseded=False, agency_kind=kind
    )
    return rows.filter(
        standing=Standing.PROPOSED,
        round__status=RoundStatus.OPEN,
        # the JSON list holds plain kind names, so its text holds the quoted name
        round__required_reviewers__icontains=f'"{kind}"',
    ).filter(~Exists(signed))


def work_queue(user: Any) -> QuerySet[Screening]:
    """A department's queue: organisations awaiting its review, or hitting items it holds evidence for."""
    kind = user.agency_kind
    reviewing = [
        r.pk
        for r in ScreeningRound.objects.visible_to(user).filter(status="open")
        if kind in r.required_reviewers
    ]
    awaiting = Q(standing=Standing.PROPOSED, round__in=reviewing) & ~Q(
        reviews__superseded=False, reviews__agency_kind=kind
    )
    evidence = Q(
        standing__in=[Standing.PROPOSED, Standing.RETURNED], hits__item__evidence_agency=kind
    )
    rows = Screening.objects.visible_to(user).filter(round__status="open")
    return rows.filter(awaiting | evidence).select_related("round", "region").distinct()


def review_tally(screening: Any) -> readable.Tally:
    """联审进度: how many of the round's required departments agree now ("3/4 部门已同意"),
    counting each department's latest opinion only, and which are still awaited."""
    from baolei.accounts.models import AgencyKind
    from baolei.screening.models import Decision

    required = list(screening.round.required_reviewers)
    current = {
        r.agency_kind: r.decision
        for r in screening.reviews.filter(superseded=False).order_by("recorded_at")
    }
    agreed = [k for k in required if current.get(k) == Decision.AGREE]
    waiting = tuple(AgencyKind(k).label for k in required if k not in agreed)
    return readable.Tally(len(agreed), len(required), "部门已同意", waiting)
