"""Base classes for the REST API: the same scoped door as the pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers, viewsets

from baolei.core.filters import DAY_PATTERN


class ApiViewMixin:
    """API views authenticate by session or token themselves and answer 401/403."""

    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Any:
        view = super().as_view(*args, **kwargs)  # type: ignore[misc]
        # The API authenticates by session or token itself and answers 401/403;
        # the login-page redirect of LoginRequiredMiddleware is for pages only.
        view.login_required = False
        return view


class ScopedViewSetMixin(ApiViewMixin):
    """Rows come from ``Model.objects.visible_to(user)``; out of scope is 404."""

    queryset: Any
    request: Any

    def get_queryset(self) -> QuerySet[Any]:
        return self.queryset.all().visible_to(self.request.user)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


#: A day parameter as the schema states it: within params.FIRST_DAY..LAST_DAY.
DAY = {"type": "string", "format": "date", "pattern": DAY_PATTERN}
PERIOD_PARAMETERS = [
    OpenApiParameter("from", DAY, description="起始日期（YYYY-MM-DD），默认本年1月1日"),
    OpenApiParameter("to", DAY, description="截止日期（YYYY-MM-DD），默认今天；不早于起始日期"),
]


_COUNTS: dict[str, Any] = {}


def counts_schema(name: str, keys: Iterable[str]) -> Any:
    """The schema of an object with one count per key (every key always present); one
    component per name, however often it is used."""
    if name not in _COUNTS:
        _COUNTS[name] = inline_serializer(
            name=name, fields={key: serializers.IntegerField() for key in keys}
        )
    return _COUNTS[name]
