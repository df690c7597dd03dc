"""Base classes for the REST API: the same scoped door as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets


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
