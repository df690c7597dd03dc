from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from baolei.core.filters import FilterSet, IdFilter, offer_records
from baolei.regions.pickers import within_filter
from baolei.regions.queries import within_region
from baolei.screening import queries
from baolei.screening.models import (
    NegativeListItem,
    Proposal,
    RoundStatus,
    Screening,
    ScreeningRound,
    Standing,
)


class RoundFilter(FilterSet):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains")
    status = django_filters.ChoiceFilter(
        label="状态", choices=RoundStatus.choices, empty_label="全部"
    )

    class Meta:
        model = ScreeningRound
        fields = ["q", "status"]


def offer_items(form: Any, rounds: Any) -> None:
    """The ``?hit=`` filter as the negative-list items of the rounds the user sees, by their
    text (the code is what is sent, so a link with ``?hit=3`` selects the same rows)."""
    field = form.fields["hit"]
    if isinstance(field.widget, forms.Select):
        return  # offered at the form's first use
    items = NegativeListItem.objects.filter(negative_list__in=rounds.values("negative_list"))
    offered: dict[str, str] = {}
    for code, text in items.order_by("code").values_list("code", "text"):
        offered.setdefault(code, f"{code}. {text[:24]}")
    ordered = sorted(offered.items(), key=lambda pair: (len(pair[0]), pair[0]))
    field.widget = forms.Select(choices=[("", "全部条目"), *ordered])


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
        label="命中负面清单条目", field_name="hits__item__code", distinct=True
    )
    todo = django_filters.ChoiceFilter(
        label="待办", choices=[("review", "待联审")], method="filter_todo", empty_label="全部"
    )

    class Meta:
        model = Screening
        fields = ["round", "q", "within", "standing", "proposal", "hit", "todo"]

    @property
    def form(self) -> Any:
        form = super().form
        rounds = ScreeningRound.objects.visible_to(getattr(self.request, "user", None))
        offer_records(form, "round", rounds, "全部轮次")
        offer_items(form, rounds)
        return form

    def filter_within(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return within_region(rows, value)

    def filter_todo(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return queries.awaiting_review(rows, getattr(self.request, "user", None))
