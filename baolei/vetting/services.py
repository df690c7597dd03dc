"""Every write of the background review: lists, runs and decisions, audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from baolei.accounts.models import Role, User
from baolei.audit.services import record_event
from baolei.cadres.models import Appointment
from baolei.cadres.queries import in_office
from baolei.cases.models import Suspect
from baolei.clues import services as clue_services
from baolei.clues.models import Category, Clue
from baolei.clues.models import Source as ClueSource
from baolei.people import crypto
from baolei.people.models import ID_COLUMN, Person
from baolei.regions.models import Region
from baolei.vetting.models import (
    ENTRY_ID_COLUMN,
    Candidate,
    Decision,
    ExternalEntry,
    ExternalList,
    RunStatus,
    Source,
    VettingRun,
    masked,
)
from matching import engine, ids


@dataclass(frozen=True)
class EntryRow:
    name: str
    id_number: str
    birth_date: date | None
    note: str


def require_role(actor: User, *roles: str) -> None:
    if not actor.has_role(*roles) or actor.scope_prefix is None:
        raise PermissionDenied("您的角色无权办理背景审查。")


def require_region(actor: User, region: Region) -> None:
    if not Region.objects.visible_to(actor).filter(pk=region.pk).exists():
        raise PermissionDenied("审查范围不在您的管理范围内。")


@transaction.atomic
def import_external_list(
    *, actor: User, name: str, source_agency: str, rows: Sequence[EntryRow]
) -> ExternalList:
    """外部名单 are stored with ID numbers encrypted and shown only masked."""
    require_role(actor, Role.CLERK, Role.REVIEWER)
    if not name.strip() or not source_agency.strip():
        raise ValidationError("请填写名单名称和提供单位。")
    if not rows:
        raise ValidationError("名单中没有人员。")
    if actor.agency is None:
        raise PermissionDenied("您不属于任何单位，不能导入名单。")
    external = ExternalList.objects.create(
        name=name.strip(),
        source_agency=source_agency.strip(),
        region=actor.agency.region,
        imported_by=actor,
    )
    ExternalEntry.objects.bulk_create(
        ExternalEntry(
            external_list=external,
            name=row.name,
            id_number_encrypted=crypto.encrypt(row.id_number, column=ENTRY_ID_COLUMN)
            if row.id_number
            else "",
            id_number_masked=masked(row.id_number),
            birth_date=row.birth_date,
            note=row.note,
        )
        for row in rows
    )
    record_event(
        "vetting_list_import",
        actor=actor,
        target=f"vetting.externallist:{external.pk}",
        detail={"rows": len(rows), "source_agency": external.source_agency},
    )
    return external


def person_number(person: Person) -> str:
    return (
        crypto.decrypt(person.id_number_encrypted, column=ID_COLUMN)
        if person.id_number_encrypted
        else ""
    )


def entry_number(entry: ExternalEntry) -> str:
    token = entry.id_number_encrypted
    return crypto.decrypt(token, column=ENTRY_ID_COLUMN) if token else ""


def counterparts(actor: User, sources: Iterable[str]) -> list[tuple[str, Any, engine.Record]]:
    """The persons to compare with, each as (source, row, record); keys are list positions."""
    found: list[tuple[str, Any, str, str, date | None, str]] = []
    if Source.CASES in sources:
        suspects = Suspect.objects.filter(case__in=_visible_cases(actor)).select_related(
            "person__region"
        )
        persons = {s.person_id: s.person for s in suspects}
        found += [
            (Source.CASES, p, p.name, person_number(p), p.birth_date, _code(p))
            for p in persons.values()
        ]
    if Source.CLUES in sources:
        persons = {
            p.pk: p
            for p in Person.objects.filter(clues__in=Clue.objects.visible_to(actor)).select_related(
                "region"
            )
        }
        found += [
            (Source.CLUES, p, p.name, person_number(p), p.birth_date, _code(p))
            for p in persons.values()
        ]
    if Source.EXTERNAL in sources:
        entries = ExternalEntry.objects.filter(
            external_list__in=ExternalList.objects.visible_to(actor)
        )
        found += [(Source.EXTERNAL, e, e.name, entry_number(e), e.birth_date, "") for e in entries]
    return [
        (source, row, engine.Record(i, name, number, born, code))
        for i, (source, row, name, number, born, code) in enumerate(found)
    ]


def _visible_cases(actor: User) -> Any:
    from baolei.cases.models import Case

    return Case.objects.visible_to(actor)


def _code(person: Person) -> str:
    return person.region.code if person.region_id else ""


@transaction.atomic
def run_vetting(
    *, actor: User, region: Region, sources: Sequence[str], threshold: float = engine.REVIEW
) -> VettingRun:
    """拉网式背景审查: every cadre in office in the region against the chosen sources;
    a pair already decided in an earlier run is not proposed again."""
    require_role(actor, Role.CLERK, Role.REVIEWER)
    require_region(actor, region)
    if not sources or any(s not in Source.values for s in sources):
        raise ValidationError({"sources": "请至少选择一个比对来源。"})
    if not 0 <= threshold <= 1:
        raise ValidationError({"threshold": "入围分数线应在0到1之间。"})
    run = VettingRun.objects.create(
        region=region, sources=list(sources), threshold=threshold, started_by=actor
    )
    cadres = list(
        in_office(
            Appointment.objects.filter(region__code__startswith=region.prefix)
        ).select_related("person", "region")
    )
    others = counterparts(actor, sources)
    left = [
        engine.Record(i, a.person.name, person_number(a.person), a.person.birth_date, a.region.code)
        for i, a in enumerate(cadres)
    ]
    run.cadres_total, run.persons_total, run.progress = len(cadres), len(others), 50
    run.save(update_fields=["cadres_total", "persons_total", "progress"])
    decided = decided_pairs()
    new = []
    for found in engine.match(left, [o[2] for o in others], threshold=threshold):
        appointment = cadres[found.left]
        source, row, record = others[found.right]
        pair = _pair_key(appointment.person_id, source, row.pk)
        if pair in decided:
            continue
        new.append(
            Candidate(
                run=run,
                appointment=appointment,
                source=source,
                person=row if source != Source.EXTERNAL else None,
                entry=row if source == Source.EXTERNAL else None,
                matched_name=record.name,
                matched_id_masked=masked(ids.canonical(record.id_number) or record.id_number),
                score=found.score,
                evidence=list(found.evidence),
            )
        )
    Candidate.objects.bulk_create(new)
    run.status, run.progress, run.finished_at = RunStatus.DONE, 100, timezone.now()
    run.save(update_fields=["status", "progress", "finished_at"])
    record_event(
        "vetting_run",
        actor=actor,
        target=f"vetting.vettingrun:{run.pk}",
        detail={"cadres": len(cadres), "persons": len(others), "candidates": len(new)},
    )
    return run


def _pair_key(cadre_person_id: int, source: str, row_pk: int) -> tuple[int, str, int]:
    return (cadre_person_id, "entry" if source == Source.EXTERNAL else "person", row_pk)


def decided_pairs() -> set[tuple[int, str, int]]:
    rows = Candidate.objects.exclude(decision=Decision.PENDING).values_list(
        "appointment__person_id", "person_id", "entry_id"
    )
    return {
        (cadre, "person", person) if person else (cadre, "entry", entry)
        for cadre, person, entry in rows
    }


@transaction.atomic
def decide_candidate(
    *, actor: User, candidate: Candidate, decision: str, note: str = "", open_clue: bool = False
) -> Candidate:
    """A dismissal needs a reason; only a confirmed hit may open a clue (背景审查发现)."""
    require_role(actor, Role.REVIEWER)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if not Candidate.objects.visible_to(actor).filter(pk=candidate.pk).exists():
        raise PermissionDenied("该疑似命中不在您的管理范围内。")
    if decision not in (Decision.CONFIRMED, Decision.DISMISSED, Decision.UNSURE):
        raise ValidationError({"decision": "请选择研判结论。"})
    if decision == Decision.DISMISSED and not note.strip():
        raise ValidationError({"note": "排除疑似命中须说明理由。"})
    if open_clue and decision != Decision.CONFIRMED:
        raise ValidationError({"open_clue": "只有确认命中才能生成线索。"})
    candidate.decision, candidate.note = decision, note.strip()
    candidate.decided_by, candidate.decided_at = actor, timezone.now()
    if open_clue and candidate.clue_id is None:
        candidate.clue = open_hit_clue(actor, candidate)
    candidate.save()
    record_event(
        "vetting_decision",
        actor=actor,
        target=f"vetting.candidate:{candidate.pk}",
        detail={"decision": decision, "clue": candidate.clue_id},
    )
    return candidate


def open_hit_clue(actor: User, candidate: Candidate) -> Clue:
    appointment = candidate.appointment
    return clue_services.register_clue(
        actor=actor,
        received_on=timezone.localdate(),
        source=ClueSource.VETTING_HIT,
        category=Category.VILLAGE_BULLY,
        summary=(
            f"背景审查发现：{appointment.region.name}{appointment.get_post_display()}"
            f"{appointment.person.name}与{candidate.get_source_display()}中的{candidate.matched_name}"
            f"疑为同一人（{candidate.evidence_labels}）。"
        ),
        region=appointment.region,
        persons=[appointment.person],
    )
