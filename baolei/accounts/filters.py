from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from baolei.accounts.models import Agency, AgencyKind, Role, User
from baolei.core.filters import FilterSet
from baolei.regions.models import Level


class AgencyFilter(FilterSet):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains")
    kind = django_filters.ChoiceFilter(
        label="单位类别", choices=AgencyKind.choices, empty_label="全部类别"
    )
    level = django_filters.ChoiceFilter(
        label="层级", field_name="region__level", choices=Level.choices, empty_label="全部层级"
    )

    class Meta:
        model = Agency
        fields = ["q", "kind", "level"]


def user_search(queryset: QuerySet, name: str, value: str) -> QuerySet:
    return queryset.filter(Q(username__icontains=value) | Q(name__contains=value))


class UserFilter(FilterSet):
    q = django_filters.CharFilter(label="用户名或姓名", method=user_search)
    role = django_filters.ChoiceFilter(
        label="角色",
        field_name="role_assignments__role",
        choices=Role.choices,
        empty_label="全部角色",
    )
    is_active = django_filters.BooleanFilter(label="状态（启用）")

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]
