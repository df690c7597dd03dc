"""Reads of the cadre roster: who is in office on a day, a village's team, evaluation
coverage, adjustment counts, education progress and training counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Substr
from django.utils import timezone

from baolei.accounts.models import AgencyKind, Role
from baolei.cadres.models import (
    SECRETARY_POSTS,
    SINGLE_POSTS,
    Adjustment,
    Appointment,
    Attendance,
    Decision,
    Enrolment,
    EvaluationCampaign,
    Rating,
    Reason,
    TrainingBase,
)
from baolei.cadres.policy import KEEPERS
from baolei.core import readable
from baolei.regions.models import Region


class State:
    PENDING = "pending"
    SERVING = "serving"
    EXPIRED = "expired"
    REMOVED = "removed"


STATE_LABELS = {
    State.PENDING: "未到任",
    State.SERVING: "在任",
    State.EXPIRED: "任期届满待换届",
    State.REMOVED: "已调整离任",
}
IN_OFFICE = (State.SERVING, State.EXPIRED)


def with_state(rows: QuerySet[Appointment], on: date | None = None) -> QuerySet[Any]:
    """Annotate ``removed_on`` (the executed adjustment that ended it) and ``state`` as of
    ``on``: the roster changes only when an adjustment is executed, never when proposed."""
    on = on or timezone.localdate()
    executed = Adjustment.objects.filter(appointment=OuterRef("pk"), executed_on__isnull=False)
    return rows.annotate(
        removed_on=Subquery(executed.values("executed_on")[:1]),
    ).annotate(
        state=Case(
            When(started_on__gt=on, then=Value(State.PENDING)),
            When(removed_on__lte=on, then=Value(State.REMOVED)),
            When(term_ends_on__lt=on, then=Value(State.EXPIRED)),
            default=Value(State.SERVING),
            output_field=CharField(),
        )
    )


def in_office(rows: QuerySet[Appointment], on: date | None = None) -> QuerySet[Any]:
    """Appointments whose ``state`` on ``on`` is in ``IN_OFFICE``, annotated as
    ``with_state`` does. The filter says the same as the state without computing it per
    row: started by then and not ended by an executed adjustment by then (an appointment
    has at most one adjustment that is not rejected, so at most one executed), which the
    database answers with one anti-join instead of a sub-select per appointment."""
    on = on or timezone.localdate()
    ended = Adjustment.objects.filter(appointment=OuterRef("pk"), executed_on__lte=on)
    return with_state(rows.filter(started_on__lte=on).exclude(Exists(ended)), on)


def holders(region: Region, post: str, on: date) -> QuerySet[Any]:
    """Who holds ``post`` in ``region`` on ``on`` (no scoping: for the services' rules)."""
    return in_office(Appointment.objects.filter(region=region, post=post), on)


@dataclass
class Team:
    region: Region
    members: list[Appointment]
    vacancies: list[Adjustment] = field(default_factory=list)


def village_team(region: Region, user: Any, on: date | None = None) -> Team:
    """The team in office, and the single posts left vacant by an executed adjustment."""
    on = on or timezone.localdate()
    rows = Appointment.objects.visible_to(user).filter(region=region)
    members = list(in_office(rows, on).select_related("person").order_by("post", "started_on"))
    held = {m.post for m in members}
    vacancies = [
        a
        for a in Adjustment.objects.visible_to(user)
        .filter(
            appointment__region=region,
            executed_on__lte=on,
            successor__isnull=True,
            appointment__post__in=SINGLE_POSTS,
        )
        .select_related("appointment__person")
        .order_by("-executed_on")
        if a.appointment.post not in held
    ]
    unique: dict[str, Adjustment] = {}
    for vacancy in vacancies:
        unique.setdefault(vacancy.appointment.post, vacancy)
    return Team(region, members, list(unique.values()))


def county_names(codes: list[str]) -> dict[str, str]:
    return {
        r.code[:6]: r.name for r in Region.objects.filter(code__in=[f"{c}000000" for c in codes])
    }


@dataclass
class Coverage:
    code: str
    name: str
    secretaries: int = 0
    evaluated: int = 0
    ratings: dict[str, int] = field(default_factory=dict)

    @property
    def percent(self) -> str:
        return readable.percent(self.evaluated / self.secretaries) if self.secretaries else "—"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "secretaries": self.secretaries,
            "evaluated": self.evaluated,
            "ratings": self.ratings,
        }


def campaign_secretaries(campaign: EvaluationCampaign, user: Any) -> QuerySet[Any]:
    """Secretaries in the campaign's region in office at any time during its period."""
    rows = Appointment.objects.visible_to(user).filter(
        region__code__under=campaign.region.prefix,
        post__in=SECRETARY_POSTS,
        started_on__lte=campaign.period_ends_on,
    )
    return with_state(rows, campaign.period_starts_on).exclude(state=State.REMOVED)


#: how many secretaries the evaluation form lists at once; beyond it the list says so and searches
CHOICES_SHOWN = 100


@dataclass
class Choices:
    """A choice list that is whole, or says how many it leaves out and is searched by ``q``."""

    rows: list[Any]
    total: int
    q: str = ""

    @property
    def left_out(self) -> int:
        return self.total - len(self.rows)


def pending_secretaries(campaign: EvaluationCampaign, user: Any, q: str = "") -> Choices:
    """The campaign's secretaries not yet evaluated, found by village or name."""
    rows = campaign_secretaries(campaign, user).exclude(evaluations__campaign=campaign)
    q = q.strip()
    if q:
        rows = rows.filter(Q(person__name__contains=q) | Q(region__name__contains=q))
    rows = rows.select_related("person", "region").order_by("region__code", "pk")
    return Choices(list(rows[:CHOICES_SHOWN]), rows.count(), q)


def campaign_coverage(campaign: EvaluationCampaign, user: Any) -> tuple[Coverage, list[Coverage]]:
    """全覆盖: evaluated / all secretaries in scope, per county and in total."""
    rating_counts = {
        r: Count("evaluations", filter=Q(evaluations__campaign=campaign, evaluations__rating=r))
        for r in Rating.values
    }
    rows: list[dict[str, Any]] = list(
        campaign_secretaries(campaign, user)
        .annotate(county=Substr("region__code", 1, 6))
        .values("county")
        .annotate(
            secretaries=Count("pk", distinct=True),
            evaluated=Count("evaluations", filter=Q(evaluations__campaign=campaign)),
            **rating_counts,
        )
        .order_by("county")
    )
    names = county_names([r["county"] for r in rows])
    total = Coverage("", "合计", ratings=dict.fromkeys(Rating.values, 0))
    counties = []
    for row in rows:
        tally = Coverage(
            row["county"],
            names.get(row["county"], row["county"]),
            row["secretaries"],
            row["evaluated"],
            {r: row[r] for r in Rating.values},
        )
        counties.append(tally)
        total.secretaries += tally.secretaries
        total.evaluated += tally.evaluated
        for r in Rating.values:
            total.ratings[r] += tally.ratings[r]
    return total, counties


def adjustment_summary(user: Any, start: date, end: date) -> dict[str, Any]:
    """Executed adjustments with ``start <= executed_on <= end``, by reason and county."""
    rows = list(
        Adjustment.objects.visible_to(user)
        .filter(executed_on__gte=start, executed_on__lte=end)
        .annotate(county=Substr("appointment__region__code", 1, 6))
        .values("county", "reason")
        .annotate(count=Count("pk"))
        .order_by("county", "reason")
    )
    names = county_names(sorted({r["county"] for r in rows}))
    counties: dict[str, dict[str, Any]] = {}
    by_reason = dict.fromkeys(Reason.values, 0)
    for row in rows:
        county = counties.setdefault(
            row["county"],
            {
                "code": row["county"],
                "name": names.get(row["county"], row["county"]),
                "total": 0,
                "by_reason": dict.fromkeys(Reason.values, 0),
            },
        )
        county["by_reason"][row["reason"]] += row["count"]
        county["total"] += row["count"]
        by_reason[row["reason"]] += row["count"]
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "total": sum(by_reason.values()),
        "by_reason": by_reason,
        "reasons": dict(Reason.choices),
        "counties": list(counties.values()),
    }


def education_progress(user: Any, on: date | None = None) -> list[dict[str, Any]]:
    """The three-year education upgrade per county: enrolled, studying, graduated, withdrawn."""
    on = on or timezone.localdate()
    graduated = Q(graduated_on__lte=on)
    withdrawn = Q(withdrawn_on__lte=on)
    rows = list(
        Enrolment.objects.visible_to(user)
        .filter(enrolled_on__lte=on)
        .annotate(county=Substr("person__region__code", 1, 6))
        .values("county")
        .annotate(
            enrolled=Count("pk"),
            graduated=Count("pk", filter=graduated),
            withdrawn=Count("pk", filter=withdrawn),
            studying=Count("pk", filter=~graduated & ~withdrawn),
        )
        .order_by("county")
    )
    names = county_names([r["county"] for r in rows])
    return [r | {"name": names.get(r["county"], r["county"])} for r in rows]


def training_counts(user: Any) -> dict[str, list[dict[str, Any]]]:
    """Trained cadres (distinct people who completed a session) by county and by base."""
    rows = Attendance.objects.visible_to(user).filter(completed=True)
    by_county = list(
        rows.annotate(county=Substr("person__region__code", 1, 6))
        .values("county")
        .annotate(trained=Count("person", distinct=True), attendances=Count("pk"))
        .order_by("county")
    )
    names = county_names([r["county"] for r in by_county])
    for row in by_county:
        row["name"] = names.get(row["county"], row["county"])
    # A base outside the user's region is not named, even when its own cadres trained there.
    by_base = list(
        rows.filter(session__base__in=TrainingBase.objects.visible_to(user))
        .values("session__base_id", "session__base__name")
        .annotate(trained=Count("person", distinct=True), sessions=Count("session", distinct=True))
        .order_by("session__base__name")
    )
    return {"counties": by_county, "bases": by_base}


def awaiting_adjustments(rows: QuerySet[Adjustment], user: Any, step: str) -> QuerySet[Adjustment]:
    """待审批 / 待执行: proposals awaiting the organisation department's decision, for its
    reviewers (``cadres.decide``); approved ones awaiting execution, for the roster's
    keepers (``cadres.execute``). The village lies in the user's scope through
    ``visible_to``, which is the agency's region."""
    kind = user.agency_kind
    if step == "decide" and kind == AgencyKind.ORGANISATION and user.has_role(Role.REVIEWER):
        return rows.filter(decision="", executed_on__isnull=True)
    if step == "execute" and kind in KEEPERS and user.has_role(Role.CLERK, Role.REVIEWER):
        return rows.filter(decision=Decision.APPROVED, executed_on__isnull=True)
    return rows.none()
