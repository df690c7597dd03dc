"""Reads of coordination: meeting counts, missed required meetings, assessment scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from baolei.clues.models import Clue, ClueStatus, Referral
from baolei.coordination.models import (
    AssessmentScheme,
    Indicator,
    ManualScore,
    Meeting,
    MeetingCadence,
    MeetingKind,
    Metric,
)
from baolei.ledger.models import DONE_STATUSES, OPEN_STATUSES, LedgerItem, Status
from baolei.regions.models import Level, Region

TWO = Decimal("0.01")


def meeting_counts(user: Any, start: date, end: date) -> dict[str, int]:
    """Meetings held in [start, end] by kind, among those the user may see (every kind listed)."""
    rows = (
        Meeting.objects.visible_to(user)
        .filter(held_on__gte=start, held_on__lte=end)
        .values("kind")
        .annotate(n=Count("pk"))
    )
    found = {row["kind"]: row["n"] for row in rows}
    return {kind: found.get(kind, 0) for kind in MeetingKind.values}


def missed_periods(cadence: MeetingCadence, until: date) -> list[tuple[date, date]]:
    """The one rule for a missed required meeting: the cadence's periods, counted from its
    ``since`` day every ``every_days`` days, that ended by ``until`` without such a meeting held
    in its region. The warning and the assessment both read it."""
    held = sorted(
        Meeting.objects.filter(
            kind=cadence.kind,
            region__code__under=cadence.region.prefix,
            held_on__gte=cadence.since,
            held_on__lte=until,
        ).values_list("held_on", flat=True)
    )
    missed = []
    period_start = cadence.since
    step = timedelta(days=cadence.every_days)
    while period_start + step - timedelta(days=1) <= until:
        period_end = period_start + step - timedelta(days=1)
        if not any(period_start <= day <= period_end for day in held):
            missed.append((period_start, period_end))
        period_start += step
    return missed


def missed_within(cadence: MeetingCadence, start: date, end: date) -> list[tuple[date, date]]:
    """The missed periods (``missed_periods``) that ended within [start, end]."""
    return [p for p in missed_periods(cadence, end) if p[1] >= start]


def cadence_warnings(user: Any, today: date | None = None) -> list[dict[str, Any]]:
    today = today or timezone.localdate()
    warnings = []
    for cadence in MeetingCadence.objects.visible_to(user).select_related("region"):
        missed = missed_periods(cadence, today)
        if missed:
            warnings.append({"cadence": cadence, "missed": missed})
    return warnings


@dataclass
class Score:
    indicator: Indicator
    score: Decimal
    explanation: str


@dataclass
class CountyScore:
    county: Region
    scores: list[Score] = field(default_factory=list)
    rank: int = 0
    #: how many counties were ranked: every county of the scheme's region
    of: int = 0

    @property
    def total(self) -> Decimal:
        return sum((s.score for s in self.scores), Decimal(0))


def deduct(indicator: Indicator, occurrences: int, what: str) -> Score:
    deduction = min(indicator.points, indicator.per_occurrence * occurrences)
    score = (indicator.points - deduction).quantize(TWO)
    return Score(
        indicator,
        score,
        f"{what} {occurrences} 次，每次扣 {indicator.per_occurrence} 分，"
        f"扣 {deduction.quantize(TWO)} 分（最多扣 {indicator.points} 分），"
        f"得分 = {indicator.points} − {deduction.quantize(TWO)} = {score}",
    )


def rate_score(indicator: Indicator, good: int, total: int, population: str, what: str) -> Score:
    if not total:
        return Score(indicator, indicator.points, f"无{population}，得满分")
    rate = Decimal(good) / Decimal(total)
    score = (indicator.points * rate).quantize(TWO, ROUND_HALF_UP)
    return Score(
        indicator,
        score,
        f"{population} {total} 件，{what} {good} 件，比例 {rate * 100:.1f}%，"
        f"得分 = {indicator.points} × {rate * 100:.1f}% = {score}",
    )


def score_indicator(
    indicator: Indicator, county: Region, scheme: AssessmentScheme, today: date
) -> Score:
    items = LedgerItem.objects.filter(region__code__under=county.prefix).exclude(
        status=Status.CANCELLED
    )
    if indicator.metric == Metric.RECTIFICATION_RATE:
        due = items.filter(deadline__gte=scheme.starts_on, deadline__lte=scheme.ends_on)
        counts = due.aggregate(
            total=Count("pk"), done=Count("pk", filter=Q(status__in=DONE_STATUSES))
        )
        if not counts["total"]:
            return Score(indicator, indicator.points, "考核期内无到期台账事项，得满分")
        rate = Decimal(counts["done"]) / Decimal(counts["total"])
        score = (indicator.points * rate).quantize(TWO, ROUND_HALF_UP)
        return Score(
            indicator,
            score,
            f"考核期内到期 {counts['total']} 项，已完成 {counts['done']} 项，"
            f"完成率 {rate * 100:.1f}%，得分 = {indicator.points} × {rate * 100:.1f}% = {score}",
        )
    if indicator.metric == Metric.OVERDUE_ITEMS:
        as_of = min(scheme.ends_on, today)
        overdue = items.filter(
            status__in=OPEN_STATUSES, suspended_on__isnull=True, deadline__lt=as_of
        ).count()
        return deduct(indicator, overdue, f"截至{as_of:%Y年%m月%d日}逾期台账事项")
    if indicator.metric == Metric.FEEDBACK_ON_TIME:
        received = Referral.objects.filter(
            to_agency__region__code__under=county.prefix,
            feedback_by__gte=scheme.starts_on,
            feedback_by__lte=min(scheme.ends_on, today),
        )
        counts = received.aggregate(
            total=Count("pk"), on_time=Count("pk", filter=Q(feedback_on__lte=F("feedback_by")))
        )
        return rate_score(
            indicator,
            counts["on_time"],
            counts["total"],
            "反馈期限在考核期内的移送线索",
            "按时反馈",
        )
    if indicator.metric == Metric.CLUE_CONCLUSION:
        clues_due = Clue.objects.filter(
            region__code__under=county.prefix,
            deadline__gte=scheme.starts_on,
            deadline__lte=min(scheme.ends_on, today),
        ).exclude(status=ClueStatus.MERGED)
        counts = clues_due.aggregate(
            total=Count("pk"), done=Count("pk", filter=Q(concluded_on__lte=F("deadline")))
        )
        return rate_score(
            indicator, counts["done"], counts["total"], "办结时限在考核期内的线索", "按期办结"
        )
    if indicator.metric == Metric.MISSED_MEETINGS:
        cadences = MeetingCadence.objects.filter(region__code__under=county.prefix).select_related(
            "region"
        )
        periods = [
            p
            for c in cadences
            for p in missed_within(c, scheme.starts_on, min(scheme.ends_on, today))
        ]
        deducted = deduct(indicator, len(periods), "未按要求召开会议")
        if periods:
            deducted.explanation += (
                "（" + "；".join(f"{a:%Y-%m-%d} 至 {b:%Y-%m-%d}" for a, b in sorted(periods)) + "）"
            )
        return deducted
    manual = ManualScore.objects.filter(indicator=indicator, county=county).first()
    if manual is None:
        return Score(indicator, Decimal(0), "尚未评分")
    return Score(indicator, manual.score, f"人工评分：{manual.reason}")


def assess(scheme: AssessmentScheme, user: Any, today: date | None = None) -> list[CountyScore]:
    """Every county-level unit of the scheme's region is scored and ranked (1 = best),
    whatever the user's scope; the user is given the rows of the counties they see, each
    with its rank among all (第7名/共8个)."""
    today = today or timezone.localdate()
    counties = Region.objects.subtree(scheme.region).filter(level=Level.COUNTY)
    indicators = list(scheme.indicators.all())
    results = [
        CountyScore(county, [score_indicator(i, county, scheme, today) for i in indicators])
        for county in counties
    ]
    results.sort(key=lambda r: (-r.total, r.county.code))
    for rank, result in enumerate(results, start=1):
        result.rank, result.of = rank, len(results)
    seen = set(
        Region.objects.visible_to(user).filter(level=Level.COUNTY).values_list("pk", flat=True)
    )
    return [r for r in results if r.county.pk in seen]
