"""My notifications through the API: list (``?unread=true``), mark one or all read."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.core.api import ScopedReadOnlyViewSet
from baolei.core.filters import FilterSet
from baolei.notices import queries, services
from baolei.notices.models import Notification


class NoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "link", "created_at", "read_at"]


class NoticeFilter(FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="只看未读"
    )

    class Meta:
        model = Notification
        fields = ["unread"]


READ_ALL = inline_serializer(name="NoticesReadAll", fields={"marked": serializers.IntegerField()})


class NoticeViewSet(ScopedReadOnlyViewSet):
    """本人的通知（未读在前，新的在前）；``?unread=true`` 只列未读。只能读取和标记本人的通知。"""

    queryset = Notification.objects.all()
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter
    ordering_fields: list[str] = []

    def get_queryset(self) -> Any:
        return queries.in_list_order(super().get_queryset())

    @extend_schema(request=None, responses=NoticeSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        """标为已读。"""
        notice = services.mark_read(actor=request.user, notice=self.get_object())  # type: ignore[arg-type]
        return Response(NoticeSerializer(notice).data)

    @extend_schema(request=None, responses=READ_ALL)
    @action(
        detail=False,
        methods=["post"],
        url_path="read-all",
        filter_backends=[],
        pagination_class=None,
    )
    def read_all(self, request: Request, **kwargs: Any) -> Response:
        """全部标为已读，返回标记的条数。"""
        return Response({"marked": services.mark_all_read(actor=request.user)})  # type: ignore[arg-type]
