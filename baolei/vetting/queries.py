"""Reads of the background review, scoped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from baolei.cadres.models import Appointment
from baolei.cadres.queries import county_names, in_office
from baolei.core import days, policy, readable
from baolei.vetting.models import Candidate, Decision, RunStatus, VettingRun

#: A run finished or failed this many days ago or less is still news to whoever started it.
RECENT_RUN_DAYS = 7


def with_counts(rows: QuerySet[VettingRun], user: Any) -> QuerySet[Any]:
    """``candidate_count``: the run's candidates the user may see, as its page lists them."""
    counted = (
        Candidate.objects.visible_to(user)
        .filter(run=OuterRef("pk"))
        .order_by()
        .values("run")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return rows.annotate(
        candidate_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    )


def candidates_for(user: Any) -> QuerySet[Candidate]:
    return Candidate.objects.visible_to(user).select_related(
        "appointment__region", "appointment__person"
    )


@dataclass
class CountyCoverage:
    county: str
    active: int
    vetted: int

    @property
    def percent(self) -> str:
        return readable.percent(self.vetted / self.active) if self.active else "—"


def latest_runs(user: Any) -> dict[str, date]:
    """For each region prefix, the day of the latest completed run over it the user can see."""
    latest: dict[str, date] = {}
    rows = VettingRun.objects.visible_to(user).filter(status=RunStatus.DONE)
    for code, started_at in rows.values_list("region__code", "started_at"):
        prefix, on = _prefix(code), timezone.localdate(started_at)
        latest[prefix] = max(on, latest.get(prefix, on))
    return latest


def last_vetted_on(code: str, started_on: date, latest: dict[str, date]) -> date | None:
    """A run vets a cadre when it covers the cadre's village and started on or after the
    day the cadre took office; a cadre appointed after the last such run is not vetted."""
    days = [on for prefix, on in latest.items() if code.startswith(prefix) and on >= started_on]
    return max(days, default=None)


def vetted(latest: dict[str, date]) -> Q:
    """The appointments some completed run has vetted (the same rule as last_vetted_on)."""
    found = Q(pk__in=[])
    for prefix, on in latest.items():
        found |= Q(region__code__under=prefix, started_on__lte=on)
    return found


def cadres_in_office(user: Any) -> QuerySet[Any]:
    return in_office(Appointment.objects.visible_to(user))


def coverage(user: Any) -> list[CountyCoverage]:
    """村干部审查覆盖率 per county: cadres in office vetted by a completed run (see
    last_vetted_on) over all cadres in office."""
    latest = latest_runs(user)
    counts: dict[str, list[int]] = {}
    for code, started_on in cadres_in_office(user).values_list("region__code", "started_on"):
        tally = counts.setdefault(code[:6], [0, 0])
        tally[0] += 1
        tally[1] += last_vetted_on(code, started_on, latest) is not None
    names = county_names(sorted(counts))
    return [
        CountyCoverage(names.get(c, c), active, done)
        for c, (active, done) in sorted(counts.items())
    ]


def _prefix(code: str) -> str:
    from baolei.regions.models import significant_length

    return code[: significant_length(code)]


def awaiting_decision(rows: QuerySet[Candidate], user: Any) -> QuerySet[Candidate]:
    """待研判: candidates no one has decided yet, for reviewers (``vetting.decide``)."""
    if not policy.allows(user, "vetting.decide"):
        return rows.none()
    return rows.filter(decision=Decision.PENDING)


def recent_runs(rows: QuerySet[VettingRun], user: Any, today: date) -> QuerySet[VettingRun]:
    """Runs the user started that finished or failed in the last RECENT_RUN_DAYS days."""
    since = today - timedelta(days=RECENT_RUN_DAYS)
    return rows.filter(
        started_by=user.pk,
        status__in=[RunStatus.DONE, RunStatus.FAILED],
        **days.on_or_after("finished_at", since),
    )
