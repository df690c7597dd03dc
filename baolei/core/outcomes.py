"""How a service's answer reaches the user: the one mapping from service errors to
pages and API responses.

Services say no in three ways, and every view and viewset leaves the translation here:

- ``ValidationError`` — the request is wrong; nothing was changed. A form page shows
  the messages beside the field they name (or above the form); an action on a record
  page shows them as messages and returns to the record; the API answers 400 with the
  field errors.
- ``StaleVersion`` (a ``ValidationError``) — the record changed since the user read it:
  on a page the same as above, in the API 409.
- ``PermissionDenied`` — the user may not do this: the Chinese refusal page
  (``templates/403.html``) or, in the API, 403 with the Chinese reason as ``detail``.

Views never catch these themselves (a test walks the URL resolver and fails on one
that does); they build on ``ServiceFormMixin`` (create and edit forms) or
``ActionView`` (POST actions on one record, one form per action, unknown action 404).
A ``ValidationError`` that escapes any other page is answered by
``ServiceErrorMiddleware`` with a 400 page that lists the messages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views import View
from rest_framework import exceptions as api_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from baolei.core.errors import StaleVersion
from baolei.core.views_base import PolicyRequiredMixin, ScopedViewMixin, acting_user, require

#: The refusal when a service gives no reason of its own.
DEFAULT_REFUSAL = "您的单位或角色无权办理此事项。"


def messages_of(exc: ValidationError | PermissionDenied) -> list[str]:
    """The Chinese sentences of a service error, each once."""
    if isinstance(exc, ValidationError):
        found = [str(m) for m in exc.messages]
    else:
        found = [str(exc)] if str(exc) else [DEFAULT_REFUSAL]
    return list(dict.fromkeys(found))


def form_errors(form: forms.BaseForm) -> list[str]:
    """A bound form's errors as sentences that name the field's label."""
    found = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}：" if field is not None and field.label else ""
        found.append(label + "；".join(str(e) for e in errors))
    return found


def add_to_form(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's errors onto the form: beside the field they name, else above it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, messages_of(exc))


class ServiceFormMixin(PolicyRequiredMixin):
    """A create or edit page: ``permission`` names the policy's rule (asked before the
    form is shown), ``perform(form)`` calls the service and returns the response; a
    ``ValidationError`` shows the form again with the service's messages."""

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return self.perform(form)
        except ValidationError as exc:
            add_to_form(form, exc)
            return self.form_invalid(form)  # type: ignore[attr-defined]

    def perform(self, form: Any) -> HttpResponse:
        raise NotImplementedError


class NoFields(forms.Form):
    """An action that takes nothing but the record (重新运行, 查看完整号码)."""


@dataclass(frozen=True)
class Operation:
    """One POST action on a record: the form whose cleaned data are the service's
    arguments, the service (called as ``run(actor=…, <record>=…, **cleaned_data)``)
    and the words that say what was done ("已验收"), to which the page adds the record's
    label: "已验收：TZ2026-00007。"."""

    run: Callable[..., Any]
    form: Callable[..., forms.BaseForm] = NoFields
    done: str = "已办理"
    #: The rule of ``baolei.core.policy`` asked before the form is read ("ledger.cancel").
    permission: str = ""
    #: The action's name on the record page's button and dialog ("交办", "办结").
    title: str = ""
    #: The question asked before an action that cannot be undone; ``{label}`` is the
    #: record's number ("确定办结线索 {label}？").
    confirm: str = ""


@dataclass(frozen=True)
class PageAction:
    """One action a record page offers the user: a button that opens its own dialog
    with its form (``core/_actions.html``), so the page shows one form at a time."""

    name: str
    title: str
    form: forms.BaseForm
    url: str
    confirm: str = ""

    @property
    def dialog(self) -> str:
        return f"action-{self.name}"


class ActionView(ScopedViewMixin, View):
    """POST actions on one record fetched through ``visible_to``: the action named by
    the URL (``<action>``) or the ``action`` field, one form per action, an unknown
    action 404. An invalid form or a service's ``ValidationError`` becomes messages on
    the record's page; a ``PermissionDenied`` is the refusal page."""

    http_method_names = ["post"]
    actions: ClassVar[Mapping[str, Operation]] = {}
    #: The keyword under which the service receives the record ("clue", "item", …);
    #: empty for an action on a set of records, which ``arguments`` selects.
    record_name: ClassVar[str] = ""
    #: The URL name of the record's page, reversed with its pk.
    record_url: ClassVar[str] = ""
    #: The action of a URL that does one thing (``…/decide/``).
    default_action: ClassVar[str] = ""

    def action_name(self) -> str:
        named = self.kwargs.get("action") or self.request.POST.get("action")
        return str(named or self.default_action)

    def get_record(self) -> Any:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @classmethod
    def offered(cls, name: str, record: Any) -> bool:
        """Whether the record's page offers the action in the record's present state
        (a closed item offers no 延期); who may use it is the policy's to say."""
        return True

    @classmethod
    def menu(
        cls, user: Any, record: Any, url_name: str, offer: Mapping[str, forms.BaseForm]
    ) -> list[PageAction]:
        """The actions of ``offer`` (name → unbound form) that the record's page shows
        this user: offered in the record's state and allowed by the policy, in order."""
        from django.urls import reverse

        from baolei.core import policy

        found = []
        for name, form in offer.items():
            action = cls.actions[name]
            if not cls.offered(name, record):
                continue
            if action.permission and not policy.allows(user, action.permission, record):
                continue
            label = cls.label_of(record)
            found.append(
                PageAction(
                    name=name,
                    title=action.title or action.done.removeprefix("已"),
                    form=form,
                    url=reverse(url_name, args=[record.pk, name]),
                    confirm=action.confirm.format(label=label) if action.confirm else "",
                )
            )
        return found

    @classmethod
    def label_of(cls, record: Any) -> str:
        """How the record is named in messages and questions (its number)."""
        return ""

    def label(self, record: Any) -> str:
        """How the success message names the record (its number)."""
        return self.label_of(record)

    def refusal_detail(self, name: str, record: Any) -> dict[str, Any]:
        return {"action": name, "record": getattr(record, "pk", None)}

    def form_kwargs(self, name: str, record: Any) -> dict[str, Any]:
        """Extra keyword arguments for the action's form (the record, the user…)."""
        return {}

    def arguments(self, name: str, record: Any, data: dict[str, Any]) -> dict[str, Any]:
        """The service's arguments from the form's cleaned data (the same by default)."""
        return data

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.get_record()
        name = self.action_name()
        action = self.actions.get(name)
        if action is None:
            raise Http404("未知操作")
        if action.permission:
            require(request, action.permission, record, self.refusal_detail(name, record))
        form = action.form(request.POST, request.FILES, **self.form_kwargs(name, record))
        result: Any = None
        if form.is_valid():
            try:
                on = {self.record_name: record} if self.record_name else {}
                result = action.run(
                    actor=acting_user(request),
                    **on,
                    **self.arguments(name, record, dict(form.cleaned_data)),
                )
            except ValidationError as exc:
                errors = messages_of(exc)
            else:
                errors = []
        else:
            errors = form_errors(form)
        label = self.label(record)
        done = f"{action.done}：{label}。" if label else f"{action.done}。"
        return self.respond(name, record, errors, done, result)

    def respond(
        self, name: str, record: Any, errors: list[str], done: str, result: Any
    ) -> HttpResponse:
        """Messages, then back to the record's page (or where ``back_to`` says)."""
        for message in errors:
            messages.error(self.request, message)
        if not errors and done:
            messages.success(self.request, done)
        return redirect(self.back_to(record, result))

    def back_to(self, record: Any, result: Any) -> str:
        return str(redirect(self.record_url, pk=record.pk).url)


class ServiceErrorMiddleware:
    """The net under every page: a ``ValidationError`` that escapes a view is a 400
    page listing its messages, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ValidationError):
            return None
        response = TemplateResponse(
            request,
            "core/refused.html",
            {"messages_": messages_of(exception), "back": request.META.get("HTTP_REFERER", "")},
            status=400,
        )
        return response.render()


class Conflict(api_exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "该记录已被他人修改，请刷新后重试。"
    default_code = "conflict"


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler with the service errors mapped: 400 with field errors, 409 on a
    stale version, 403 with the Chinese reason."""
    if isinstance(exc, StaleVersion):
        exc = Conflict(messages_of(exc)[0])
    elif isinstance(exc, ValidationError):
        exc = api_exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else messages_of(exc)
        )
    elif isinstance(exc, PermissionDenied | api_exceptions.PermissionDenied):
        reason = str(exc.detail) if isinstance(exc, api_exceptions.APIException) else str(exc)
        if not reason or reason == str(api_exceptions.PermissionDenied.default_detail):
            reason = DEFAULT_REFUSAL
        exc = api_exceptions.PermissionDenied(reason)
    return drf_exception_handler(exc, context)
