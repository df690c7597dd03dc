"""Reads of the background review, scoped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from baolei.cadres.models import Appointment
from baolei.cadres.queries import county_names, in_office
from baolei.vetting.models import Candidate, RunStatus, VettingRun


def with_counts(rows: QuerySet[VettingRun]) -> QuerySet[Any]:
    return rows.annotate(candidate_count=Count("candidates"))


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
        return f"{100 * self.vetted / self.active:.1f}%" if self.active else "—"


def coverage(user: Any) -> list[CountyCoverage]:
    """村干部审查覆盖率 per county: a cadre counts as vetted when a completed run covering
    the cadre's village started on or after the day the cadre took office."""
    runs = list(
        VettingRun.objects.visible_to(user)
        .filter(status=RunStatus.DONE)
        .select_related("region")
        .values_list("region__code", "started_at")
    )
    prefixes = [(_prefix(code), started.date()) for code, started in runs]
    cadres = in_office(Appointment.objects.visible_to(user)).values_list(
        "region__code", "started_on"
    )
    counts: dict[str, list[int]] = {}
    for code, started_on in cadres:
        county = code[:6]
        tally = counts.setdefault(county, [0, 0])
        tally[0] += 1
        if any(code.startswith(p) and on >= started_on for p, on in prefixes):
            tally[1] += 1
    names = county_names(sorted(counts))
    return [
        CountyCoverage(names.get(c, c), active, vetted)
        for c, (active, vetted) in sorted(counts.items())
    ]


def _prefix(code: str) -> str:
    from baolei.regions.models import significant_length

    return code[: significant_length(code)]
