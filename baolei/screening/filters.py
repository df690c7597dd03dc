from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from baolei.core.filters import FilterSet, IdFilter, offer_records
from baolei.regions.pickers import within_filter
from baolei.regions.queries import within_region
from baolei.screening.models import Proposal, RoundStatus, Screening, ScreeningRound, Standing


class RoundFilter(FilterSet):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains")
    status = django_filters.ChoiceFilter(
        label="状态", choices=RoundStatus.choices, empty_label="全部"
    )

    class Meta:
        model = ScreeningRound
        fields = ["q", "status"]


class ScreeningFilter(FilterSet):
    round = IdFilter(label="排查轮次", field_name="round_id")
    q = django_filters.CharFilter(
        label="村(社区)", field_name="region__name", lookup_expr="contains"
    )
    within = within_filter()
    standing = django_filters.ChoiceFilter(
        label="状态", choices=Standing.choices, empty_label="全部状态"
    )
    proposal = django_filters.ChoiceFilter(
        label="处理建议", choices=Proposal.choices, empty_label="全部"
    )
    hit = django_filters.CharFilter(
        label="命中条目序号", field_name="hits__item__code", distinct=True
    )

    class Meta:
        model = Screening
        fields = ["round", "q", "within", "standing", "proposal", "hit"]

    @property
    def form(self) -> Any:
        form = super().form
        rounds = ScreeningRound.objects.visible_to(getattr(self.request, "user", None))
        offer_records(form, "round", rounds, "全部轮次")
        return form

    def filter_within(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return within_region(rows, value)
