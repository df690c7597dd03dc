from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from baolei.core.exports import Column
from baolei.core.history import history_rows
from baolei.core.views_base import ScopedDetailView, ScopedListView
from baolei.regions import queries
from baolei.regions.filters import CentreFilter, RegionFilter
from baolei.regions.models import GovernanceCentre, Region


class RegionListView(ScopedListView):
    model = Region
    template_name = "regions/region_list.html"
    filterset_class = RegionFilter
    sort_fields = {"code": "code", "name": "name", "level": "level"}
    default_sort = "code"
    export_title = "行政区划表"
    export_columns = [
        Column("区划代码", lambda r: r.code, 16),
        Column("名称", lambda r: r.name, 24),
        Column("层级", lambda r: r.get_level_display(), 12),
        Column("上级", lambda r: r.parent.name if r.parent else "", 24),
        Column("综治中心", lambda r: r.centre_count > 0, 10),
    ]

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("parent")
            .annotate(centre_count=Count("governance_centre"))
        )


class RegionDetailView(ScopedDetailView):
    model = Region
    slug_field = slug_url_kwarg = "code"
    template_name = "regions/region_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        region = self.object
        user = self.request.user
        context["trail"] = queries.ancestors_in_scope(region, user)
        context["children"] = (
            Region.objects.visible_to(user)
            .filter(parent=region)
            .select_related("governance_centre")
            .annotate(child_count=Count("children"))
        )
        context["centre"] = GovernanceCentre.objects.visible_to(user).filter(region=region).first()
        context["agencies"] = region.agencies.visible_to(user)
        context["coverage"] = queries.centre_coverage(user, within=region)
        context["history_rows"] = history_rows(region)
        return context


class CentreListView(ScopedListView):
    model = GovernanceCentre
    template_name = "regions/centre_list.html"
    filterset_class = CentreFilter
    sort_fields = {"code": "region__code", "name": "name", "established": "established_on"}
    default_sort = "code"
    export_title = "综治中心建设情况表"
    export_columns = [
        Column("区划代码", lambda c: c.region.code, 16),
        Column("所在区划", lambda c: c.region.name, 20),
        Column("层级", lambda c: c.region.get_level_display(), 12),
        Column("综治中心名称", lambda c: c.name, 30),
        Column("建成日期", lambda c: c.established_on, 14),
    ]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["coverage"] = queries.centre_coverage(self.request.user)
        return context


class CentreDetailView(ScopedDetailView):
    model = GovernanceCentre
    template_name = "regions/centre_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["history_rows"] = history_rows(self.object)
        return context
