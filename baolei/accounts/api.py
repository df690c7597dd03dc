from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from rest_framework import permissions, serializers

from baolei.accounts.authentication import TokenScopePermission
from baolei.accounts.models import Agency, AgencyKind, Role, User
from baolei.core.api import ScopedReadOnlyViewSet
from baolei.core.filters import FilterSet, IdFilter


class AgencySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "kind_display", "region"]


class AgencyApiFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices)
    region = django_filters.CharFilter(field_name="region__code")

    class Meta:
        model = Agency
        fields = ["kind", "region"]


class AgencyViewSet(ScopedReadOnlyViewSet):
    """单位：按当前用户可见范围过滤。"""

    queryset = Agency.objects.select_related("region")
    serializer_class = AgencySerializer
    filterset_class = AgencyApiFilter
    ordering_fields = ["name", "kind", "region__code"]
    ordering = ["region__code", "name"]
    search_fields = ["name"]


class IsUserAdmin(permissions.BasePermission):
    message = "只有系统管理员或安全管理员可以查看用户。"

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(
            request.user.is_authenticated
            and request.user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)
        )


class UserSerializer(serializers.ModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "agency", "roles", "is_active", "last_login"]

    def get_roles(self, user: User) -> list[str]:
        return sorted(a.role for a in user.role_assignments.all())


class UserApiFilter(FilterSet):
    role = django_filters.ChoiceFilter(field_name="role_assignments__role", choices=Role.choices)
    agency = IdFilter(field_name="agency_id")

    class Meta:
        model = User
        fields = ["role", "agency", "is_active"]


class UserViewSet(ScopedReadOnlyViewSet):
    """用户（仅系统管理员、安全管理员）：按可见范围过滤。"""

    queryset = User.objects.select_related("agency").prefetch_related("role_assignments")
    serializer_class = UserSerializer
    permission_classes = [IsUserAdmin, TokenScopePermission]
    filterset_class = UserApiFilter
    ordering_fields = ["username", "name", "last_login"]
    ordering = ["username"]
    search_fields = ["username", "name"]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().distinct()
