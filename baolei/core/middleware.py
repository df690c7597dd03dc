"""A malformed query parameter on a page: a 400 page that names the parameter in Chinese."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from baolei.core.params import BadQuery


class BadQueryMiddleware:
    """Pages raise ``BadQuery`` from ``baolei.core.params``; the API answers it itself (DRF)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, BadQuery):
            return None
        response = TemplateResponse(
            request,
            "core/bad_query.html",
            {"messages_": exception.messages(), "back": request.path},
            status=400,
        )
        return response.render()
