"""API tokens: issued on a page and shown once, expire, end with the user's sessions,
obey password expiry, listed and revoked by their owner and the security administrator."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from baolei.accounts import services
from baolei.accounts.models import ApiToken
from baolei.accounts.tokens import MODULES, issue_token
from baolei.audit.models import Action, SecurityEvent
from baolei.conftest import PASSWORD

API = "/api/v1/regions/"


def call(client: Any, key: str) -> Any:
    client.logout()
    return client.get(API, headers={"Authorization": f"Token {key}"})


def issue_on_page(client: Any, user: Any, name: str = "台账同步脚本") -> str:
    client.force_login(user)
    response = client.post("/accounts/tokens/", {"name": name, "read": list(MODULES)})
    assert response.status_code == 200
    match = re.search(r'id="new-token">(bl_[A-Za-z0-9_-]+)<', response.content.decode())
    assert match, "the new key is shown on the page"
    return match.group(1)


def test_token_is_shown_once_stored_as_digest_and_authenticates(world: Any, client: Any) -> None:
    key = issue_on_page(client, world.a_clerk)
    token = ApiToken.objects.get(user=world.a_clerk)
    assert token.digest != key and key not in token.digest
    assert SecurityEvent.objects.filter(
        action=Action.TOKEN_CREATED, actor="a_clerk", detail__token=token.prefix
    ).exists()
    listing = client.get("/accounts/tokens/").content.decode()
    assert token.prefix in listing and key not in listing and "有效" in listing
    response = call(client, key)
    assert response.status_code == 200
    assert [r["name"] for r in response.json()["results"]][:1] == ["甲县"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_without_a_purpose_is_refused(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    response = client.post("/accounts/tokens/", {"name": "  "})
    assert "请填写令牌用途" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_expires_after_the_configured_days(world: Any, client: Any, settings: Any) -> None:
    settings.API_TOKEN_DAYS = 7
    token, key = issue_token(actor=world.a_clerk, name="脚本")
    assert token.expires_at - token.created_at == timedelta(days=7)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert call(client, key).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = call(client, key)
    assert response.status_code == 401
    assert "令牌已过期" in response.json()["detail"]


def test_sign_out_everywhere_ends_the_token(world: Any, client: Any) -> None:
    _, key = issue_token(actor=world.a_clerk, name="脚本")
    assert call(client, key).status_code == 200
    services.end_sessions(actor=world.secadmin, user=world.a_clerk)
    response = call(client, key)
    assert response.status_code == 401 and "已失效" in response.json()["detail"]


def test_deactivation_ends_the_token(world: Any, client: Any) -> None:
    _, key = issue_token(actor=world.a_clerk, name="脚本")
    services.set_active(actor=world.secadmin, user=world.a_clerk, active=False)
    assert call(client, key).status_code == 401
    services.set_active(actor=world.secadmin, user=world.a_clerk, active=True)
    assert call(client, key).status_code == 401  # reactivation does not revive it


def test_password_change_ends_the_token(world: Any, client: Any) -> None:
    key = issue_on_page(client, world.a_clerk)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Another#Pass2027",
            "new_password2": "Another#Pass2027",
        },
    )
    assert response.status_code == 302
    response = call(client, key)
    assert response.status_code == 401 and "已失效" in response.json()["detail"]


def test_expired_password_refuses_the_token_as_it_refuses_the_session(
    world: Any, client: Any
) -> None:
    _, key = issue_token(actor=world.a_clerk, name="脚本")
    world.a_clerk.password_changed_at = timezone.now() - timedelta(days=91)
    world.a_clerk.save(update_fields=["password_changed_at"])
    client.force_login(world.a_clerk)
    by_session = client.get(API)
    by_token = call(client, key)
    assert by_session.status_code == by_token.status_code == 403
    assert by_session.json() == by_token.json() == {"detail": "密码已过期，请先修改密码。"}


@pytest.mark.parametrize(
    "header", ["Token bl_unknown", "Token", "Token a b", "Token 令牌"], ids=str
)
def test_unknown_or_malformed_token_is_401(world: Any, client: Any, header: str) -> None:
    response = client.get(API, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["detail"].startswith("令牌")


def test_owner_revokes_own_token(world: Any, client: Any) -> None:
    token, key = issue_token(actor=world.a_clerk, name="脚本")
    client.force_login(world.a_clerk)
    response = client.post("/accounts/tokens/revoke/", {"token": token.pk})
    assert response.status_code == 302
    assert call(client, key).status_code == 401
    token.refresh_from_db()
    assert token.revoked_by == world.a_clerk
    assert SecurityEvent.objects.filter(action=Action.TOKEN_REVOKED, target="a_clerk").exists()


def test_colleague_cannot_revoke_a_token(world: Any, client: Any) -> None:
    token, key = issue_token(actor=world.a_clerk, name="脚本")
    client.force_login(world.a_reviewer)
    client.post("/accounts/tokens/revoke/", {"token": token.pk})
    assert "a_clerk" not in client.get("/accounts/tokens/").content.decode()
    assert call(client, key).status_code == 200


def test_security_admin_lists_and_revokes_tokens_in_scope(world: Any, client: Any) -> None:
    token, key = issue_token(actor=world.a_clerk, name="甲县脚本")
    outside, outside_key = issue_token(actor=world.b_clerk, name="乙县脚本")
    client.force_login(world.users["a_secadmin"])
    page = client.get("/accounts/tokens/all/").content.decode()
    assert "甲县脚本" in page and "乙县脚本" not in page
    client.post("/accounts/tokens/revoke/", {"token": outside.pk, "back": "admin"})
    assert call(client, outside_key).status_code == 200  # outside the county: untouched
    client.force_login(world.users["a_secadmin"])
    response = client.post("/accounts/tokens/revoke/", {"token": token.pk, "back": "admin"})
    assert response["Location"] == "/accounts/tokens/all/"
    assert call(client, key).status_code == 401
    client.force_login(world.secadmin)
    page = client.get("/accounts/tokens/all/").content.decode()
    assert "乙县脚本" in page and "已吊销" in page


def test_token_admin_page_is_for_the_security_admin(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    assert client.get("/accounts/tokens/all/").status_code == 403


@pytest.mark.parametrize("value", ["", "abc", "99999999999999999999999", "-1"])
def test_bad_revoke_input_is_a_message_not_an_error(world: Any, client: Any, value: str) -> None:
    client.force_login(world.a_clerk)
    response = client.post("/accounts/tokens/revoke/", {"token": value}, follow=True)
    assert response.status_code == 200
    assert "没有找到该令牌" in response.content.decode()
