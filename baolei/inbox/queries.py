"""What waits on the signed-in user: every kind's count, overdue count and oldest date,
read in one query whatever the number of records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import F, Func, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from baolei.accounts.models import User
from baolei.inbox.kinds import KINDS, Day, Kind


@dataclass(frozen=True)
class Todo:
    """One kind of work and how much of it waits."""

    kind: Kind
    count: int = 0
    overdue: int = 0
    oldest: date | None = None

    @property
    def url(self) -> str:
        return self.kind.url


def kinds_for(user: Any) -> list[Kind]:
    """The kinds that concern the user's roles (none without an agency)."""
    if not getattr(user, "is_authenticated", False) or user.scope_prefix is None:
        return []
    return [kind for kind in KINDS if user.has_role(*kind.roles)]


def field_at(model: type[models.Model], path: str) -> models.Field:
    """The model field at the end of a ``__`` path."""
    *hops, name = path.split("__")
    for hop in hops:
        model = model._meta.get_field(hop).related_model  # type: ignore[assignment]
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # noqa: S101 - paths name concrete columns
    return field


def scalar(rows: QuerySet[Any], function: str, path: str, output: models.Field) -> Subquery:
    """``SELECT <function>(<path>) FROM <rows>`` as one value of the outer query: a plain
    function over the whole set, so no GROUP BY, one row."""
    value = Func(F(path), function=function, output_field=output)
    return Subquery(rows.order_by().annotate(inbox_value=value).values("inbox_value")[:1])


def local_day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def todo_list(user: Any, today: date | None = None) -> list[Todo]:
    """Every kind that concerns the user, with its count, overdue count and oldest date,
    the non-zero ones first, those with overdue work first, then the oldest first. One
    query counts every kind (and the ledger's warnings read the work calendar once)."""
    today = today or timezone.localdate()
    kinds = kinds_for(user)
    day = Day(today)
    columns: dict[str, Subquery] = {}
    for n, kind in enumerate(kinds):
        rows = kind.rows(user, day)
        if rows.query.is_empty():
            continue
        date_field = field_at(rows.model, kind.date_field)
        columns[f"n{n}"] = scalar(rows, "COUNT", "pk", models.IntegerField())
        columns[f"d{n}"] = scalar(rows, "MIN", kind.date_field, type(date_field)())
        if kind.deadline:
            late = rows.filter(**{f"{kind.date_field}__lt": today})
            columns[f"o{n}"] = scalar(late, "COUNT", "pk", models.IntegerField())
    values: dict[str, Any] = {}
    if columns:
        values = User.objects.filter(pk=user.pk).values(**columns).get()
    todos = [
        Todo(
            kind,
            values.get(f"n{n}") or 0,
            values.get(f"o{n}") or 0,
            local_day(values.get(f"d{n}")),
        )
        for n, kind in enumerate(kinds)
    ]
    order = {kind.key: n for n, kind in enumerate(KINDS)}
    return sorted(
        todos,
        key=lambda t: (
            t.count == 0,
            t.overdue == 0,
            t.oldest is None,
            t.oldest or today,
            order[t.kind.key],
        ),
    )


def todo_for_request(request: HttpRequest) -> list[Todo]:
    """``todo_list`` of the signed-in user, read once per request (the home page and the
    navigation badges share it)."""
    cached: list[Todo] | None = getattr(request, "_baolei_todo", None)
    if cached is None:
        cached = todo_list(request.user)
        request._baolei_todo = cached  # type: ignore[attr-defined]
    return cached
