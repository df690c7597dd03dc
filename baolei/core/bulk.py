"""Bulk pushes through the API: many records in one call, all or nothing.

An agency system sends a JSON array; each item is checked as the page checks one
record (its serializer, the action policy, then the service, in order, so a later item
may build on an earlier one). If any item fails, the whole push is rolled back and the
answer is 400 with every failure: ``{"errors": [{"index": 3, "field": "date",
"message": "…"}]}`` (``index`` from 0; ``index`` and ``field`` are null for the
request as a whole). Like ``baolei.core.outcomes``, this is where a service's refusal
becomes the answer; refusals by the policy are written to the security log after the
rollback, which must not take them with it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response

from baolei.core import policy, security_log
from baolei.core.outcomes import messages_of

#: At most this many items in one push.
LIMIT = 500
#: The 400 of a push: its failures; or, when a signed-in browser session's body is no
#: JSON at all, the ``detail`` of the CSRF check, which reads the body before the view.
ERRORS = inline_serializer(
    name="BulkErrors",
    fields={
        "detail": serializers.CharField(required=False, help_text="请求体无法解析时的说明"),
        "errors": inline_serializer(
            name="BulkError",
            many=True,
            required=False,
            fields={
                "index": serializers.IntegerField(
                    allow_null=True, help_text="出错条目的序号（从 0 起）"
                ),
                "field": serializers.CharField(allow_null=True, help_text="出错的字段"),
                "message": serializers.CharField(),
            },
        ),
    },
)


@dataclass
class Push:
    """One push under way: what each item recorded, and what failed."""

    request: Any
    results: list[Any] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    refusals: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def fail(self, index: int | None, name: str | None, message: str) -> None:
        self.errors.append({"index": index, "field": name, "message": str(message)})

    def form(
        self, index: int, item: Any, form_class: type[serializers.Serializer], **context: Any
    ) -> dict[str, Any] | None:
        """The item's fields through its serializer, or None with its errors kept."""
        if not isinstance(item, dict):
            self.fail(index, None, "每一条应为 JSON 对象。")
            return None
        form = form_class(data=item, context=context)
        if form.is_valid():
            return dict(form.validated_data)
        for name, found in form.errors.items():
            for message in found if isinstance(found, list) else [found]:
                self.fail(index, name, message)
        return None

    def allowed(self, index: int, rule: str, record: Any, action: str, name: str) -> bool:
        """The rule the page asks for this record; a refusal is the item's error and an
        entry of the security log, as a page's refusal is."""
        user = self.request.user
        if policy.allows(user, rule, record):
            return True
        self.fail(index, name, policy.reason(user, rule, record))
        target = f"{type(record)._meta.verbose_name} {record.pk}" if record is not None else ""
        detail = {"action": action, "record": getattr(record, "pk", None), "api": True}
        self.refusals.append((target or self.request.path, detail))
        return False

    def run(
        self,
        index: int,
        service: Callable[..., Any],
        *,
        renamed: Mapping[str, str] | None = None,
        refused_field: str | None = None,
        **arguments: Any,
    ) -> Any:
        """The service, in a savepoint of its own; its refusal becomes the item's errors
        (a field named by the service as the item names it: ``renamed``)."""
        try:
            with transaction.atomic():
                result = service(actor=self.request.user, **arguments)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, found in exc.message_dict.items():
                    for message in found:
                        self.fail(index, (renamed or {}).get(name, name), message)
            else:
                for message in messages_of(exc):
                    self.fail(index, None, message)
            return None
        except PermissionDenied as exc:
            for message in messages_of(exc):
                self.fail(index, refused_field, message)
            return None
        self.results.append(result)
        return result


def push(request: Any, noun: str, each: Callable[[Push, int, Any], None]) -> Push | Response:
    """Runs ``each(push, index, item)`` over the array in one transaction; the finished
    push, or the 400 that lists every failure (nothing recorded)."""
    message = f"请求体应为 1 至 {LIMIT} 条{noun}组成的 JSON 数组。"
    try:
        items = request.data
    except ParseError:  # answered in the shape of every other failure of a push
        items = None
    if not isinstance(items, list) or not 1 <= len(items) <= LIMIT:
        return Response(
            {"errors": [{"index": None, "field": None, "message": message}]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    done = Push(request)
    with transaction.atomic():
        for index, item in enumerate(items):
            each(done, index, item)
        if done.errors:
            transaction.set_rollback(True)
    for target, detail in done.refusals:
        security_log.record(
            security_log.ACCESS_DENIED, request=request, success=False, target=target, detail=detail
        )
    if done.errors:
        return Response({"errors": done.errors}, status=status.HTTP_400_BAD_REQUEST)
    return done
