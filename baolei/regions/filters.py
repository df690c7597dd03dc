from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from baolei.core.filters import FilterSet
from baolei.regions.models import GovernanceCentre, Level, Region
from baolei.regions.pickers import RegionCodePicker, within_filter


def search(queryset: QuerySet, name: str, value: str) -> QuerySet:
    return queryset.filter(Q(name__contains=value) | Q(code__startswith=value))


class RegionFilter(FilterSet):
    q = django_filters.CharFilter(label="名称或代码", method=search)
    level = django_filters.ChoiceFilter(label="层级", choices=Level.choices, empty_label="全部层级")
    parent = django_filters.CharFilter(
        label="上级区划", field_name="parent__code", widget=RegionCodePicker()
    )
    within = within_filter()

    class Meta:
        model = Region
        fields = ["q", "level", "parent", "within"]

    def filter_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        region = Region.objects.filter(code=value).first()
        return queryset.subtree(region) if region else queryset.none()  # type: ignore[attr-defined]


class CentreFilter(FilterSet):
    level = django_filters.ChoiceFilter(
        label="层级", field_name="region__level", choices=Level.choices, empty_label="全部层级"
    )
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains")
    established_after = django_filters.DateFilter(
        label="建成不早于", field_name="established_on", lookup_expr="gte"
    )
    established_before = django_filters.DateFilter(
        label="建成不晚于", field_name="established_on", lookup_expr="lte"
    )

    class Meta:
        model = GovernanceCentre
        fields = ["level", "q", "established_after", "established_before"]
