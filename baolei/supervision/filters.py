from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from baolei.core.filters import FilterSet, IdFilter, offer_records
from baolei.supervision.models import (
    Problem,
    ProblemScope,
    ProblemSource,
    ProblemStatus,
    SupervisionRound,
)


class ProblemFilter(FilterSet):
    q = django_filters.CharFilter(label="关键词", method="search")
    source = django_filters.ChoiceFilter(
        label="来源", choices=ProblemSource.choices, empty_label="全部来源"
    )
    scope = django_filters.ChoiceFilter(
        label="类型", choices=ProblemScope.choices, empty_label="全部类型"
    )
    status = django_filters.ChoiceFilter(
        label="整改状态", choices=ProblemStatus.choices, empty_label="全部状态"
    )
    round = IdFilter(label="督导轮次", field_name="round_id")

    class Meta:
        model = Problem
        fields = ["q", "source", "scope", "status", "round"]

    @property
    def form(self) -> Any:
        form = super().form
        rounds = SupervisionRound.objects.visible_to(getattr(self.request, "user", None))
        rows = rounds.select_related("plan")
        offer_records(form, "round", rows, "全部轮次", label=lambda r: f"{r.plan} · {r}")
        return form

    def search(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return rows.filter(description__contains=value) | rows.filter(number__icontains=value)
