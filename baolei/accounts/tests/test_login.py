from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from baolei.audit.models import Action, SecurityEvent
from baolei.conftest import PASSWORD

LOGIN = "/accounts/login/"


def attempt(client: Any, username: str, password: str, ip: str = "10.1.1.1") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_and_logout_are_logged(world: Any, client: Any) -> None:
    response = attempt(client, "a_clerk", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post(reverse("accounts:logout"))
    actions = list(SecurityEvent.objects.order_by("seq").values_list("action", "actor"))
    assert actions == [(Action.LOGIN, "a_clerk"), (Action.LOGOUT, "a_clerk")]


def test_wrong_password_says_so_in_chinese(world: Any, client: Any) -> None:
    response = attempt(client, "a_clerk", "wrong")
    assert "用户名或密码错误" in response.content.decode()
    assert SecurityEvent.objects.get().action == Action.LOGIN_FAILED


def test_five_failures_lock_the_username_for_30_minutes(world: Any, client: Any) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for i in range(5):
            attempt(client, "a_clerk", "wrong", ip=f"10.0.0.{i}")
        locked = attempt(client, "a_clerk", PASSWORD, ip="10.9.9.9")
        assert locked.status_code == 429
        assert "锁定" in locked.content.decode()
    assert SecurityEvent.objects.filter(action=Action.LOCKOUT).exists()
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert attempt(client, "a_clerk", PASSWORD, ip="10.9.9.9").status_code == 302


def test_five_failures_lock_the_address_for_other_users(world: Any, client: Any) -> None:
    for i in range(5):
        attempt(client, f"nobody{i}", "wrong", ip="10.2.2.2")
    assert attempt(client, "a_reviewer", PASSWORD, ip="10.2.2.2").status_code == 429
    assert attempt(client, "a_reviewer", PASSWORD, ip="10.3.3.3").status_code == 302


def test_idle_session_ends_after_30_minutes(world: Any, client: Any, settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 1800
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt(client, "a_clerk", PASSWORD)
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        assert client.get("/").status_code == 302


def test_reads_do_not_rewrite_the_session_but_keep_it_alive(world: Any, client: Any) -> None:
    from django.contrib.sessions.models import Session

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt(client, "a_clerk", PASSWORD)
        expiry = Session.objects.get().expire_date
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        assert client.get("/").status_code == 200
        assert client.get("/api/v1/regions/").status_code == 200
        assert Session.objects.get().expire_date == expiry  # no write within the minute
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        assert client.get("/").status_code == 200
        assert Session.objects.get().expire_date == expiry + timedelta(minutes=20)
    with time_machine.travel(start + timedelta(minutes=49), tick=False):
        assert client.get("/").status_code == 200  # 29 idle minutes after the last touch
    with time_machine.travel(start + timedelta(minutes=49 + 31), tick=False):
        assert client.get("/").status_code == 302


def test_expired_password_forces_a_change(world: Any, client: Any) -> None:
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        client.force_login(world.a_clerk)
        assert client.get("/regions/")["Location"] == reverse("accounts:password_change")
        assert client.get("/api/v1/regions/").status_code == 403
        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Fresh#2026x",
                "new_password2": "Fresh#2026x",
            },
        )
        assert response.status_code == 302
        assert client.get("/regions/").status_code == 200
    assert SecurityEvent.objects.filter(action=Action.PASSWORD_CHANGE, actor="a_clerk").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1A", "密码长度太短"),
        ("alllowercase", "至少 3 类"),
        ("lowerand123", "至少 3 类"),
    ],
)
def test_weak_passwords_are_refused(world: Any, client: Any, password: str, message: str) -> None:
    client.force_login(world.a_clerk)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_pages_require_login(client: Any, db: Any) -> None:
    response = client.get("/regions/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
