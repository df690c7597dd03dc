"""Every write of a relation between persons: one transaction, one actor, kept in the
record history with who did it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from baolei.accounts.models import User
from baolei.core import policy
from baolei.network.models import Decision, Identity, Kind, Relation
from baolei.people import crypto
from baolei.people.models import ID_COLUMN, Person
from baolei.regions.models import Region
from matching import engine

#: Leading digits of a code at each level above the village: township, county, city.
LEVEL_DIGITS = (9, 6, 4)


def shared_region(first: Region, second: Region) -> Region | None:
    """The smallest region both places lie in (the village itself when they are one)."""
    if first.pk == second.pk:
        return first
    codes = [
        first.code[:n].ljust(12, "0") for n in LEVEL_DIGITS if first.code[:n] == second.code[:n]
    ]
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return next((found[c] for c in codes if c in found), None)


def relation_region(actor: User, first: Person, second: Person) -> Region:
    """A relation is seen where both persons are: their shared region, or the entering
    agency's when the shared region lies above the actor's scope."""
    region = shared_region(first.region, second.region)
    prefix = actor.scope_prefix or ""
    if region is None or not region.code.startswith(prefix):
        assert actor.agency is not None  # noqa: S101 - the policy asks for an agency
        return actor.agency.region
    return region


@transaction.atomic
def add_relation(
    *,
    actor: User,
    person_a: Person,
    person_b: Person,
    kind: str,
    source: str,
    detail: str = "",
    began_on: date | None = None,
) -> Relation:
    """A relation joins two different persons the actor sees, once per kind, with a
    source, and cannot begin after today."""
    policy.require(actor, "network.add")
    visible = Person.objects.visible_to(actor).filter(pk__in=[person_a.pk, person_b.pk])
    if visible.count() != len({person_a.pk, person_b.pk}):
        raise PermissionDenied("所选人员不在您的管理范围内。")
    errors: dict[str, str] = {}
    if person_a.pk == person_b.pk:
        errors["person_b"] = "不能登记人员与其本人的关系。"
    if kind not in Kind.values:
        errors["kind"] = "请选择关系类型。"
    if not source.strip():
        errors["source"] = "请填写信息来源（如案卷、询问笔录、银行流水）。"
    if began_on is not None and began_on > timezone.localdate():
        errors["began_on"] = "关系起始日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    first, second = sorted((person_a, person_b), key=lambda p: p.pk)
    if Relation.objects.filter(person_a=first, person_b=second, kind=kind).exists():
        raise ValidationError(
            {"kind": f"{first.name}与{second.name}之间已登记“{Kind(kind).label}”关系。"}
        )
    relation = Relation(
        person_a=first,
        person_b=second,
        kind=kind,
        detail=detail.strip(),
        source=source.strip(),
        began_on=began_on,
        region=relation_region(actor, first, second),
        entered_by=actor,
        entering_agency=actor.agency,
    )
    relation.full_clean()
    relation._history_user = actor  # type: ignore[attr-defined]
    relation.save()
    return relation


@transaction.atomic
def remove_relation(*, actor: User, relation: Relation) -> None:
    """A relation is removed by the agency that entered it or a reviewer above it; the
    record history keeps it and who removed it."""
    if not Relation.objects.visible_to(actor).filter(pk=relation.pk).exists():
        raise PermissionDenied("该关系不在您的管理范围内。")
    policy.require(actor, "network.remove", relation)
    relation._history_user = actor  # type: ignore[attr-defined]
    relation.delete()


def person_record(person: Person) -> engine.Record:
    number = ""
    if person.id_number_encrypted:
        number = crypto.decrypt(person.id_number_encrypted, column=ID_COLUMN)
    return engine.Record(person.pk, person.name, number, person.birth_date, person.region.code)


@transaction.atomic
def find_same_persons(*, actor: User) -> int:
    """同一人候选: the persons the actor sees that have no ID number are matched (the
    matching engine) against every person the actor sees; each pair not yet listed
    becomes a candidate awaiting a decision. Returns the candidates added."""
    policy.require(actor, "network.find")
    people = list(Person.objects.visible_to(actor).select_related("region"))
    left = [person_record(p) for p in people if not p.id_number_hash]
    right = [person_record(p) for p in people]
    known = {frozenset(pair) for pair in Identity.objects.values_list("person", "other")}
    added = 0
    for found in engine.match(left, right):
        pair = frozenset((found.left, found.right))
        if found.left == found.right or pair in known:
            continue
        known.add(pair)
        identity = Identity(
            person_id=found.left,
            other_id=found.right,
            score=found.score,
            evidence=list(found.evidence),
            found_by=actor,
        )
        identity._history_user = actor  # type: ignore[attr-defined]
        identity.save()
        added += 1
    return added


@transaction.atomic
def decide_identity(*, actor: User, identity: Identity, decision: str, note: str = "") -> Identity:
    """A candidate is decided once, by a reviewer; a dismissal says why. Confirming
    links the two records in the network; it never merges them."""
    if not Identity.objects.visible_to(actor).filter(pk=identity.pk).exists():
        raise PermissionDenied("该候选不在您的管理范围内。")
    policy.require(actor, "network.decide", identity)
    identity = Identity.objects.select_for_update().get(pk=identity.pk)
    if identity.decision != Decision.PENDING:
        raise ValidationError(f"该候选已研判为“{identity.get_decision_display()}”。")
    if decision not in (Decision.CONFIRMED, Decision.DISMISSED):
        raise ValidationError({"decision": "请选择研判结论。"})
    if decision == Decision.DISMISSED and not note.strip():
        raise ValidationError({"note": "排除须写明理由。"})
    identity.decision = decision
    identity.note = note.strip()
    identity.decided_by = actor
    identity.decided_at = timezone.now()
    identity._history_user = actor  # type: ignore[attr-defined]
    identity.save()
    return identity
