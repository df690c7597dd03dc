"""Force a password change once the password is older than the configured age."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from baolei.audit.models import Action
from baolei.audit.services import record_event


def password_expired(user: Any) -> bool:
    if getattr(user, "is_system", False):
        return False  # a system account has no password; its tokens expire instead
    changed = user.password_changed_at
    if changed is None:
        return True
    return timezone.now() - changed > timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


class PasswordExpiryMiddleware:
    """定期更换鉴别信息: every page redirects to the change form until it is done."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and password_expired(user):
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith(
                "/" + settings.STATIC_URL.lstrip("/")
            ):
                if request.path.startswith("/api/"):
                    return HttpResponse(
                        '{"detail": "密码已过期，请先修改密码。"}',
                        status=403,
                        content_type="application/json",
                    )
                return redirect("accounts:password_change")
        return self.get_response(request)


SESSION_TOUCHED = "_touched"
SESSION_TOUCH_SECONDS = 60


class SessionTouchMiddleware:
    """The idle timeout without a session write on every request: a signed-in session
    is saved again (its expiry pushed SESSION_COOKIE_AGE ahead) only when its last
    touch is more than a minute old, so concurrent reads do not rewrite it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or not session.get("_auth_user_id"):
            return response
        now = int(timezone.now().timestamp())
        touched = session.get(SESSION_TOUCHED)
        if (
            session.modified  # saved anyway: record the touch
            or not isinstance(touched, int)
            or now - touched >= SESSION_TOUCH_SECONDS
        ):
            session[SESSION_TOUCHED] = now
        return response


class SystemCallLogMiddleware:
    """Every API call of a system account is in the security log under that account:
    its method, address, answer and token (a person's reads are not logged one by one;
    a system's are, since no one watches it work)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(user, "is_system", False) and request.path.startswith("/api/"):
            token = getattr(request, "auth", None)
            record_event(
                Action.API_CALL,
                actor=user,
                request=request,
                success=response.status_code < 400,
                target=request.path[:200],
                detail={
                    "method": request.method,
                    "status": response.status_code,
                    "token": getattr(token, "prefix", ""),
                },
            )
        return response
