"""Case statistics for any period and as of any date, in the user's scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from baolei.cases.models import (
    Asset,
    Case,
    CaseKind,
    Characterisation,
    Stage,
    StageEvent,
    Suspect,
    SuspectEvent,
    SuspectStatus,
)


def with_current_stage(rows: QuerySet[Case], as_of: date | None = None) -> QuerySet[Case]:
    """Annotate ``stage`` and ``stage_on``: the latest event (on or before ``as_of``)."""
    events = StageEvent.objects.filter(case=OuterRef("pk"))
    if as_of is not None:
        events = events.filter(on__lte=as_of)
    latest = events.order_by("-on", "-recorded_at")
    return rows.annotate(
        stage=Subquery(latest.values("stage")[:1]), stage_on=Subquery(latest.values("on")[:1])
    )


def with_totals(rows: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate ``suspect_count`` and ``asset_total`` (every asset recorded, disposed or not).

    Each is its own correlated subquery: joining suspects and assets in one query would repeat
    every asset once per suspect and multiply the sum.
    """
    suspects = (
        Suspect.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    assets = (
        Asset.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(total=Sum("value"))
        .values("total")
    )
    return rows.annotate(
        suspect_count=Coalesce(Subquery(suspects, output_field=IntegerField()), 0),
        asset_total=Coalesce(
            Subquery(assets, output_field=DecimalField(max_digits=20, decimal_places=2)),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=20, decimal_places=2),
        ),
    )


def held_on(on: date) -> Q:
    """An asset sealed, seized or frozen on or before ``on`` and not disposed of by then."""
    return Q(on__lte=on) & (Q(disposed_on__isnull=True) | Q(disposed_on__gt=on))


def assets_of(user: Any) -> QuerySet[Asset]:
    """Every asset of the cases the user may see."""
    return Asset.objects.filter(case__in=Case.objects.visible_to(user))


def held_assets(user: Any, on: date) -> QuerySet[Asset]:
    """The user's assets held on ``on`` (``held_on``)."""
    return assets_of(user).filter(held_on(on))


def assets_held(user: Any, on: date) -> Decimal:
    """The value of ``held_assets`` on ``on``."""
    total = held_assets(user, on).aggregate(total=Sum("value"))["total"] or Decimal(0)
    return Decimal(total).quantize(Decimal("0.01"))


def stage_events(user: Any, stage: Stage, start: date, end: date) -> QuerySet[StageEvent]:
    """The events of one stage dated within [start, end], of cases the user may see."""
    return StageEvent.objects.filter(
        case__in=Case.objects.visible_to(user), stage=stage, on__gte=start, on__lte=end
    )


def events_by(user: Any, stage: Stage, start: date, end: date, field: str) -> dict[str, int]:
    rows = (
        stage_events(user, stage, start, end).values(field).annotate(n=Count("case", distinct=True))
    )
    return {row[field]: row["n"] for row in rows}


def caught_suspects(user: Any, start: date, end: date) -> QuerySet[Suspect]:
    """Suspects caught within [start, end], each once however many times recorded."""
    caught = SuspectEvent.objects.filter(status=SuspectStatus.CAUGHT, on__gte=start, on__lte=end)
    return Suspect.objects.filter(
        case__in=Case.objects.visible_to(user), pk__in=caught.values("suspect")
    )


def statistics(user: Any, start: date, end: date) -> dict[str, Any]:
    """The seed's chain of figures: events dated within [start, end]; assets held at both ends."""
    filed = events_by(user, Stage.FILED, start, end, "case__kind")
    prosecuted = events_by(user, Stage.PROSECUTED, start, end, "characterisation")
    first = events_by(user, Stage.FIRST_INSTANCE, start, end, "characterisation")
    second = events_by(user, Stage.SECOND_INSTANCE, start, end, "characterisation")
    caught = caught_suspects(user, start, end).count()
    held_from, held_to = assets_held(user, start), assets_held(user, end)
    kinds = CaseKind.values
    recognised = [c for c in Characterisation.values if c != Characterisation.NONE]
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "police": {"filed": {k: filed.get(k, 0) for k in kinds}, "suspects_caught": caught},
        "procuratorate": {"prosecuted": {k: prosecuted.get(k, 0) for k in Characterisation.values}},
        "courts": {
            "first_instance_recognised": {k: first.get(k, 0) for k in recognised},
            "first_instance_not_recognised": first.get(Characterisation.NONE, 0),
            "second_instance_concluded": {k: second.get(k, 0) for k in recognised},
        },
        "assets": {
            "held_at_from": str(held_from),
            "held_at_to": str(held_to),
            "change": str(held_to - held_from),
        },
    }
