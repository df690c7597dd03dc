from __future__ import annotations

from typing import Any

from django.urls import reverse

from baolei.accounts.models import PasswordHistory
from baolei.audit.models import Action, SecurityEvent
from baolei.conftest import PASSWORD

CHANGE = "/accounts/password/"
REUSED = "新密码不能与最近 5 次使用过的密码（含当前密码）相同。"


def change(client: Any, old: str, new: str) -> Any:
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def relogin(client: Any, user: Any) -> None:
    # A password change ends the session; sign in again with the new hash.
    user.refresh_from_db()
    client.force_login(user)


def test_the_same_password_is_not_a_change(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    changed_at = world.a_clerk.password_changed_at
    response = change(client, PASSWORD, PASSWORD)
    assert response.status_code == 200
    assert REUSED in response.content.decode()
    world.a_clerk.refresh_from_db()
    assert world.a_clerk.password_changed_at == changed_at
    assert not SecurityEvent.objects.filter(action=Action.PASSWORD_CHANGE).exists()


def test_the_last_five_passwords_cannot_come_back(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    passwords = [PASSWORD] + [f"Fresh#2026x{n}" for n in range(1, 6)]
    for old, new in zip(passwords, passwords[1:4], strict=False):
        assert change(client, old, new).status_code == 302
        relogin(client, world.a_clerk)
    # Now on the 4th password: the first three and the current one are all refused.
    for earlier in passwords[:4]:
        response = change(client, passwords[3], earlier)
        assert REUSED in response.content.decode(), earlier
    assert change(client, passwords[3], passwords[4]).status_code == 302
    relogin(client, world.a_clerk)
    assert change(client, passwords[4], passwords[5]).status_code == 302
    relogin(client, world.a_clerk)
    # Six passwords so far: the oldest has left the last five and may be used again.
    assert change(client, passwords[5], PASSWORD).status_code == 302
    assert PasswordHistory.objects.filter(user=world.a_clerk).count() == 5


def test_history_keeps_hashes_only(world: Any) -> None:
    stored = PasswordHistory.objects.filter(user=world.a_clerk).values_list("password", flat=True)
    assert list(stored) and all(PASSWORD not in value for value in stored)
