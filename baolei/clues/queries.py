"""Reads of clues: warnings, referral timeliness and statistics for any period."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from baolei.accounts.models import Role
from baolei.clues.models import OPEN, Clue, ClueStatus, Conclusion, Direction, Referral
from baolei.clues.services import CLUE_AGENCIES


def with_warning(rows: QuerySet[Clue], today: date | None = None) -> QuerySet[Clue]:
    """red = open past its deadline; blue = open and due within 5 days (the ledger's colours)."""
    today = today or timezone.localdate()
    live = Q(status__in=OPEN)
    return rows.annotate(
        warning=Case(
            When(live & Q(deadline__lt=today), then=Value("red")),
            When(live & Q(deadline__lte=today + timedelta(days=5)), then=Value("blue")),
            default=Value(""),
            output_field=CharField(),
        )
    )


def overdue_referrals(user: Any, today: date | None = None) -> QuerySet[Referral]:
    """Referrals whose acknowledgement or feedback is late, where the user's agency sent or received them."""
    today = today or timezone.localdate()
    agency = user.agency_id
    late_ack = Q(acknowledged_on__isnull=True, acknowledge_by__lt=today)
    late_feedback = Q(feedback_on__isnull=True, feedback_by__lt=today)
    return (
        Referral.objects.visible_to(user)
        .filter(Q(from_agency=agency) | Q(to_agency=agency))
        .filter(late_ack | late_feedback)
        .select_related("clue", "from_agency", "to_agency")
    )


#: The steps a receiving agency owes a referral: 签收, then 反馈; each with its due-date column.
AWAITING_STEPS = {"acknowledge": "acknowledge_by", "feedback": "feedback_by"}


def awaiting_referrals(rows: QuerySet[Referral], user: Any, step: str) -> QuerySet[Referral]:
    """待签收 / 待反馈: referrals received by the user's agency that still owe ``step``,
    for those who may take it (``clues.acknowledge`` / ``clues.feedback``: a clerk or
    reviewer of the receiving agency)."""
    editor = user.has_role(Role.CLERK, Role.REVIEWER) and user.agency_kind in CLUE_AGENCIES
    if not editor or step not in AWAITING_STEPS:
        return rows.none()
    rows = rows.filter(to_agency=user.agency_id)
    if step == "acknowledge":
        return rows.filter(acknowledged_on__isnull=True)
    return rows.filter(acknowledged_on__isnull=False, feedback_on__isnull=True)


def timeliness(rows: QuerySet[Referral], today: date) -> dict[str, int]:
    """Acknowledged and fed back on time / late / still open (late at the day after the due date)."""
    return rows.aggregate(
        total=Count("pk"),
        ack_on_time=Count(
            "pk", filter=Q(acknowledged_on__isnull=False, acknowledged_on__lte=F("acknowledge_by"))
        ),
        ack_late=Count("pk", filter=Q(acknowledged_on__gt=F("acknowledge_by"))),
        ack_open=Count("pk", filter=Q(acknowledged_on__isnull=True)),
        ack_open_overdue=Count(
            "pk", filter=Q(acknowledged_on__isnull=True, acknowledge_by__lt=today)
        ),
        feedback_on_time=Count(
            "pk", filter=Q(feedback_on__isnull=False, feedback_on__lte=F("feedback_by"))
        ),
        feedback_late=Count("pk", filter=Q(feedback_on__gt=F("feedback_by"))),
        feedback_open=Count("pk", filter=Q(feedback_on__isnull=True)),
        feedback_open_overdue=Count(
            "pk", filter=Q(feedback_on__isnull=True, feedback_by__lt=today)
        ),
    )


def referral_summary(
    user: Any, start: date, end: date, today: date | None = None
) -> dict[str, Any]:
    """Referrals sent in [start, end], each way, with acknowledgement and feedback timeliness."""
    today = today or timezone.localdate()
    rows = Referral.objects.visible_to(user).filter(sent_on__gte=start, sent_on__lte=end)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "directions": {
            d: {"label": Direction(d).label, **timeliness(rows.filter(direction=d), today)}
            for d in Direction.values
        },
    }


def clue_statistics(
    user: Any, start: date, end: date, by: str = "category"
) -> list[dict[str, Any]]:
    """Received, concluded and substantiated (rate) in [start, end], by category, source, region or agency."""
    field = {
        "category": "category",
        "source": "source",
        "agency": "handling_agency__name",
        "region": "region__parent__parent__name",
    }[by]
    rows = (
        Clue.objects.visible_to(user)
        .filter(received_on__gte=start, received_on__lte=end)
        .values(field)
        .annotate(
            received=Count("pk"),
            concluded=Count("pk", filter=Q(status=ClueStatus.CONCLUDED)),
            substantiated=Count(
                "pk", filter=Q(conclusion__in=[Conclusion.SUBSTANTIATED, Conclusion.PARTLY])
            ),
        )
        .order_by(field)
    )
    return [
        {
            "key": row[field],
            **{k: row[k] for k in ("received", "concluded", "substantiated")},
            "rate": round(row["substantiated"] / row["concluded"], 4) if row["concluded"] else 0.0,
        }
        for row in rows
    ]
