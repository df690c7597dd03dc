from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from baolei.core.filters import FilterSet
from baolei.core.pickers import PickerSelect
from baolei.people.models import Person, Sex
from baolei.regions.models import VILLAGE_LEVELS, Level, Region

YES_NO = [("", "全部"), ("true", "是"), ("false", "否")]


def regions_above_villages(request: Any) -> QuerySet[Region]:
    if request is None:
        return Region.objects.none()
    return Region.objects.visible_to(request.user).exclude(level__in=VILLAGE_LEVELS)


class PersonFilter(FilterSet):
    """The list page's filters.  The page swaps a typed ID number for its keyed hash
    (``?id_key=``) before querying, so no URL, export record or security-log entry
    carries the number itself; ``id_number`` serves the API and direct links."""

    name = django_filters.CharFilter(label="姓名", lookup_expr="contains")
    id_number = django_filters.CharFilter(label="身份证号码", method="filter_id_number")
    region = django_filters.ModelChoiceFilter(
        label="所属区划（含下级）",
        queryset=regions_above_villages,
        to_field_name="code",
        method="filter_region",
        empty_label="全部区划",
        widget=PickerSelect(
            "web:pick_regions",
            {"key": ["code"], "level": [Level.CITY, Level.COUNTY, Level.TOWNSHIP]},
            attrs={"data-placeholder": "全部区划"},
        ),
    )
    sex = django_filters.ChoiceFilter(label="性别", choices=Sex.choices, empty_label="全部")
    party_member = django_filters.BooleanFilter(
        label="中共党员", widget=forms.Select(choices=YES_NO)
    )

    class Meta:
        model = Person
        fields = ["name", "id_number", "region", "sex", "party_member"]

    def filter_id_number(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_id_number(value)  # type: ignore[attr-defined]

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return queryset.filter(region__code__under=value.prefix)
