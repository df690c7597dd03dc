"""The dashboard's charts, built from Figures so that every bar and point is a figure
with its records behind it (`reports:records`), like every number on the page.

A chart renders with ECharts (served from our own static files) and, always, as a
table of the same figures: the table is what works without JavaScript and what the
tests read."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr

from baolei.accounts.models import Agency
from baolei.cases import queries as case_queries
from baolei.cases.models import Case, CaseKind, Stage
from baolei.clues.models import Referral
from baolei.core import days
from baolei.ledger.models import DONE_STATUSES, Acceptance, AcceptanceResult, LedgerItem, Status
from baolei.regions.models import Region
from baolei.reports.figures import Figure, Scope, organisation_figures

MAX_POINTS = 13


@dataclass
class Series:
    name: str
    figures: list[Figure]
    stack: str = ""


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # "bar" or "line"
    categories: list[str]
    series: list[Series] = field(default_factory=list)
    note: str = ""

    def figures(self) -> list[Figure]:
        return [figure for series in self.series for figure in series.figures]

    def rows(self) -> list[tuple[str, list[Figure]]]:
        """The chart as a table: one row per category, one figure per series."""
        return [
            (category, [series.figures[n] for series in self.series])
            for n, category in enumerate(self.categories)
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "categories": self.categories,
            "series": [
                {"name": s.name, "figures": [f.as_dict() for f in s.figures]} for s in self.series
            ],
        }

    def option(self) -> dict[str, Any]:
        """The ECharts option: each data item carries the URL of its records."""
        money = any(f.unit == "元" for f in self.figures())
        return {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 8, "right": 16, "bottom": 8, "top": 32, "containLabel": True},
            "xAxis": {
                "type": "category",
                "data": self.categories,
                "axisLabel": {"interval": 0, "rotate": 30 if len(self.categories) > 5 else 0},
            },
            # A count has no fractions: its axis ticks are whole numbers (no "0.5 件").
            "yAxis": {"type": "value", "name": "万元"}
            if money
            else {"type": "value", "minInterval": 1},
            "series": [
                {
                    "name": series.name,
                    "type": self.kind,
                    **({"stack": series.stack} if series.stack else {}),
                    "data": [
                        {
                            "value": float(f.value) / 10_000 if money else f.value,
                            "url": f.url,
                        }
                        for f in series.figures
                    ],
                }
                for series in self.series
            ],
        }


def grouped(rows: QuerySet[Any], *by: Any) -> dict[Any, int]:
    """How many rows fall in each group, in one query: a chart counts its bars this way,
    never with one query per bar.  Each group's key is the tuple of its values (or the
    value alone when grouping by one column); counting distinct rows keeps a join from
    counting a row twice."""
    named = {f"g{n}": b for n, b in enumerate(by)}
    counted = (
        rows.annotate(**named).order_by().values(*named).annotate(n=Count("pk", distinct=True))
    )
    groups: dict[Any, int] = {}
    for row in counted:
        key = tuple(row[name] for name in named)
        groups[key[0] if len(key) == 1 else key] = row["n"]
    return groups


def known(
    scope: Scope,
    key: str,
    label: str,
    records: QuerySet[Any],
    unit: str,
    counts: Mapping[Hashable, int | Decimal],
    group: Hashable,
    region_scope: Scope | None = None,
) -> Figure:
    """A bar whose count came with its chart's grouped query; its records are the same
    rows, so its link lists exactly what it counts."""
    value = counts.get(group, 0)
    url = (region_scope or scope).records_url(key)
    return Figure(key, label, lambda: value, url, unit, "", records)


def cases_by_stage(scope: Scope) -> Chart:
    """Cases by the stage they stand at on the day, one stack per kind."""
    cases = scope.within(
        case_queries.with_current_stage(Case.objects.visible_to(scope.user), scope.as_of),
        "region",
    )
    stages = list(Stage)
    counts = grouped(cases, F("stage"), F("kind"))
    return Chart(
        "cases_by_stage",
        "案件办理阶段（按案件类型）",
        "bar",
        [s.label for s in stages],
        [
            Series(
                kind.label,
                [
                    known(
                        scope,
                        f"cases_at_{stage}_{kind}",
                        f"处于{stage.label}阶段的{kind.label}案件",
                        cases.filter(stage=stage, kind=kind),
                        "件",
                        counts,
                        (stage.value, kind.value),
                    )
                    for stage in stages
                ],
                stack="cases",
            )
            for kind in CaseKind
        ],
    )


def sample_days(start: date, end: date) -> list[date]:
    """The reference day, every month end in between, and the as-of day; at most
    MAX_POINTS, thinned evenly when the period is long."""
    days = [start]
    year, month = start.year, start.month
    while True:
        last = date(year, month, calendar.monthrange(year, month)[1])
        if last >= end:
            break
        if last > start:
            days.append(last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if end > start:
        days.append(end)
    if len(days) > MAX_POINTS:
        step = (len(days) - 1) / (MAX_POINTS - 1)
        days = [days[round(i * step)] for i in range(MAX_POINTS)]
    return days


def assets_over_time(scope: Scope) -> Chart:
    """The value of assets held on each sampled day: every point summed in one query
    over the region's assets, each point's records the assets held that day."""
    days = sample_days(scope.start, scope.as_of)
    assets = scope.within(case_queries.assets_of(scope.user), "case__region")
    sums = assets.aggregate(
        **{f"d{n}": Sum("value", filter=case_queries.held_on(d)) for n, d in enumerate(days)}
    )
    return Chart(
        "assets_over_time",
        "查扣冻结涉案财产（万元）",
        "line",
        [f"{d:%Y-%m-%d}" for d in days],
        [
            Series(
                "查扣冻结在案",
                [
                    known(
                        scope,
                        f"assets_on_{d:%Y%m%d}",
                        f"{d:%Y-%m-%d}查扣冻结涉案财产",
                        assets.filter(case_queries.held_on(d)),
                        "元",
                        {n: Decimal(sums[f"d{n}"] or 0).quantize(Decimal("0.01"))},
                        n,
                    )
                    for n, d in enumerate(days)
                ],
            )
        ],
    )


def rectification_by_county(scope: Scope) -> Chart:
    """Confirmed and rectified weak organisations in each child region; each bar is the
    child's own figure, so it opens the child's list.  Counted with one grouped query
    per figure over the region, by each child's code prefix."""
    children = list(
        Region.objects.visible_to(scope.user).filter(parent=scope.region).order_by("code")
    )
    figures = {f.key: f for f in organisation_figures(scope)}
    bars: dict[str, dict[str, Figure]] = {child.prefix: {} for child in children}
    for key in ("weak_confirmed", "weak_rectified"):
        parent = figures[key]
        counts: dict[Any, int] = {}
        for length in {len(child.prefix) for child in children}:
            counts |= grouped(parent.records, Substr("region__code", 1, length))
        for child in children:
            bars[child.prefix][key] = known(
                scope,
                key,
                f"{child.name}{parent.label}",
                parent.records.filter(region__code__under=child.prefix),
                parent.unit,
                counts,
                child.prefix,
                region_scope=Scope(scope.user, child, scope.as_of, scope.start),
            )
    rows = [
        (child, bars[child.prefix]["weak_confirmed"], bars[child.prefix]["weak_rectified"])
        for child in children
        if bars[child.prefix]["weak_confirmed"].value
    ]
    return Chart(
        "rectification_by_county",
        "软弱涣散党组织整顿进度（按下级区划）",
        "bar",
        [child.name for child, _, _ in rows],
        [
            Series("确定软弱涣散", [confirmed for _, confirmed, _ in rows]),
            Series("已整顿提升", [rectified for _, _, rectified in rows]),
        ],
    )


def overdue_items(scope: Scope) -> QuerySet[LedgerItem]:
    """Ledger items past their deadline on the day and not accepted as done by then."""
    day = scope.as_of
    accepted = Acceptance.objects.filter(
        item=OuterRef("pk"), result=AcceptanceResult.ACCEPTED, on__lte=day
    )
    items = scope.within(LedgerItem.objects.visible_to(scope.user), "region")
    return (
        items.filter(**days.on_or_before("created_at", day), deadline__lt=day)
        .exclude(status=Status.CANCELLED)
        .exclude(Q(status__in=DONE_STATUSES) & Exists(accepted))
        .filter(Q(suspended_on__isnull=True) | Q(suspended_on__gt=day))
    )


def overdue_by_agency(scope: Scope) -> Chart:
    items = overdue_items(scope)
    counts = grouped(items, F("owner_agency"))
    agencies = Agency.objects.filter(pk__in=counts).order_by("name")
    return Chart(
        "overdue_by_agency",
        "超期未办结台账事项（按责任单位）",
        "bar",
        [a.name for a in agencies],
        [
            Series(
                "超期事项",
                [
                    known(
                        scope,
                        f"overdue_items_{a.pk}",
                        f"{a.name}超期未办结事项",
                        items.filter(owner_agency=a),
                        "项",
                        counts,
                        a.pk,
                    )
                    for a in agencies
                ],
            )
        ],
    )


def feedback_timeliness(scope: Scope) -> Chart:
    """Referrals whose feedback was due by the day, by receiving agency: fed back on
    time, fed back late, or still without feedback."""
    day = scope.as_of
    due = Referral.objects.visible_to(scope.user).filter(
        clue__region__code__under=scope.region.prefix, feedback_by__lt=day
    )
    answered = Q(feedback_on__isnull=False, feedback_on__lte=day)
    conditions = {
        "on_time": ("按时反馈", answered & Q(feedback_on__lte=F("feedback_by"))),
        "late": ("逾期反馈", answered & Q(feedback_on__gt=F("feedback_by"))),
        "open": ("逾期未反馈", ~answered),
    }
    parts = {
        part: (label, due.filter(condition)) for part, (label, condition) in conditions.items()
    }
    # One grouped query counts the three parts of every agency; the agencies are those
    # it found, looked up by key (not by repeating the query as a sub-select).
    counted = (
        due.order_by()
        .values("to_agency")
        .annotate(
            **{part: Count("pk", filter=condition) for part, (_, condition) in conditions.items()}
        )
    )
    counts: dict[str, dict[Any, int]] = {part: {} for part in conditions}
    for row in counted:
        for part in conditions:
            counts[part][row["to_agency"]] = row[part]
    agencies = Agency.objects.filter(pk__in=counts["open"]).order_by("name")
    return Chart(
        "feedback_timeliness",
        "线索移送反馈及时情况（按接收单位）",
        "bar",
        [a.name for a in agencies],
        [
            Series(
                label,
                [
                    known(
                        scope,
                        f"feedback_{part}_{a.pk}",
                        f"{a.name}{label}",
                        rows.filter(to_agency=a),
                        "件",
                        counts[part],
                        a.pk,
                    )
                    for a in agencies
                ],
                stack="feedback",
            )
            for part, (label, rows) in parts.items()
        ],
        note=f"反馈时限在{day:%Y-%m-%d}之前的移送",
    )


#: Which chart a figure key belongs to, by its prefix, so that the records page of a
#: bar builds that one chart.  The bars of ``rectification_by_county`` are the child
#: regions' own organisation figures and are found among those.
BY_PREFIX: dict[str, Callable[[Scope], Chart]] = {
    "cases_at_": cases_by_stage,
    "assets_on_": assets_over_time,
    "overdue_items_": overdue_by_agency,
    "feedback_": feedback_timeliness,
}


def chart_holding(key: str) -> Callable[[Scope], Chart] | None:
    return next((build for prefix, build in BY_PREFIX.items() if key.startswith(prefix)), None)


def all_charts(scope: Scope) -> list[Chart]:
    return [
        cases_by_stage(scope),
        assets_over_time(scope),
        rectification_by_county(scope),
        overdue_by_agency(scope),
        feedback_timeliness(scope),
    ]
