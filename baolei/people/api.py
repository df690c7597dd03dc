from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework import serializers

from baolei.core.api import ScopedReadOnlyViewSet
from baolei.core.filters import FilterSet
from baolei.people.models import Education, Person, Sex
from baolei.regions.models import Region


class PersonSerializer(serializers.ModelSerializer):
    """Numbers only masked: the full values are shown, logged, on the person's page."""

    id_number_masked = serializers.CharField(read_only=True)
    phone_masked = serializers.CharField(read_only=True)
    sex_display = serializers.CharField(source="get_sex_display", read_only=True)
    education_display = serializers.CharField(source="get_education_display", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_number_masked",
            "sex",
            "sex_display",
            "birth_date",
            "ethnicity",
            "education",
            "education_display",
            "party_member",
            "phone_masked",
            "region",
            "region_name",
            "note",
            "created_at",
        ]


class PersonApiFilter(FilterSet):
    name = django_filters.CharFilter(lookup_expr="contains")
    id_number = django_filters.CharFilter(method="filter_id_number")
    within = django_filters.CharFilter(method="filter_within")
    sex = django_filters.ChoiceFilter(choices=Sex.choices)
    education = django_filters.ChoiceFilter(choices=Education.choices)
    party_member = django_filters.BooleanFilter()

    class Meta:
        model = Person
        fields = ["name", "id_number", "within", "sex", "education", "party_member"]

    def filter_id_number(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.with_id_number(value)  # type: ignore[attr-defined]

    def filter_within(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        region = Region.objects.filter(code=value).first()
        return queryset.filter(region__code__under=region.prefix) if region else queryset.none()


class PersonViewSet(ScopedReadOnlyViewSet):
    """人员信息：按当前用户可见范围过滤；身份证号码和联系电话只给出脱敏形式。

    `within` 为区划代码（含下级区划），`id_number` 按检索码精确查找。"""

    queryset = Person.objects.select_related("region")
    serializer_class = PersonSerializer
    filterset_class = PersonApiFilter
    ordering_fields = ["name", "birth_date", "region__code", "created_at"]
    ordering = ["name", "id"]
    search_fields = ["name"]
