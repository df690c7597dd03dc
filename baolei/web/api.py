"""Base classes for the REST API: the same scoped door as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError


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


def query_date(request: Any, name: str, default: date) -> date:
    """A ``YYYY-MM-DD`` query parameter, or the default; anything else is a 400 in Chinese."""
    value = request.query_params.get(name)
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        raise ValidationError({name: "日期格式应为 YYYY-MM-DD。"}) from None


def call(service: Any, **kwargs: Any) -> Any:
    """Run a service from an API view: its Chinese validation messages become a 400
    (a PermissionDenied is DRF's 403 already)."""
    from django.core.exceptions import ValidationError as DjangoValidationError

    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        ) from None
