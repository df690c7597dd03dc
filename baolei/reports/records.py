"""How the records behind a figure are shown: one Row per record, whatever its model.

A figure's drill-down list (`reports:records`) and its export read these rows, so
each kind of record is described once, with the page it links to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from baolei.cadres.models import Adjustment, Appointment, TrainingBase
from baolei.cases.models import Asset, Case, Suspect
from baolei.clues.models import Clue, Referral
from baolei.coordination.models import Mechanism, Meeting
from baolei.ledger.models import LedgerItem
from baolei.regions.models import Region
from baolei.screening.models import Screening
from baolei.supervision.models import LeaderAssignment, Problem, SupervisionRound, Team


@dataclass(frozen=True)
class Row:
    """One record behind a figure, as the drill-down list shows it."""

    label: str
    url: str = ""
    region: str = ""
    on: date | None = None
    amount: Decimal | None = None


def same(row: Row) -> Row:
    return row


@dataclass(frozen=True)
class Describer:
    """How the drill-down list shows one kind of record."""

    row: Callable[[Any], Row]
    related: tuple[str, ...] = ()

    def prepare(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related(*self.related).order_by("pk")


def _region(region: Region | None) -> str:
    return region.name if region is not None else ""


DESCRIBERS: dict[type, Describer] = {
    Screening: Describer(
        lambda o: Row(
            o.region.name, reverse("screening:organisation", args=[o.pk]), "", o.confirmed_on
        ),
        ("region",),
    ),
    Adjustment: Describer(
        lambda o: Row(
            str(o),
            reverse("cadres:adjustment", args=[o.pk]),
            _region(o.appointment.region),
            o.executed_on,
        ),
        ("appointment__region", "appointment__person"),
    ),
    TrainingBase: Describer(
        lambda o: Row(o.name, reverse("cadres:base", args=[o.pk]), _region(o.region), o.opened_on),
        ("region",),
    ),
    Appointment: Describer(
        lambda o: Row(
            f"{o.person.name}（{o.get_post_display()}）",
            reverse("cadres:cadre", args=[o.person_id]),
            _region(o.region),
            o.started_on,
        ),
        ("region", "person"),
    ),
    Meeting: Describer(
        lambda o: Row(
            str(o), reverse("coordination:meeting", args=[o.pk]), _region(o.region), o.held_on
        ),
        ("region",),
    ),
    Mechanism: Describer(
        lambda o: Row(
            f"{o.title} {o.document_number}".strip(),
            reverse("coordination:mechanisms"),
            _region(o.region),
            o.issued_on,
        ),
        ("region",),
    ),
    Region: Describer(
        lambda o: Row(
            o.name,
            reverse("regions:centre", args=[o.governance_centre.pk])
            if hasattr(o, "governance_centre")
            else "",
            o.code,
            o.governance_centre.established_on if hasattr(o, "governance_centre") else None,
        ),
        ("governance_centre",),
    ),
    LeaderAssignment: Describer(
        lambda o: Row(
            f"{o.leader} {o.leader_title}".strip(),
            reverse("supervision:plan", args=[o.plan_id]),
            _region(o.county),
            o.plan.starts_on,
        ),
        ("plan", "county"),
    ),
    Team: Describer(
        lambda o: Row(o.name, reverse("supervision:plan", args=[o.plan_id]), "", o.plan.starts_on),
        ("plan",),
    ),
    SupervisionRound: Describer(
        lambda o: Row(str(o), reverse("supervision:plan", args=[o.plan_id]), "", o.starts_on),
        ("plan",),
    ),
    Problem: Describer(
        lambda o: Row(
            str(o),
            reverse("supervision:problem", args=[o.pk]),
            _region(o.region),
            o.received_on,
        ),
        ("region",),
    ),
    Case: Describer(
        lambda o: Row(
            f"{o.number} {o.name}",
            reverse("cases:detail", args=[o.pk]),
            _region(o.region),
            o.opened_on,
        ),
        ("region",),
    ),
    Suspect: Describer(
        lambda o: Row(
            f"{o.person.name}（{o.case.name}）",
            reverse("cases:detail", args=[o.case_id]),
            _region(o.case.region),
        ),
        ("person", "case__region"),
    ),
    Asset: Describer(
        lambda o: Row(
            f"{o.description}（{o.case.name}）",
            reverse("cases:detail", args=[o.case_id]),
            _region(o.case.region),
            o.on,
            o.value,
        ),
        ("case__region",),
    ),
    LedgerItem: Describer(
        lambda o: Row(str(o), reverse("ledger:detail", args=[o.pk]), _region(o.region), o.deadline),
        ("region",),
    ),
    Referral: Describer(
        lambda o: Row(
            f"{o.clue.number} {o.from_agency.name}→{o.to_agency.name}",
            reverse("clues:detail", args=[o.clue_id]),
            _region(o.clue.region),
            o.feedback_by,
        ),
        ("clue__region", "from_agency", "to_agency"),
    ),
    Clue: Describer(
        lambda o: Row(
            f"{o.number}", reverse("clues:detail", args=[o.pk]), _region(o.region), o.received_on
        ),
        ("region",),
    ),
}
