"""Every figure of the dashboard and the briefing, in one place.

Each figure is computed from records for a region inside the user's scope and a
date, through the apps' own scoped queries, and carries the link to the list of
records it counts. The dashboard, the briefing and the API all read from here, so
no figure is computed twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from baolei.cadres.models import Adjustment, TrainingBase
from baolei.cases import queries as case_queries
from baolei.clues.models import Clue
from baolei.coordination.models import Mechanism, Meeting, MeetingKind
from baolei.ledger.models import DONE_STATUSES, Acceptance, AcceptanceResult
from baolei.regions.models import Level, Region
from baolei.regions.queries import CENTRE_LEVELS
from baolei.screening.models import Screening, Standing
from baolei.supervision import queries as supervision_queries
from baolei.supervision.models import LeaderAssignment, SupervisionRound, Team


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | Decimal
    url: str = ""
    unit: str = ""

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
        }


def money(value: Decimal) -> str:
    if value >= Decimal(100_000_000):
        return f"{(value / Decimal(100_000_000)).quantize(Decimal('0.01')).normalize():f}亿元"
    if value >= Decimal(10_000):
        return f"{(value / Decimal(10_000)).quantize(Decimal('1')):f}万元"
    return f"{value:f}元"


def link(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def within(rows: Any, field: str, region: Region) -> Any:
    return rows.filter(**{f"{field}__code__startswith": region.prefix})


def organisation_figures(user: Any, region: Region, as_of: date) -> list[Figure]:
    confirmed = within(Screening.objects.visible_to(user), "region", region).filter(
        standing=Standing.CONFIRMED, confirmed_on__lte=as_of
    )
    villages = confirmed.filter(region__level=Level.VILLAGE).count()
    communities = confirmed.exclude(region__level=Level.VILLAGE).count()
    accepted = Acceptance.objects.filter(result=AcceptanceResult.ACCEPTED, on__lte=as_of)
    rectified = confirmed.filter(
        plan__in=accepted.values("item"), plan__status__in=DONE_STATUSES
    ).count()
    adjusted = (
        within(Adjustment.objects.visible_to(user), "appointment__region", region)
        .filter(executed_on__lte=as_of)
        .count()
    )
    bases = (
        within(TrainingBase.objects.visible_to(user), "region", region)
        .filter(opened_on__lte=as_of)
        .count()
    )
    organisations = link("screening:organisations", standing="confirmed", within=region.code)
    return [
        Figure(
            "weak_confirmed",
            "排查确定软弱涣散村(社区)党组织",
            villages + communities,
            organisations,
            "个",
        ),
        Figure(
            "weak_villages",
            "其中村党组织",
            villages,
            link("screening:organisations", standing="confirmed", within=region.code),
            "个",
        ),
        Figure("weak_communities", "其中社区党组织", communities, "", "个"),
        Figure("weak_rectified", "已整顿提升", rectified, organisations, "个"),
        Figure(
            "secretaries_adjusted",
            "动态调整村干部",
            adjusted,
            link(
                "cadres:adjustments",
                status="executed",
                executed_to=as_of.isoformat(),
                within=region.code,
            ),
            "人",
        ),
        Figure("training_bases", "“领头雁”实训基地", bases, link("cadres:bases"), "个"),
    ]


def coordination_figures(user: Any, region: Region, as_of: date) -> list[Figure]:
    year_start = date(as_of.year, 1, 1)
    meetings = Meeting.objects.visible_to(user).filter(held_on__gte=year_start, held_on__lte=as_of)
    figures = [
        Figure(
            f"meetings_{kind}",
            MeetingKind(kind).label,
            meetings.filter(kind=kind).count(),
            link(
                "coordination:meetings",
                kind=kind,
                start=year_start.isoformat(),
                end=as_of.isoformat(),
            ),
            "次",
        )
        for kind in (
            MeetingKind.STANDING_COMMITTEE,
            MeetingKind.LEADING_GROUP,
            MeetingKind.LEADING_GROUP_TOPIC,
            MeetingKind.ANTI_CORRUPTION,
        )
    ]
    mechanisms = (
        Mechanism.objects.visible_to(user).filter(issued_on__lte=as_of).exclude(status="repealed")
    )
    figures.append(
        Figure(
            "mechanisms", "出台制度机制", mechanisms.count(), link("coordination:mechanisms"), "项"
        )
    )
    regions = Region.objects.visible_to(user).subtree(region)
    for level in CENTRE_LEVELS:
        at_level = regions.filter(level=level)
        covered = at_level.filter(governance_centre__established_on__lte=as_of).count()
        figures.append(
            Figure(
                f"centres_{level}",
                f"{Level(level).label}建立综治中心",
                covered,
                link("regions:centres", level=level),
                "个",
            )
        )
        figures.append(
            Figure(
                f"units_{level}",
                f"{Level(level).label}总数",
                at_level.count(),
                link("regions:list", level=level, within=region.code),
                "个",
            )
        )
    return figures


def supervision_figures(user: Any, region: Region, as_of: date) -> list[Figure]:
    assignments = LeaderAssignment.objects.visible_to(user).filter(plan__starts_on__lte=as_of)
    teams = Team.objects.visible_to(user).filter(plan__starts_on__lte=as_of)
    rounds = SupervisionRound.objects.visible_to(user).filter(starts_on__lte=as_of)
    cadres = sum(1 + bool(t.deputy) for t in teams)
    figures = [
        Figure(
            "leaders", "市领导联系督导县(区)", assignments.count(), link("supervision:plans"), "名"
        ),
        Figure("team_leaders", "督导组组长、副组长", cadres, link("supervision:plans"), "名"),
        Figure("teams", "督导组", teams.count(), link("supervision:plans"), "个"),
        Figure("rounds", "专项督导", rounds.count(), link("supervision:plans"), "轮"),
    ]
    for row in supervision_queries.problem_summary(user, received_by=as_of):
        base = {"source": row["source"], "scope": row["scope"]}
        key = f"problems_{row['source']}_{row['scope']}"
        figures += [
            Figure(
                f"{key}_total",
                f"{row['source_display']}{row['scope_display']}",
                row["total"],
                link("supervision:problems", **base),
                "项",
            ),
            Figure(
                f"{key}_done", "已完成整改", row["done"], link("supervision:problems", **base), "项"
            ),
            Figure(
                f"{key}_long_term",
                "含长期坚持整改",
                row["done_long_term"],
                link("supervision:problems", status="done_long_term", **base),
                "项",
            ),
            Figure(
                f"{key}_open",
                "正在整改",
                row["in_progress"],
                link("supervision:problems", status="in_progress", **base),
                "项",
            ),
        ]
    return figures


def result_figures(user: Any, start: date, as_of: date) -> list[Figure]:
    stats = case_queries.statistics(user, start, as_of)
    period = {"opened_from": start.isoformat(), "opened_to": as_of.isoformat()}
    evil = stats["police"]["filed"]["evil_group"] + stats["police"]["filed"]["evil_force"]
    prosecuted = stats["procuratorate"]["prosecuted"]
    first, second = (
        stats["courts"]["first_instance_recognised"],
        stats["courts"]["second_instance_concluded"],
    )
    clues = Clue.objects.visible_to(user).filter(received_on__gte=start, received_on__lte=as_of)
    return [
        Figure(
            "cases_gang_filed",
            "公安机关新侦办黑社会性质组织案",
            stats["police"]["filed"]["gang"],
            link("cases:list", kind="gang", **period),
            "件",
        ),
        Figure("cases_evil_filed", "涉恶犯罪案", evil, link("cases:list", **period), "件"),
        Figure(
            "suspects_caught",
            "抓获犯罪嫌疑人",
            stats["police"]["suspects_caught"],
            link("cases:list"),
            "人",
        ),
        Figure(
            "assets_before",
            "督导前查扣冻结涉案财产",
            Decimal(stats["assets"]["held_at_from"]),
            link("cases:statistics", **{"from": start.isoformat(), "to": as_of.isoformat()}),
            "元",
        ),
        Figure(
            "assets_now",
            "现查扣冻结涉案财产",
            Decimal(stats["assets"]["held_at_to"]),
            link("cases:statistics", **{"from": start.isoformat(), "to": as_of.isoformat()}),
            "元",
        ),
        Figure(
            "prosecuted_gang",
            "检察机关新提起公诉黑社会性质组织案",
            prosecuted["gang"],
            link("cases:list"),
            "件",
        ),
        Figure(
            "prosecuted_evil",
            "恶势力犯罪案",
            prosecuted["evil_group"] + prosecuted["evil_force"],
            link("cases:list"),
            "件",
        ),
        Figure(
            "first_gang",
            "法院一审判决并认定黑社会性质组织案",
            first["gang"],
            link("cases:list", stage="first_instance"),
            "件",
        ),
        Figure(
            "first_evil",
            "恶势力犯罪案",
            first["evil_group"] + first["evil_force"],
            link("cases:list"),
            "件",
        ),
        Figure(
            "second_gang",
            "二审审结并认定黑社会性质组织案",
            second["gang"],
            link("cases:list", stage="second_instance"),
            "件",
        ),
        Figure(
            "second_evil",
            "恶势力犯罪案",
            second["evil_group"] + second["evil_force"],
            link("cases:list"),
            "件",
        ),
        Figure(
            "clues_received",
            "受理问题线索",
            clues.count(),
            link("clues:list", received_from=start.isoformat(), received_to=as_of.isoformat()),
            "条",
        ),
        Figure(
            "clues_concluded",
            "办结",
            clues.filter(Q(concluded_on__lte=as_of)).count(),
            link(
                "clues:list",
                status="concluded",
                received_from=start.isoformat(),
                received_to=as_of.isoformat(),
            ),
            "条",
        ),
    ]


def all_figures(user: Any, region: Region, as_of: date, start: date) -> dict[str, list[Figure]]:
    return {
        "organisation": organisation_figures(user, region, as_of),
        "coordination": coordination_figures(user, region, as_of),
        "supervision": supervision_figures(user, region, as_of),
        "results": result_figures(user, start, as_of),
    }
