"""Every write of the background review: lists, runs and decisions, audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from baolei.accounts.models import Role, User
from baolei.audit.models import Action
from baolei.audit.services import record_event
from baolei.cadres import services as cadre_services
from baolei.cadres.models import Adjustment, Appointment, Reason
from baolei.cadres.queries import in_office
from baolei.cases.models import Suspect
from baolei.clues import services as clue_services
from baolei.clues.models import Category, Clue
from baolei.clues.models import Source as ClueSource
from baolei.core import policy
from baolei.notices import services as notices
from baolei.notices.models import Kind as NoticeKind
from baolei.people import crypto
from baolei.people.models import ID_COLUMN, Person
from baolei.regions.models import Region
from baolei.vetting.models import (
    ENTRY_ID_COLUMN,
    Candidate,
    Decision,
    DecisionRecord,
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


def check_run_request(
    actor: User, region: Region, sources: Sequence[str], threshold: float
) -> None:
    require_role(actor, Role.CLERK, Role.REVIEWER)
    policy.require(actor, "vetting.start", region)
    require_region(actor, region)
    if not sources or any(s not in Source.values for s in sources):
        raise ValidationError({"sources": "请至少选择一个比对来源。"})
    repeated = [s for s in Source.values if list(sources).count(s) > 1]
    if repeated:
        names = "、".join(str(Source(s).label) for s in repeated)
        raise ValidationError({"sources": f"比对来源不能重复：{names}。"})
    if not 0 <= threshold <= 1:
        raise ValidationError({"threshold": "入围分数线应在0到1之间。"})


@transaction.atomic
def queue_run(
    *, actor: User, region: Region, sources: Sequence[str], threshold: float = engine.REVIEW
) -> VettingRun:
    """A run waits in the queue; ``execute_run`` does the matching (in the task or at once)."""
    check_run_request(actor, region, sources, threshold)
    run = VettingRun.objects.create(
        region=region, sources=list(sources), threshold=threshold, started_by=actor
    )
    record_event(
        "vetting_run",
        actor=actor,
        target=f"vetting.vettingrun:{run.pk}",
        detail={"region": region.code, "sources": list(sources), "threshold": threshold},
    )
    return run


@transaction.atomic
def start_run(
    *, actor: User, region: Region, sources: Sequence[str], threshold: float = engine.REVIEW
) -> VettingRun:
    """拉网式背景审查 as a background task: the run and its task are queued together."""
    from baolei.vetting.tasks import execute_vetting_run

    run = queue_run(actor=actor, region=region, sources=sources, threshold=threshold)
    execute_vetting_run.enqueue(run.pk)
    run.refresh_from_db()
    return run


def run_vetting(
    *, actor: User, region: Region, sources: Sequence[str], threshold: float = engine.REVIEW
) -> VettingRun:
    """拉网式背景审查 at once, in this process (the demo and the command line)."""
    run = queue_run(actor=actor, region=region, sources=sources, threshold=threshold)
    return execute_run(run.pk)


def execute_run(run_id: int) -> VettingRun:
    """Every cadre in office in the run's region against its sources.  Progress is saved
    as the run goes; the candidates are written in one transaction at the end, so a
    failed run is marked failed with its error and leaves no candidate.  A pair decided
    in an earlier run is not proposed again."""
    run = VettingRun.objects.select_related("region", "started_by").get(pk=run_id)
    if run.status != RunStatus.QUEUED:  # a task delivered twice runs once
        return run
    try:
        new = match_run(run)
        with transaction.atomic():
            Candidate.objects.bulk_create(new)
            run.status, run.progress, run.finished_at = RunStatus.DONE, 100, timezone.now()
            run.save(update_fields=["status", "progress", "finished_at", "weights"])
            record_event(
                "vetting_run_done",
                actor=run.started_by,
                target=f"vetting.vettingrun:{run.pk}",
                detail={
                    "cadres": run.cadres_total,
                    "persons": run.persons_total,
                    "candidates": len(new),
                },
            )
            notify_run(run, len(new))
    except Exception as exc:
        fail_run(run, exc)
        raise
    return run


INTERRUPTED = "后台任务中断"


def sweep_stale_runs() -> int:
    """Marks failed every running run whose heartbeat is older than JOB_STALE_SECONDS
    (its worker was killed or lost); returns how many.  Called when a worker starts
    and whenever a run page is polled."""
    limit = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)
    stale = VettingRun.objects.filter(status=RunStatus.RUNNING).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit)
    )
    count = 0
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            run = VettingRun.objects.select_for_update(of=("self",)).get(pk=pk)
            if run.status != RunStatus.RUNNING:
                continue
            run.status, run.finished_at, run.error = RunStatus.FAILED, timezone.now(), INTERRUPTED
            run.save(update_fields=["status", "finished_at", "error"])
            record_event(
                Action.VETTING_RUN_FAILED,
                actor=run.started_by,
                success=False,
                target=f"vetting.vettingrun:{run.pk}",
                detail={"error": INTERRUPTED, "heartbeat_at": str(run.heartbeat_at)},
            )
            notify_run(run)
            count += 1
    return count


def beat(run_id: int) -> None:
    """The heartbeat of a running run (committed at once)."""
    VettingRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def rerun(*, actor: User, run: VettingRun) -> VettingRun:
    """重新运行: a failed run queued again with the same region, sources and threshold."""
    policy.require(actor, "vetting.rerun", run)
    if run.status != RunStatus.FAILED:
        raise ValidationError("只有失败的比对批次可以重新运行。")
    return start_run(actor=actor, region=run.region, sources=run.sources, threshold=run.threshold)


@transaction.atomic
def fail_run(run: VettingRun, exc: Exception) -> None:
    run.status, run.finished_at = RunStatus.FAILED, timezone.now()
    run.error = f"{type(exc).__name__}: {exc}"[:2000]
    run.save(update_fields=["status", "finished_at", "error"])
    record_event(
        Action.VETTING_RUN_FAILED,
        actor=run.started_by,
        success=False,
        target=f"vetting.vettingrun:{run.pk}",
        detail={"error": run.error},
    )
    notify_run(run)


def notify_run(run: VettingRun, candidates: int = 0) -> None:
    """A run is a background task: whoever started it is told when it ends, done or failed."""
    if run.started_by is None:
        return
    if run.status == RunStatus.DONE:
        kind = NoticeKind.RUN_DONE
        text = (
            f"{run.region.name}背景审查比对已完成：审查村干部 {run.cadres_total} 人，"
            f"疑似命中 {candidates} 条待研判"
        )
    else:
        kind = NoticeKind.RUN_FAILED
        text = f"{run.region.name}背景审查比对失败：{run.error[:80]}；可在批次页面重新运行"
    notices.notify(
        kind,
        run,
        notices.who_may(run, [run.started_by]),
        text,
        reverse("vetting:run", args=[run.pk]),
    )


def report(run: VettingRun, progress: int, **fields: Any) -> None:
    """Progress is committed as it goes (the worker runs in autocommit), so the page sees it."""
    for name, value in fields.items():
        setattr(run, name, value)
    run.progress = progress
    run.heartbeat_at = timezone.now()
    run.save(update_fields=["progress", "status", "heartbeat_at", *fields])


def match_run(run: VettingRun) -> list[Candidate]:
    actor, region = run.started_by, run.region
    if actor is None:
        raise PermissionDenied("比对批次没有发起人。")
    report(run, 5, status=RunStatus.RUNNING)
    cadres = list(
        in_office(Appointment.objects.filter(region__code__under=region.prefix)).select_related(
            "person", "region"
        )
    )
    left = [
        engine.Record(i, a.person.name, person_number(a.person), a.person.birth_date, a.region.code)
        for i, a in enumerate(cadres)
    ]
    report(run, 25, cadres_total=len(cadres))
    others = counterparts(actor, run.sources)
    report(run, 50, persons_total=len(others))
    found, model = engine.match_run(left, [o[2] for o in others], threshold=run.threshold)
    run.weights = engine.weight_table(model)
    report(run, 90)
    decided = decided_pairs()
    new = []
    for hit in found:
        appointment = cadres[hit.left]
        source, row, record = others[hit.right]
        if _pair_key(appointment.person_id, source, row.pk) in decided:
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
                score=hit.score,
                evidence=list(hit.evidence),
            )
        )
    return new


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


DECISIONS = (Decision.CONFIRMED, Decision.DISMISSED, Decision.UNSURE)


@transaction.atomic
def decide_candidate(
    *,
    actor: User,
    candidate: Candidate,
    decision: str,
    note: str = "",
    change: bool = False,
    open_clue: bool = False,
    propose_adjustment: bool = False,
    adjustment_reason: str = Reason.GANG_EVIL,
) -> Candidate:
    """A dismissal needs a reason; a decided candidate changes only on an explicit change;
    a confirmed hit may at once open a clue (背景审查发现) or propose the cadre's adjustment."""
    candidate = lock_candidate(actor, candidate)
    if (open_clue or propose_adjustment) and decision != Decision.CONFIRMED:
        raise ValidationError({"open_clue": "只有确认命中才能生成线索或提出调整建议。"})
    record_decision(actor, candidate, decision, note, change=change)
    return follow_up_hit(
        actor=actor,
        candidate=candidate,
        open_clue=open_clue,
        propose_adjustment=propose_adjustment,
        adjustment_reason=adjustment_reason,
    )


def lock_candidate(actor: User, candidate: Candidate) -> Candidate:
    """Only a reviewer decides, and only on a candidate in the reviewer's scope."""
    require_role(actor, Role.REVIEWER)
    policy.require(actor, "vetting.decide", candidate)
    rows = Candidate.objects.visible_to(actor).select_for_update(of=("self",))
    try:
        return rows.select_related("appointment__person", "appointment__region").get(
            pk=candidate.pk
        )
    except Candidate.DoesNotExist:
        raise PermissionDenied("该疑似命中不在您的管理范围内。") from None


@transaction.atomic
def decide_candidates(
    *,
    actor: User,
    candidates: QuerySet[Candidate],
    decision: str,
    note: str = "",
    change: bool = False,
) -> int:
    """Bulk decision on a filtered set: only the candidates the actor can see are touched,
    each decision is recorded and audited on its own, and the whole set is refused when
    any of it was decided already and this is not an explicit change."""
    require_role(actor, Role.REVIEWER)
    policy.require(actor, "vetting.decide")
    rows = list(
        Candidate.objects.visible_to(actor)
        .filter(pk__in=candidates.values("pk"))
        .select_for_update(of=("self",))
        .select_related("appointment__person")
        .order_by("pk")
    )
    if not rows:
        raise ValidationError("没有可研判的疑似命中。")
    decided = [c for c in rows if c.decision != Decision.PENDING]
    if decided and not change:
        raise ValidationError(
            f"所选疑似命中中有 {len(decided)} 条已研判（如{decided[0]}），"
            "如需改变结论请勾选“改变已有结论”。"
        )
    for candidate in rows:
        record_decision(actor, candidate, decision, note, change=change)
    return len(rows)


def record_decision(
    actor: User, candidate: Candidate, decision: str, note: str, *, change: bool
) -> DecisionRecord:
    """One dated 研判记录 and one security-log entry per decision."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": "请选择研判结论。"})
    if decision == Decision.DISMISSED and not note.strip():
        raise ValidationError({"note": "排除疑似命中须说明理由。"})
    previous = candidate.decision
    if previous != Decision.PENDING and not change:
        raise ValidationError(
            f"该疑似命中已研判为「{candidate.get_decision_display()}」，"
            "如需改变结论请勾选“改变已有结论”。"
        )
    candidate.decision, candidate.note = decision, note.strip()
    candidate.decided_by, candidate.decided_at = actor, timezone.now()
    candidate.save(update_fields=["decision", "note", "decided_by", "decided_at"])
    entry = DecisionRecord.objects.create(
        candidate=candidate,
        decision=decision,
        previous=previous,
        note=candidate.note,
        decided_by=actor,
        decided_at=candidate.decided_at,
    )
    record_event(
        "vetting_decision",
        actor=actor,
        target=f"vetting.candidate:{candidate.pk}",
        detail={"decision": decision, "previous": previous, "record": entry.pk},
    )
    return entry


@transaction.atomic
def follow_up_hit(
    *,
    actor: User,
    candidate: Candidate,
    open_clue: bool = False,
    propose_adjustment: bool = False,
    adjustment_reason: str = Reason.GANG_EVIL,
) -> Candidate:
    """Only a confirmed hit opens a clue or proposes an adjustment, each at most once."""
    candidate = lock_candidate(actor, candidate)
    if not (open_clue or propose_adjustment):
        return candidate
    if candidate.decision != Decision.CONFIRMED:
        raise ValidationError("只有确认命中才能生成线索或提出调整建议。")
    if open_clue and candidate.clue_id is None:
        candidate.clue = open_hit_clue(actor, candidate)
    if propose_adjustment and candidate.adjustment_id is None:
        candidate.adjustment = propose_hit_adjustment(actor, candidate, adjustment_reason)
    candidate.save(update_fields=["clue", "adjustment"])
    record_event(
        "vetting_follow_up",
        actor=actor,
        target=f"vetting.candidate:{candidate.pk}",
        detail={"clue": candidate.clue_id, "adjustment": candidate.adjustment_id},
    )
    return candidate


def hit_summary(candidate: Candidate) -> str:
    appointment = candidate.appointment
    return (
        f"{appointment.region.name}{appointment.get_post_display()}{appointment.person.name}"
        f"与{candidate.get_source_display()}中的{candidate.matched_name}"
        f"疑为同一人（{candidate.evidence_labels}）"
    )


def open_hit_clue(actor: User, candidate: Candidate) -> Clue:
    appointment = candidate.appointment
    return clue_services.register_clue(
        actor=actor,
        received_on=timezone.localdate(),
        source=ClueSource.VETTING_HIT,
        category=Category.VILLAGE_BULLY,
        summary=f"背景审查发现：{hit_summary(candidate)}。",
        region=appointment.region,
        persons=[appointment.person],
    )


def propose_hit_adjustment(actor: User, candidate: Candidate, reason: str) -> Adjustment:
    """The proposal names the candidate it comes from (背景审查疑似命中第N号)."""
    if reason not in Reason.values:
        raise ValidationError({"adjustment_reason": "请选择调整原因。"})
    note = f"研判意见：{candidate.note}" if candidate.note else ""
    return cadre_services.propose_adjustment(
        actor=actor,
        appointment=candidate.appointment,
        reason=reason,
        details=(
            f"背景审查确认命中（疑似命中第{candidate.pk}号，比对批次第{candidate.run_id}号）："
            f"{hit_summary(candidate)}。{note}"
        ),
        on=timezone.localdate(),
    )
