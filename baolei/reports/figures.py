"""Every figure of the dashboard and the briefing, in one place.

Each figure is computed from records for a region inside the user's scope and a
date, through the apps' own scoped queries, and keeps the records it counts: a
figure's value is the count (or, for money, the sum) of exactly those records,
and its link opens them (`reports:records`). The dashboard, the briefing, the
charts and the API all read from here, so no figure is computed twice.

Bodies that belong to a level — meetings, mechanisms, supervision plans — count
for the region they were held or issued in; records that happen in places —
organisations, cadres, cases, clues, problems — count for the whole subtree."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache, cached_property, reduce
from operator import or_
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from baolei.cadres.models import Adjustment, Appointment, BaseLevel, TrainingBase
from baolei.cadres.queries import in_office
from baolei.cases import queries as case_queries
from baolei.cases.models import Case, CaseKind, Characterisation, Stage, StageEvent
from baolei.clues.models import Clue
from baolei.coordination.models import Mechanism, MechanismStatus, Meeting, MeetingKind
from baolei.core import days
from baolei.ledger.models import DONE_STATUSES, Acceptance, AcceptanceResult
from baolei.regions.models import SIGNIFICANT_DIGITS, Level, Region, significant_length
from baolei.regions.queries import CENTRE_LEVELS
from baolei.reports.records import DESCRIBERS, Row, same
from baolei.screening.models import Screening, Standing
from baolei.supervision import queries as supervision_queries
from baolei.supervision.models import (
    LeaderAssignment,
    Problem,
    ProblemScope,
    ProblemSource,
    ProblemStatus,
    SupervisionRound,
    Team,
)
from baolei.vetting.models import RunStatus, VettingRun


@dataclass(frozen=True)
class Figure:
    """A figure is built without touching the database: its value is counted the first
    time it is read, so finding one figure among all of them costs one count."""

    key: str
    label: str
    measure: Callable[[], int | Decimal] = field(compare=False, repr=False)
    url: str = ""
    unit: str = ""
    ledger_url: str = ""
    records: Any = field(default=None, compare=False, repr=False)

    @cached_property
    def value(self) -> int | Decimal:
        return self.measure()

    @property
    def display(self) -> str:
        """The figure as the briefing prints it: 580万元, 3.6亿元, 112个."""
        if self.unit == "元":
            return money(Decimal(self.value))
        return f"{self.value}{self.unit}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": str(self.value) if isinstance(self.value, Decimal) else self.value,
            "unit": self.unit,
            "url": self.url,
            "ledger_url": self.ledger_url,
        }

    def source(self) -> tuple[Any, Callable[[Any], Row]]:
        """The records behind the figure in a stable order, and how each becomes a Row;
        a sequence that pages without loading everything."""
        if isinstance(self.records, QuerySet):
            describer = DESCRIBERS[self.records.model]
            return describer.prepare(self.records), describer.row
        return list(self.records or ()), same

    def rows(self) -> Iterator[Row]:
        records, row = self.source()
        return (row(record) for record in records)


def money(value: Decimal) -> str:
    if value >= Decimal(100_000_000):
        return f"{(value / Decimal(100_000_000)).quantize(Decimal('0.01')).normalize():f}亿元"
    if value >= Decimal(10_000):
        return f"{(value / Decimal(10_000)).quantize(Decimal('1')):f}万元"
    return f"{value:f}元"


def link(name: str, *args: Any, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    path = reverse(name, args=args)
    return f"{path}?{query}" if query else path


@dataclass(frozen=True)
class Scope:
    """Who asks, for which region, as of which day, and from which day periods count."""

    user: Any
    region: Region
    as_of: date
    start: date

    def within(self, rows: QuerySet[Any], field: str) -> QuerySet[Any]:
        return rows.filter(**{f"{field}__code__under": self.region.prefix})

    def count(
        self,
        key: str,
        label: str,
        records: Any,
        unit: str,
        ledger_url: str = "",
        counted: Callable[[], int] | None = None,
    ) -> Figure:
        """A figure that counts ``records``; ``counted``, where given, is that count
        taken together with other figures' in one query (it must count the same rows)."""

        def measure() -> int:
            return len(records) if isinstance(records, list) else records.count()

        url = self.records_url(key)
        return Figure(key, label, counted or measure, url, unit, ledger_url, records)

    def total(
        self,
        key: str,
        label: str,
        records: QuerySet[Any],
        ledger_url: str = "",
        summed: Callable[[], Decimal | None] | None = None,
    ) -> Figure:
        """A figure that sums ``records``' values; ``summed`` as ``counted`` above."""

        def measure() -> Decimal:
            value = summed() if summed else records.aggregate(total=Sum("value"))["total"]
            return Decimal(value or 0).quantize(Decimal("0.01"))

        return Figure(key, label, measure, self.records_url(key), "元", ledger_url, records)

    def records_url(self, key: str) -> str:
        return link(
            "reports:records",
            key,
            region=self.region.code,
            as_of=self.as_of.isoformat(),
            **{"from": self.start.isoformat()},
        )


def organisation_figures(scope: Scope) -> list[Figure]:
    user, region, as_of = scope.user, scope.region, scope.as_of
    confirmed = scope.within(Screening.objects.visible_to(user), "region").filter(
        standing=Standing.CONFIRMED, confirmed_on__lte=as_of
    )
    accepted = Acceptance.objects.filter(result=AcceptanceResult.ACCEPTED, on__lte=as_of)
    rectified = confirmed.filter(plan__in=accepted.values("item"), plan__status__in=DONE_STATUSES)
    adjusted = scope.within(Adjustment.objects.visible_to(user), "appointment__region").filter(
        executed_on__lte=as_of
    )
    bases = scope.within(TrainingBase.objects.visible_to(user), "region").filter(
        level=BaseLevel.CITY, opened_on__lte=as_of
    )
    organisations = link("screening:organisations", standing="confirmed", within=region.code)
    return [
        scope.count(
            "weak_confirmed", "排查确定软弱涣散村(社区)党组织", confirmed, "个", organisations
        ),
        scope.count(
            "weak_villages",
            "其中村党组织",
            confirmed.filter(region__level=Level.VILLAGE),
            "个",
            organisations,
        ),
        scope.count(
            "weak_communities",
            "其中社区党组织",
            confirmed.exclude(region__level=Level.VILLAGE),
            "个",
            organisations,
        ),
        scope.count("weak_rectified", "已整顿提升", rectified, "个", organisations),
        scope.count(
            "secretaries_adjusted",
            "动态调整村干部",
            adjusted,
            "人",
            link(
                "cadres:adjustments",
                status="executed",
                executed_to=as_of.isoformat(),
                within=region.code,
            ),
        ),
        scope.count("training_bases", "市级“领头雁”实训基地", bases, "个", link("cadres:bases")),
        scope.count(
            "cadres_vetted",
            "完成背景审查的在任村干部",
            vetted_cadres(scope),
            "人",
            link("vetting:coverage"),
        ),
        scope.count(
            "cadres_in_office",
            "在任村干部",
            in_office(scope.within(Appointment.objects.visible_to(user), "region"), as_of),
            "人",
            link("cadres:list", within=region.code),
        ),
    ]


def vetted_cadres(scope: Scope) -> QuerySet[Any]:
    """Cadres in office on the day who were covered by a completed background-review run
    started, no later than the day, on or after the day they took office."""
    runs = (
        VettingRun.objects.visible_to(scope.user)
        .filter(status=RunStatus.DONE, **days.on_or_before("started_at", scope.as_of))
        .values_list("region__code", "started_at")
    )
    covered = [
        Q(
            region__code__under=code[: significant_length(code)],
            started_on__lte=timezone.localdate(started),
        )
        for code, started in runs
    ]
    cadres = in_office(
        scope.within(Appointment.objects.visible_to(scope.user), "region"), scope.as_of
    )
    return cadres.filter(reduce(or_, covered)) if covered else cadres.none()


def coordination_figures(scope: Scope) -> list[Figure]:
    user, region, as_of = scope.user, scope.region, scope.as_of
    year_start = date(as_of.year, 1, 1)
    meetings = Meeting.objects.visible_to(user).filter(
        region=region, held_on__gte=year_start, held_on__lte=as_of
    )
    figures = [
        scope.count(
            f"meetings_{kind}",
            MeetingKind(kind).label,
            meetings.filter(kind=kind),
            "次",
            link(
                "coordination:meetings",
                kind=kind,
                start=year_start.isoformat(),
                end=as_of.isoformat(),
            ),
        )
        for kind in (
            MeetingKind.STANDING_COMMITTEE,
            MeetingKind.LEADING_GROUP,
            MeetingKind.LEADING_GROUP_TOPIC,
            MeetingKind.ANTI_CORRUPTION,
        )
    ]
    mechanisms = (
        Mechanism.objects.visible_to(user)
        .filter(region=region, issued_on__lte=as_of)
        .exclude(status=MechanismStatus.REPEALED)
    )
    figures.append(
        scope.count("mechanisms", "出台制度机制", mechanisms, "项", link("coordination:mechanisms"))
    )
    regions = Region.objects.visible_to(user).subtree(region)
    for level in CENTRE_LEVELS:
        at_level = regions.filter(level=level)
        figures.append(
            scope.count(
                f"centres_{level}",
                f"{Level(level).label}建立综治中心",
                at_level.filter(governance_centre__established_on__lte=as_of),
                "个",
                link("regions:centres", level=level),
            )
        )
        figures.append(
            scope.count(
                f"units_{level}",
                f"{Level(level).label}总数",
                at_level,
                "个",
                link("regions:list", level=level, within=region.code),
            )
        )
    return figures


def supervision_figures(scope: Scope) -> list[Figure]:
    user, region, as_of = scope.user, scope.region, scope.as_of
    plans = {"plan__region": region, "plan__starts_on__lte": as_of}
    assignments = LeaderAssignment.objects.visible_to(user).filter(**plans)
    teams = Team.objects.visible_to(user).filter(**plans).select_related("plan")
    rounds = SupervisionRound.objects.visible_to(user).filter(
        plan__region=region, starts_on__lte=as_of
    )
    plans_url = link("supervision:plans")
    figures = [
        scope.count("leaders", "市领导联系督导县(区)", assignments, "名", plans_url),
        scope.count(
            "team_leaders", "督导组组长、副组长", list(team_leaders(teams)), "名", plans_url
        ),
        scope.count("teams", "督导组", teams, "个", plans_url),
        scope.count("rounds", "专项督导", rounds, "轮", plans_url),
    ]
    problems = scope.within(
        supervision_queries.with_status(Problem.objects.visible_to(user), as_of, user=user),
        "region",
    ).filter(received_on__lte=as_of)
    kinds = sorted(set(problems.values_list("source", "scope")))
    for source, kind in kinds:
        base = {"source": source, "scope": kind}
        key = f"problems_{source}_{kind}"
        these = problems.filter(**base)
        done = (ProblemStatus.DONE, ProblemStatus.DONE_LONG_TERM)
        figures += [
            scope.count(
                f"{key}_total",
                f"{ProblemSource(source).label}{ProblemScope(kind).label}",
                these,
                "项",
                link("supervision:problems", **base),
            ),
            scope.count(
                f"{key}_done",
                "已完成整改",
                these.filter(status__in=done),
                "项",
                link("supervision:problems", **base),
            ),
            scope.count(
                f"{key}_long_term",
                "含长期坚持整改",
                these.filter(status=ProblemStatus.DONE_LONG_TERM),
                "项",
                link("supervision:problems", status="done_long_term", **base),
            ),
            scope.count(
                f"{key}_open",
                "正在整改",
                these.filter(status=ProblemStatus.IN_PROGRESS),
                "项",
                link("supervision:problems", status="in_progress", **base),
            ),
        ]
    return figures


def team_leaders(teams: Iterable[Team]) -> Iterator[Row]:
    for team in teams:
        url = reverse("supervision:plan", args=[team.plan_id])
        yield Row(f"{team.leader}（{team.name}组长）", url, "", team.plan.starts_on)
        if team.deputy:
            yield Row(f"{team.deputy}（{team.name}副组长）", url, "", team.plan.starts_on)


EVIL = (CaseKind.EVIL_GROUP, CaseKind.EVIL_FORCE)
RECOGNISED_EVIL = (Characterisation.EVIL_GROUP, Characterisation.EVIL_FORCE)


#: The stage figures: each counts the cases with such an event dated in the period.
STAGE_FIGURES: dict[str, Q] = {
    "cases_gang_filed": Q(stage=Stage.FILED, case__kind=CaseKind.GANG),
    "cases_evil_filed": Q(stage=Stage.FILED, case__kind__in=EVIL),
    "prosecuted_gang": Q(stage=Stage.PROSECUTED, characterisation=Characterisation.GANG),
    "prosecuted_evil": Q(stage=Stage.PROSECUTED, characterisation__in=RECOGNISED_EVIL),
    "first_gang": Q(stage=Stage.FIRST_INSTANCE, characterisation=Characterisation.GANG),
    "first_evil": Q(stage=Stage.FIRST_INSTANCE, characterisation__in=RECOGNISED_EVIL),
    "second_gang": Q(stage=Stage.SECOND_INSTANCE, characterisation=Characterisation.GANG),
    "second_evil": Q(stage=Stage.SECOND_INSTANCE, characterisation__in=RECOGNISED_EVIL),
}


def result_figures(scope: Scope) -> list[Figure]:
    user, start, as_of = scope.user, scope.start, scope.as_of
    events = scope.within(
        StageEvent.objects.filter(
            case__in=Case.objects.visible_to(user), on__gte=start, on__lte=as_of
        ),
        "case__region",
    )

    @cache
    def stage_counts() -> dict[str, int]:
        """Every stage figure in one query: distinct cases per kind of event."""
        return events.aggregate(
            **{key: Count("case", distinct=True, filter=q) for key, q in STAGE_FIGURES.items()}
        )

    def cases_at(key: str) -> dict[str, Any]:
        """The figure's records (the cases with its event) and its count, taken with
        the other stage figures'."""
        cases = Case.objects.filter(pk__in=events.filter(STAGE_FIGURES[key]).values("case"))
        return {"records": cases, "counted": lambda: stage_counts()[key]}

    assets = scope.within(case_queries.assets_of(user), "case__region")

    @cache
    def held() -> dict[str, Decimal | None]:
        """The assets held at both ends of the period, summed in one query."""
        return assets.aggregate(
            before=Sum("value", filter=case_queries.held_on(start)),
            now=Sum("value", filter=case_queries.held_on(as_of)),
        )

    period = {"opened_from": start.isoformat(), "opened_to": as_of.isoformat()}
    statistics = link("cases:statistics", **{"from": start.isoformat(), "to": as_of.isoformat()})
    clues = scope.within(Clue.objects.visible_to(user), "region").filter(
        received_on__gte=start, received_on__lte=as_of
    )
    clue_period = {"received_from": start.isoformat(), "received_to": as_of.isoformat()}
    return [
        scope.count(
            "cases_gang_filed",
            "公安机关新侦办黑社会性质组织案",
            unit="件",
            ledger_url=link("cases:list", kind=CaseKind.GANG, **period),
            **cases_at("cases_gang_filed"),
        ),
        scope.count(
            "cases_evil_filed",
            "涉恶犯罪案",
            unit="件",
            ledger_url=link("cases:list", **period),
            **cases_at("cases_evil_filed"),
        ),
        scope.count(
            "suspects_caught",
            "抓获犯罪嫌疑人",
            scope.within(case_queries.caught_suspects(user, start, as_of), "case__region"),
            "人",
            statistics,
        ),
        scope.total(
            "assets_before",
            "督导前查扣冻结涉案财产",
            assets.filter(case_queries.held_on(start)),
            statistics,
            summed=lambda: held()["before"],
        ),
        scope.total(
            "assets_now",
            "现查扣冻结涉案财产",
            assets.filter(case_queries.held_on(as_of)),
            statistics,
            summed=lambda: held()["now"],
        ),
        scope.count(
            "prosecuted_gang",
            "检察机关新提起公诉黑社会性质组织案",
            unit="件",
            ledger_url=statistics,
            **cases_at("prosecuted_gang"),
        ),
        scope.count(
            "prosecuted_evil",
            "恶势力犯罪案",
            unit="件",
            ledger_url=statistics,
            **cases_at("prosecuted_evil"),
        ),
        scope.count(
            "first_gang",
            "法院一审判决并认定黑社会性质组织案",
            unit="件",
            ledger_url=link("cases:list", stage=Stage.FIRST_INSTANCE),
            **cases_at("first_gang"),
        ),
        scope.count(
            "first_evil",
            "恶势力犯罪案",
            unit="件",
            ledger_url=statistics,
            **cases_at("first_evil"),
        ),
        scope.count(
            "second_gang",
            "二审审结并认定黑社会性质组织案",
            unit="件",
            ledger_url=link("cases:list", stage=Stage.SECOND_INSTANCE),
            **cases_at("second_gang"),
        ),
        scope.count(
            "second_evil",
            "恶势力犯罪案",
            unit="件",
            ledger_url=statistics,
            **cases_at("second_evil"),
        ),
        scope.count(
            "clues_received", "受理问题线索", clues, "条", link("clues:list", **clue_period)
        ),
        scope.count(
            "clues_concluded",
            "办结",
            clues.filter(concluded_on__lte=as_of),
            "条",
            link("clues:list", status="concluded", **clue_period),
        ),
    ]


#: Figures that count what a body of one level held or issued, with the levels that have
#: such a body: a city's standing committee, the city leaders who each take a county, the
#: supervision teams the city sends to its counties. Elsewhere the figure means nothing.
HELD_AT: dict[str, tuple[str, ...]] = {
    "meetings_standing_committee": (Level.CITY, Level.COUNTY),
    "meetings_leading_group": (Level.CITY, Level.COUNTY, Level.TOWNSHIP),
    "meetings_leading_group_topic": (Level.CITY, Level.COUNTY, Level.TOWNSHIP),
    "meetings_anti_corruption": (Level.CITY, Level.COUNTY),
    "mechanisms": (Level.CITY, Level.COUNTY, Level.TOWNSHIP),
    "leaders": (Level.CITY,),
    "team_leaders": (Level.CITY,),
    "teams": (Level.CITY,),
    "rounds": (Level.CITY,),
}


def defined_at(key: str, region: Region) -> bool:
    """Whether the figure means something for this region: the rule the dashboard, the
    briefing, the charts' drill-down and the API share. Counts of units of a level
    (``units_county``, ``centres_township``) exist only below the region's own level; the
    figures of ``HELD_AT`` only at the levels named there; every other figure counts
    records in the subtree and is defined everywhere."""
    for prefix in ("units_", "centres_"):
        if key.startswith(prefix):
            level = key.removeprefix(prefix)
            return SIGNIFICANT_DIGITS[Level(level)] > SIGNIFICANT_DIGITS[Level(region.level)]
    return region.level in HELD_AT.get(key, Level.values)


def all_figures(user: Any, region: Region, as_of: date, start: date) -> dict[str, list[Figure]]:
    """Every figure defined at the region's level (``defined_at``), by group."""
    scope = Scope(user, region, as_of, start)
    groups = {
        "organisation": organisation_figures(scope),
        "coordination": coordination_figures(scope),
        "supervision": supervision_figures(scope),
        "results": result_figures(scope),
    }
    return {
        name: [f for f in figures if defined_at(f.key, region)] for name, figures in groups.items()
    }


def find(user: Any, region: Region, as_of: date, start: date, key: str) -> Figure | None:
    """The figure (of the briefing, the dashboard or a chart) with this key, for the scope.
    Figures count lazily, so only the one found is counted; of the charts, only the one
    that holds the key is built."""
    from baolei.reports.charts import chart_holding

    for figures in all_figures(user, region, as_of, start).values():
        for figure in figures:
            if figure.key == key:
                return figure
    build = chart_holding(key)
    if build is None:
        return None
    return next(
        (f for f in build(Scope(user, region, as_of, start)).figures() if f.key == key), None
    )
