"""Reads of supervision: problem status derived from ledger items, counts per source and scope."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, Value, When

from baolei.core import readable
from baolei.ledger.models import DONE_STATUSES, AcceptanceResult, LedgerItem, Status
from baolei.supervision.models import Problem, ProblemScope, ProblemSource, ProblemStatus


def visible_items(user: Any) -> QuerySet[LedgerItem]:
    """The parts of a covering record a user is shown: the ledger items they may open."""
    return LedgerItem.objects.visible_to(user)


def with_items(rows: QuerySet[Problem], user: Any) -> QuerySet[Problem]:
    """``problem.items.all()`` holds only the items the user sees (with their owners), and
    ``partial`` says the problem reaches beyond the user's region (``sees_whole``), so that
    what it shows is the user's part of it."""
    items = visible_items(user).select_related("owner_agency")
    inside = Q(region__code__under=getattr(user, "scope_prefix", None) or "-")
    return rows.prefetch_related(Prefetch("items", queryset=items)).annotate(
        partial=Case(When(inside, then=Value(False)), default=Value(True))
    )


def with_status(
    rows: QuerySet[Problem], as_of: date | None = None, *, user: Any
) -> QuerySet[Problem]:
    """A problem is done when all its live items are done, done-long-term when, in
    addition, at least one is to be kept up long-term; otherwise in progress. As of a
    past day, an item counts as done only if it was accepted on or before that day.
    Only the items the user sees count: a county sees the status of its own part of a
    city problem."""
    seen = Q(items__in=visible_items(user).values("pk"))
    live = seen & ~Q(items__status=Status.CANCELLED)
    done = seen & Q(items__status__in=DONE_STATUSES)
    long_term = seen & Q(items__status=Status.DONE_LONG_TERM)
    if as_of is not None:
        accepted = Q(
            items__acceptances__result=AcceptanceResult.ACCEPTED,
            items__acceptances__on__lte=as_of,
        )
        done, long_term = done & accepted, long_term & accepted
    return rows.annotate(
        item_count=Count("items", filter=live, distinct=True),
        done_count=Count("items", filter=done, distinct=True),
        long_term_count=Count("items", filter=long_term, distinct=True),
        recurrence_count=Count("recurrences", distinct=True),
    ).annotate(
        status=Case(
            When(
                Q(item_count__gt=0, done_count=F("item_count"), long_term_count__gt=0),
                then=Value(ProblemStatus.DONE_LONG_TERM),
            ),
            When(Q(item_count__gt=0, done_count=F("item_count")), then=Value(ProblemStatus.DONE)),
            default=Value(ProblemStatus.IN_PROGRESS),
            output_field=CharField(),
        )
    )


def visible_problems(user: Any) -> QuerySet[Problem]:
    return with_status(Problem.objects.visible_to(user), user=user)


def problem_summary(
    user: Any, source: str | None = None, received_by: date | None = None
) -> list[dict[str, Any]]:
    """Per source and scope: total, done (of which long-term), in progress — the seed's
    “20 项共性问题，已完成整改 16 项（含长期坚持整改 9 项）”; optionally only the problems
    received by a date."""
    rows = visible_problems(user).filter(**({"source": source} if source else {}))
    if received_by is not None:
        rows = rows.filter(received_on__lte=received_by)
    table: dict[tuple[str, str], dict[str, Any]] = {}
    for problem in rows:
        key = (problem.source, problem.scope)
        entry = table.setdefault(
            key,
            {
                "source": problem.source,
                "source_display": ProblemSource(problem.source).label,
                "scope": problem.scope,
                "scope_display": ProblemScope(problem.scope).label,
                "total": 0,
                "done": 0,
                "done_long_term": 0,
                "in_progress": 0,
                "recurred": 0,
            },
        )
        entry["total"] += 1
        status = problem.status  # type: ignore[attr-defined]
        if status == ProblemStatus.IN_PROGRESS:
            entry["in_progress"] += 1
        else:
            entry["done"] += 1
            entry["done_long_term"] += int(status == ProblemStatus.DONE_LONG_TERM)
        entry["recurred"] += int(problem.recurrence_count > 0)  # type: ignore[attr-defined]
    return [table[k] for k in sorted(table)]


def summary_sentence(entry: dict[str, Any]) -> str:
    return (
        f"{entry['source_display']}{entry['total']}项{entry['scope_display']}，已完成整改{entry['done']}项"
        f"（含长期坚持整改{entry['done_long_term']}项），其余{entry['in_progress']}项正在整改中"
    )


def regression(user: Any) -> dict[str, Any]:
    """反弹: problems that came back after being done, and their share of all ever done."""
    rows: list[Any] = list(visible_problems(user))
    recurred = sum(1 for p in rows if p.recurrence_count)
    ever_done = sum(1 for p in rows if p.recurrence_count or p.status != ProblemStatus.IN_PROGRESS)
    return {
        "recurred": recurred,
        "ever_done": ever_done,
        "rate": round(recurred / ever_done, 4) if ever_done else 0.0,
    }


def units_tally(items: Iterable[Any]) -> readable.Tally:
    """整改进度 of a problem fanned out to several units: how many of its (visible,
    not cancelled) ledger items are done ("2/3 单位已完成"), and who is still at work."""
    live = [i for i in items if i.status != Status.CANCELLED]
    done = [i for i in live if not i.is_open]
    waiting = tuple(dict.fromkeys(i.owner_agency.name for i in live if i.is_open))
    return readable.Tally(len(done), len(live), "单位已完成", waiting)
