from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from baolei.cadres.models import Appointment, Post
from baolei.core.filters import FilterSet, IdFilter, offer_records
from baolei.regions.pickers import within_filter
from baolei.regions.queries import within_region
from baolei.vetting import queries
from baolei.vetting.models import Candidate, Decision, DecisionRecord, RunStatus, Source, VettingRun

#: The latest runs offered by name in the review queue's filter (an older one is still
#: reached by its link from the run's page, ``?run=``).
OFFERED_RUNS = 100


def run_label(run: VettingRun) -> str:
    """白河县 2026年11月20日 09:30 批次（已完成）."""
    when = f"{timezone.localtime(run.started_at):%Y年%m月%d日 %H:%M}"
    return f"{run.region.name} {when} 批次（{run.get_status_display()}）"


class RunFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        label="状态", choices=RunStatus.choices, empty_label="全部状态"
    )
    within = within_filter()
    todo = django_filters.ChoiceFilter(
        label="待办",
        choices=[("finished", "本人发起、近期完成")],
        method="filter_todo",
        empty_label="全部",
    )

    class Meta:
        model = VettingRun
        fields = ["status", "within", "todo"]

    def filter_todo(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return queries.recent_runs(rows, getattr(self.request, "user", None), timezone.localdate())

    def filter_within(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return within_region(rows, value, "region__code")


class CandidateFilter(FilterSet):
    """The review queue's filter; the bulk decision acts on exactly the set it selects."""

    q = django_filters.CharFilter(
        label="村干部姓名", field_name="appointment__person__name", lookup_expr="contains"
    )
    within = within_filter()
    run = IdFilter(label="比对批次", field_name="run_id")
    source = django_filters.ChoiceFilter(
        label="来源", choices=Source.choices, empty_label="全部来源"
    )
    decision = django_filters.ChoiceFilter(
        label="研判结论", choices=Decision.choices, empty_label="全部结论"
    )
    score_from = django_filters.NumberFilter(
        label="相似度不低于", field_name="score", lookup_expr="gte"
    )
    score_below = django_filters.NumberFilter(
        label="相似度低于", field_name="score", lookup_expr="lt"
    )
    todo = django_filters.ChoiceFilter(
        label="待办", choices=[("decide", "待研判")], method="filter_todo", empty_label="全部"
    )

    class Meta:
        model = Candidate
        fields = ["q", "within", "run", "source", "decision", "score_from", "score_below", "todo"]

    def filter_todo(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return queries.awaiting_decision(rows, getattr(self.request, "user", None))

    @property
    def form(self) -> Any:
        form = super().form
        runs = VettingRun.objects.visible_to(getattr(self.request, "user", None))
        rows = runs.select_related("region").order_by("-started_at")[:OFFERED_RUNS]
        offer_records(form, "run", rows, "全部批次", label=run_label)
        return form

    def filter_within(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return within_region(rows, value, "appointment__region__code")


class DecisionRecordFilter(FilterSet):
    q = django_filters.CharFilter(
        label="村干部姓名",
        field_name="candidate__appointment__person__name",
        lookup_expr="contains",
    )
    decision = django_filters.ChoiceFilter(
        label="研判结论",
        choices=[c for c in Decision.choices if c[0] != Decision.PENDING],
        empty_label="全部结论",
    )
    decided_from = django_filters.DateFilter(
        label="研判日期起", field_name="decided_at", lookup_expr="date__gte"
    )
    decided_to = django_filters.DateFilter(
        label="研判日期止", field_name="decided_at", lookup_expr="date__lte"
    )

    class Meta:
        model = DecisionRecord
        fields = ["q", "decision", "decided_from", "decided_to"]


VETTING_STATES = [("vetted", "已审查"), ("unvetted", "尚未审查")]


class CadreVettingFilter(FilterSet):
    q = django_filters.CharFilter(label="姓名", field_name="person__name", lookup_expr="contains")
    within = within_filter()
    post = django_filters.ChoiceFilter(label="职务", choices=Post.choices, empty_label="全部职务")
    vetting = django_filters.ChoiceFilter(
        label="审查情况", choices=VETTING_STATES, method="filter_vetting", empty_label="全部"
    )

    class Meta:
        model = Appointment
        fields = ["q", "within", "post", "vetting"]

    def filter_within(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return within_region(rows, value, "region__code")

    def filter_vetting(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        request: Any = self.request
        done = queries.vetted(queries.latest_runs(request.user))
        return rows.filter(done) if value == "vetted" else rows.exclude(done)
