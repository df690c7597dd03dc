from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import run_checks

from baolei.accounts.checks import check_proxy_count
from baolei.audit.models import Action, SecurityEvent
from baolei.conftest import PASSWORD

LOGIN = "/accounts/login/"
PROXY = "127.0.0.1"


def attempt(client: Any, username: str, password: str, forwarded: str) -> Any:
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.fixture
def one_proxy(settings: Any) -> None:
    settings.PROXY_COUNT = 1


def test_failures_from_one_forwarded_address_do_not_lock_another(
    world: Any, client: Any, one_proxy: None
) -> None:
    for i in range(5):
        attempt(client, f"nobody{i}", "wrong", forwarded="10.2.2.2")
    assert attempt(client, "a_reviewer", PASSWORD, forwarded="10.3.3.3").status_code == 302
    client.logout()
    assert attempt(client, "a_reviewer", PASSWORD, forwarded="10.2.2.2").status_code == 429


def test_a_locked_username_does_not_lock_everyone_behind_the_proxy(
    world: Any, client: Any, one_proxy: None
) -> None:
    for n in range(5):
        attempt(client, "city_leader", "wrong", forwarded=f"10.1.{n}.1")
    assert attempt(client, "city_leader", PASSWORD, forwarded="10.50.0.2").status_code == 429
    assert attempt(client, "a_clerk", PASSWORD, forwarded="10.50.0.2").status_code == 302


def test_the_security_log_names_the_forwarded_client(
    world: Any, client: Any, one_proxy: None
) -> None:
    attempt(client, "a_clerk", "wrong", forwarded="10.4.4.4")
    assert SecurityEvent.objects.get(action=Action.LOGIN_FAILED).ip == "10.4.4.4"


def test_addresses_the_client_wrote_itself_are_ignored(
    world: Any, client: Any, one_proxy: None
) -> None:
    for i in range(5):
        attempt(client, f"nobody{i}", "wrong", forwarded=f"6.6.6.{i}, 10.2.2.2")
    assert {e.ip for e in SecurityEvent.objects.filter(action=Action.LOGIN_FAILED)} == {"10.2.2.2"}
    assert attempt(client, "a_reviewer", PASSWORD, forwarded="10.2.2.2").status_code == 429


def test_without_proxies_the_forwarded_header_is_ignored(world: Any, client: Any) -> None:
    attempt(client, "a_clerk", "wrong", forwarded="10.4.4.4")
    assert SecurityEvent.objects.get(action=Action.LOGIN_FAILED).ip == PROXY


def test_deploy_check_is_quiet_when_the_proxy_count_is_honoured(settings: Any) -> None:
    settings.PROXY_COUNT = 2
    assert check_proxy_count() == []


def test_deploy_check_warns_when_the_proxy_count_cannot_be_honoured(settings: Any, db: Any) -> None:
    settings.PROXY_COUNT = 1
    settings.AXES_CLIENT_IP_CALLABLE = None
    warnings = [w for w in run_checks(include_deployment_checks=True) if w.id == "baolei.W001"]
    assert len(warnings) == 1
    assert "BAOLEI_PROXY_COUNT=1" in warnings[0].msg
