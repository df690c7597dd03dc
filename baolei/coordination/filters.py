from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from baolei.coordination.models import (
    Mechanism,
    MechanismKind,
    MechanismStatus,
    Meeting,
    MeetingKind,
)
from baolei.core.filters import FilterSet


class MeetingFilter(FilterSet):
    kind = django_filters.ChoiceFilter(
        label="会议类型", choices=MeetingKind.choices, empty_label="全部类型"
    )
    start = django_filters.DateFilter(label="召开日期起", field_name="held_on", lookup_expr="gte")
    end = django_filters.DateFilter(label="召开日期止", field_name="held_on", lookup_expr="lte")
    q = django_filters.CharFilter(label="议题", field_name="topic", lookup_expr="contains")

    class Meta:
        model = Meeting
        fields = ["kind", "start", "end", "q"]


class MechanismFilter(FilterSet):
    q = django_filters.CharFilter(label="名称或文号", method="search")
    kind = django_filters.ChoiceFilter(
        label="类别", choices=MechanismKind.choices, empty_label="全部类别"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=MechanismStatus.choices, empty_label="全部状态"
    )

    class Meta:
        model = Mechanism
        fields = ["q", "kind", "status"]

    def search(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return rows.filter(title__contains=value) | rows.filter(document_number__contains=value)
