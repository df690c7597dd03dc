"""Authentication events come from Django and django-axes as signals; they are
written to the security log here and nowhere else."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from baolei.audit.models import Action
from baolei.audit.services import record_event


@receiver(user_logged_in)
def log_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    factor = getattr(request, "second_factor", "")
    detail = {"second_factor": factor} if factor else None
    record_event(Action.LOGIN, actor=user, request=request, target=user.username, detail=detail)


@receiver(user_logged_out)
def log_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(Action.LOGOUT, actor=user, request=request, target=user.username)


@receiver(user_login_failed)
def log_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    detail = {"second_factor": True} if kwargs.get("second_factor") else None
    record_event(
        Action.LOGIN_FAILED,
        actor=username,
        request=request,
        success=False,
        target=username,
        detail=detail,
    )


@receiver(user_locked_out)
def log_lockout(
    sender: Any, request: Any, username: str | None = None, ip_address: str = "", **kwargs: Any
) -> None:
    record_event(
        Action.LOCKOUT,
        actor=username or "",
        request=request,
        success=False,
        target=username or ip_address,
    )
