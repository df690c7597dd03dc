"""Base classes for the REST API: the same scoped door as the pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, viewsets

from baolei.core import idempotency, params
from baolei.core.filters import DAY_PATTERN


class ApiViewMixin:
    """API views authenticate by session or token themselves and answer 401/403; their
    writes accept an ``Idempotency-Key``."""

    idempotent: Any = None

    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Any:
        view = super().as_view(*args, **kwargs)  # type: ignore[misc]
        # The API authenticates by session or token itself and answers 401/403;
        # the login-page redirect of LoginRequiredMiddleware is for pages only.
        view.login_required = False
        return view

    # Safe retries (baolei.core.idempotency): a write with an Idempotency-Key runs in one
    # transaction that first claims the key, so a concurrent retry waits, then replays.

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.method in idempotency.WRITES and idempotency.META in request.META:
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        self.idempotent = None
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.method in idempotency.WRITES:
            key = idempotency.key_of(request)
            if key is not None:
                asked = idempotency.fingerprint(request)
                self.idempotent = idempotency.store().claim(request.user, key, asked)

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, idempotency.Replay):
            return exc.response
        return super().handle_exception(exc)  # type: ignore[misc]

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        claimed = getattr(self, "idempotent", None)
        if claimed is not None:
            self.idempotent = None
            idempotency.store().keep(claimed, response)
        return response


class ScopedViewSetMixin(ApiViewMixin):
    """Rows come from ``Model.objects.visible_to(user)``; out of scope is 404."""

    queryset: Any
    request: Any
    #: The keyword by which the module's services take this viewset's record
    #: (``case=``, ``clue=``); see ``act``.
    record_name: str = ""

    def get_queryset(self) -> QuerySet[Any]:
        return self.queryset.all().visible_to(self.request.user)

    def act(self, request: Any, form_class: type[serializers.Serializer], run: Any) -> Any:
        """A write on one record as its page does it: the record through the scoped door
        and the policy (404 unseen, 403 refused, before the body is read), the body through
        the action's serializer (which sees the user and the record), then the page's
        service with the user as actor."""
        record = self.get_object()  # type: ignore[attr-defined]
        form = form_class(data=request.data, context={"user": request.user, "record": record})
        form.is_valid(raise_exception=True)
        return run(actor=request.user, **{self.record_name: record}, **form.validated_data)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


def example(summary: str, value: Any) -> list[OpenApiExample]:
    """A write's request example for the schema, in Chinese."""
    return [OpenApiExample(summary, value=value, request_only=True)]


#: A day parameter as the schema states it: within params.FIRST_DAY..LAST_DAY.
DAY = {"type": "string", "format": "date", "pattern": DAY_PATTERN}


@extend_schema_field(DAY)
class DayField(serializers.DateField):
    """A day of a write within params.FIRST_DAY..LAST_DAY, refused in Chinese otherwise."""

    default_error_messages = {"invalid": params.DAY_RANGE_MESSAGE}

    def to_internal_value(self, value: Any) -> Any:
        day = super().to_internal_value(value)
        if not params.FIRST_DAY <= day <= params.LAST_DAY:
            self.fail("invalid")
        return day


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
