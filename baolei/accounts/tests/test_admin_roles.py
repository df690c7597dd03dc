"""三员分立 and the security administrator's powers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from baolei.accounts import services
from baolei.accounts.models import Role
from baolei.audit.models import Action, SecurityEvent


def test_only_the_security_admin_grants_roles(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.grant_role(actor=world.sysadmin, user=world.a_clerk, role=Role.REVIEWER)
    services.grant_role(actor=world.secadmin, user=world.a_clerk, role=Role.REVIEWER)
    world.a_clerk.refresh_from_db()
    assert world.a_clerk.has_role(Role.REVIEWER)
    event = SecurityEvent.objects.get(action=Action.ROLE_GRANT)
    assert (event.actor, event.target, event.detail) == (
        "secadmin",
        "a_clerk",
        {"role": "reviewer"},
    )


def test_admin_roles_are_mutually_exclusive(world: Any) -> None:
    with pytest.raises(ValidationError, match="三员分立"):
        services.grant_role(actor=world.secadmin, user=world.sysadmin, role=Role.AUDIT_ADMIN)
    assert world.sysadmin.role_assignments.count() == 1


def test_security_admin_cannot_reach_outside_its_region(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.grant_role(actor=world.a_secadmin, user=world.b_clerk, role=Role.REVIEWER)


def test_ending_sessions_logs_the_user_out(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    assert client.get("/").status_code == 200
    services.end_sessions(actor=world.secadmin, user=world.a_clerk)
    assert client.get("/").status_code == 302
    assert SecurityEvent.objects.filter(action=Action.SESSIONS_ENDED, target="a_clerk").exists()


def test_deactivating_a_user_ends_their_sessions(world: Any, client: Any, login: Any) -> None:
    user_client = client
    user_client.force_login(world.a_clerk)
    from django.test import Client

    admin = Client()
    admin.force_login(world.sysadmin)
    response = admin.post(reverse("accounts:user_action", args=[world.a_clerk.pk, "deactivate"]))
    assert response.status_code == 302
    world.a_clerk.refresh_from_db()
    assert not world.a_clerk.is_active
    assert user_client.get("/").status_code == 302
    history = world.a_clerk.history.first()
    assert history.is_active is False and history.history_user == world.sysadmin


def test_only_the_audit_admin_reads_the_security_log(world: Any, client: Any) -> None:
    for persona in ("sysadmin", "secadmin", "city_leader", "a_clerk"):
        client.force_login(world.users[persona])
        assert client.get(reverse("audit:events")).status_code == 403
    client.force_login(world.auditadmin)
    response = client.get(reverse("audit:events"), {"verify": 1})
    assert response.status_code == 200
    assert "日志链完整" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("sysadmin", 200),
        ("secadmin", 200),
        ("auditadmin", 403),
        ("city_leader", 403),
        ("a_clerk", 403),
    ],
)
def test_user_management_matrix(world: Any, client: Any, persona: str, status: int) -> None:
    client.force_login(world.users[persona])
    assert client.get(reverse("accounts:users")).status_code == status
    assert client.get(reverse("accounts:user", args=[world.a_clerk.pk])).status_code == status


def test_system_admin_creates_a_user_in_its_scope(world: Any, client: Any) -> None:
    client.force_login(world.a_sysadmin)
    form = {
        "username": "new_clerk",
        "name": "新录入员",
        "agency": world.agencies["a_office"].pk,
        "password": "Strong#2026a",
    }
    response = client.post(reverse("accounts:user_create"), form)
    assert response.status_code == 302
    bad = client.post(
        reverse("accounts:user_create"),
        form | {"username": "other", "agency": world.agencies["b_office"].pk},
    )
    assert "选择一个有效的选项" in bad.content.decode()
    weak = client.post(
        reverse("accounts:user_create"), form | {"username": "weak", "password": "abcdefgh"}
    )
    assert "至少 3 类" in weak.content.decode()
    assert SecurityEvent.objects.filter(action=Action.USER_CREATED).count() == 1
