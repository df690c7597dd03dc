from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from baolei.accounts.models import Agency
from baolei.core.filters import FilterSet
from baolei.core.pickers import PickerSelect
from baolei.ledger import queries
from baolei.ledger.models import SourceKind, Status, Warning
from baolei.ledger.numbers import padded
from baolei.regions.pickers import within_filter
from baolei.regions.queries import within_region

#: The to-do views of the list: what waits on the signed-in user.
TODO_CHOICES = [("accept", "待验收"), ("returned", "退回整改")]


class LedgerFilter(FilterSet):
    q = django_filters.CharFilter(label="关键词", method="search")
    within = within_filter()
    owner_agency = django_filters.ModelChoiceFilter(
        label="责任单位",
        queryset=Agency.objects.none(),
        empty_label="全部单位",
        widget=PickerSelect("web:pick_agencies", attrs={"data-placeholder": "全部单位"}),
    )
    status = django_filters.ChoiceFilter(
        label="整改状态", choices=Status.choices, empty_label="全部状态"
    )
    warning = django_filters.ChoiceFilter(label="预警", choices=Warning.choices, empty_label="全部")
    source_kind = django_filters.ChoiceFilter(
        label="来源", choices=SourceKind.choices, empty_label="全部来源"
    )
    todo = django_filters.ChoiceFilter(
        label="待办", choices=TODO_CHOICES, method="filter_todo", empty_label="全部"
    )
    deadline_from = django_filters.DateFilter(
        label="时限自", field_name="deadline", lookup_expr="gte"
    )
    deadline_to = django_filters.DateFilter(
        label="时限至", field_name="deadline", lookup_expr="lte"
    )

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["owner_agency"].queryset = Agency.objects.visible_to(request.user)

    def search(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        """By title, number (as typed, padded, or the number the item carried before), person or content."""
        return rows.filter(
            Q(title__contains=value)
            | Q(key__icontains=value)
            | Q(key=padded(value))
            | Q(former_key__icontains=value)
            | Q(responsible_person__contains=value)
            | Q(description__contains=value)
        )

    def filter_within(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return within_region(rows, value)

    def filter_todo(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        user = getattr(self.request, "user", None)
        if value == "accept":
            return queries.awaiting_acceptance(rows, user)
        return queries.returned_items(rows, user)
