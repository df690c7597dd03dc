from __future__ import annotations

import django_filters
from rest_framework import serializers

from baolei.core.api import ScopedReadOnlyViewSet
from baolei.core.filters import FilterSet
from baolei.regions.models import GovernanceCentre, Level, Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_display", "parent"]


class RegionApiFilter(FilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices)
    parent = django_filters.CharFilter(field_name="parent__code")
    name = django_filters.CharFilter(lookup_expr="contains")

    class Meta:
        model = Region
        fields = ["level", "parent", "name"]


class RegionViewSet(ScopedReadOnlyViewSet):
    """行政区划：按当前用户可见范围过滤。"""

    queryset = Region.objects.select_related("parent")
    serializer_class = RegionSerializer
    filterset_class = RegionApiFilter
    ordering_fields = ["code", "name", "level"]
    ordering = ["code"]
    search_fields = ["name", "code"]
    lookup_field = "code"


class CentreSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    level = serializers.CharField(source="region.level", read_only=True)

    class Meta:
        model = GovernanceCentre
        fields = ["id", "name", "region", "region_name", "level", "established_on"]


class CentreApiFilter(FilterSet):
    level = django_filters.ChoiceFilter(field_name="region__level", choices=Level.choices)
    established_after = django_filters.DateFilter(field_name="established_on", lookup_expr="gte")

    class Meta:
        model = GovernanceCentre
        fields = ["level", "established_after"]


class CentreViewSet(ScopedReadOnlyViewSet):
    """综治中心：按当前用户可见范围过滤。"""

    queryset = GovernanceCentre.objects.select_related("region")
    serializer_class = CentreSerializer
    filterset_class = CentreApiFilter
    ordering_fields = ["region__code", "established_on", "name"]
    ordering = ["region__code"]
    search_fields = ["name"]
