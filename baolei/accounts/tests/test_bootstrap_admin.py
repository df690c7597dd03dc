from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from baolei.accounts.models import Agency, Role, User
from baolei.audit.models import Action, SecurityEvent
from baolei.regions.models import Region

GOOD = "Start#2026pw\n"


def bootstrap(*extra: str, password: str = GOOD) -> str:
    out = io.StringIO()
    call_command(
        "bootstrap_admin",
        "--username=first_secadmin",
        "--name=王安全",
        "--agency=清源市扫黑办",
        "--region=529900000000",
        *extra,
        stdin=io.StringIO(password),
        stdout=out,
    )
    return out.getvalue()


def test_first_security_admin_in_an_empty_database(db: Any, client: Any) -> None:
    out = bootstrap("--region-name=清源市")
    assert "已创建安全管理员 first_secadmin" in out
    user = User.objects.get(username="first_secadmin")
    assert user.roles == {Role.SECURITY_ADMIN}
    assert user.agency == Agency.objects.get(name="清源市扫黑办")
    assert user.agency.region == Region.objects.get(code="529900000000", level="city")
    assert user.check_password(GOOD.strip())
    events = list(SecurityEvent.objects.order_by("seq").values_list("action", "target"))
    assert events == [
        (Action.USER_CREATED, "first_secadmin"),
        (Action.ROLE_GRANT, "first_secadmin"),
    ]
    # It signs in (and, being an administrator, is sent to bind an authenticator).
    response = client.post(
        "/accounts/login/", {"username": "first_secadmin", "password": GOOD.strip()}
    )
    assert response["Location"] == "/accounts/two-factor/enrol/"


def test_the_first_system_admin_joins_the_same_agency(db: Any) -> None:
    bootstrap("--region-name=清源市")
    out = io.StringIO()
    call_command(
        "bootstrap_admin",
        "--username=first_sysadmin",
        "--name=李系统",
        "--role=system_admin",
        "--agency=清源市扫黑办",
        "--region=529900000000",
        stdin=io.StringIO(GOOD),
        stdout=out,
    )
    assert User.objects.get(username="first_sysadmin").agency.name == "清源市扫黑办"
    assert Agency.objects.count() == 1 and Region.objects.count() == 1


def test_a_second_security_admin_is_refused(db: Any) -> None:
    bootstrap("--region-name=清源市")
    with pytest.raises(CommandError, match="已有安全管理员"):
        call_command(
            "bootstrap_admin",
            "--username=another",
            "--name=又一位",
            "--agency=清源市扫黑办",
            "--region=529900000000",
            stdin=io.StringIO(GOOD),
        )
    assert not User.objects.filter(username="another").exists()


def test_unknown_region_without_a_name_is_refused(db: Any) -> None:
    with pytest.raises(CommandError, match="区划 529900000000 不存在"):
        bootstrap()
    assert not User.objects.exists() and not Agency.objects.exists()


def test_weak_password_is_refused_and_nothing_is_created(db: Any) -> None:
    with pytest.raises(CommandError, match="至少 3 类"):
        bootstrap("--region-name=清源市", password="alllowercase\n")
    assert not User.objects.exists()
    assert not Region.objects.exists() and not Agency.objects.exists()


def test_region_code_must_match_its_level(db: Any) -> None:
    with pytest.raises(CommandError, match="与层级"):
        bootstrap("--region-name=清源市", "--region-level=county")
    assert not Region.objects.exists()
