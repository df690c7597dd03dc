from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from baolei.accounts import services
from baolei.audit.models import Action, SecurityEvent
from baolei.conftest import PASSWORD

LOGIN = "/accounts/login/"
VERIFY = "/accounts/login/verify/"
ENROL = "/accounts/two-factor/enrol/"


def sign_in(client: Any, username: str, ip: str = "10.1.1.1") -> Any:
    return client.post(LOGIN, {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip)


def code_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def enrol(user: Any) -> tuple[TOTPDevice, list[str]]:
    device = services.start_two_factor(actor=user)
    codes = services.confirm_two_factor(actor=user, token=code_for(device))
    device.refresh_from_db()
    return device, codes


def signed_in(client: Any) -> bool:
    return client.get("/").status_code == 200


def test_leader_enrols_after_the_password_step(world: Any, client: Any) -> None:
    response = sign_in(client, "city_leader")
    assert response.status_code == 302 and response["Location"] == ENROL
    assert not signed_in(client)
    page = client.get(ENROL).content.decode()
    assert "<svg" in page and "绑定验证器" in page and "https://" not in page
    device = TOTPDevice.objects.get(user=world.city_leader, confirmed=False)
    assert device.key and b"secret=" not in page.encode()  # only the QR code carries the URL
    done = client.post(ENROL, {"token": code_for(device)})
    assert done.status_code == 200
    codes = StaticToken.objects.filter(device__user=world.city_leader)
    assert codes.count() == 10
    assert all(code.token in done.content.decode() for code in codes)
    assert signed_in(client)
    login = SecurityEvent.objects.get(action=Action.LOGIN)
    assert login.detail == {"second_factor": "totp"}
    assert SecurityEvent.objects.filter(
        action=Action.TWO_FACTOR_ENROLLED, actor="city_leader"
    ).exists()


def test_wrong_enrolment_code_binds_nothing_and_counts_as_a_failure(
    world: Any, client: Any
) -> None:
    sign_in(client, "secadmin")
    client.get(ENROL)
    response = client.post(ENROL, {"token": "000000"})
    assert "动态码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.secadmin, confirmed=True).exists()
    assert not signed_in(client)
    failed = SecurityEvent.objects.get(action=Action.LOGIN_FAILED)
    assert failed.actor == "secadmin" and failed.detail == {"second_factor": True}


def test_every_administrator_role_must_use_two_factor(world: Any, client: Any) -> None:
    for username in ("sysadmin", "secadmin", "auditadmin", "city_leader"):
        client.logout()
        assert sign_in(client, username)["Location"] == ENROL, username


def test_clerk_signs_in_with_the_password_alone(world: Any, client: Any) -> None:
    response = sign_in(client, "a_clerk")
    assert response.status_code == 302 and response["Location"] == "/"


def test_enrolled_user_needs_the_current_code(world: Any, client: Any) -> None:
    device, _ = enrol(world.city_leader)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        response = sign_in(client, "city_leader")
        assert response["Location"] == VERIFY
        assert not signed_in(client)
        wrong = client.post(
            VERIFY, {"token": "123456" if code_for(device) != "123456" else "654321"}
        )
        assert "动态码或恢复码不正确" in wrong.content.decode()
        assert not signed_in(client)
        right = client.post(VERIFY, {"token": code_for(device)})
        assert right.status_code == 302 and right["Location"] == "/"
        assert signed_in(client)


def test_the_next_parameter_survives_the_second_step(world: Any, client: Any) -> None:
    device, _ = enrol(world.city_leader)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        client.post(LOGIN, {"username": "city_leader", "password": PASSWORD, "next": "/regions/"})
        assert client.post(VERIFY, {"token": code_for(device)})["Location"] == "/regions/"


def test_a_recovery_code_signs_in_once(world: Any, client: Any) -> None:
    _, codes = enrol(world.city_leader)
    sign_in(client, "city_leader")
    response = client.post(VERIFY, {"token": codes[0].upper()})
    assert response.status_code == 302 and signed_in(client)
    assert SecurityEvent.objects.get(action=Action.LOGIN).detail == {
        "second_factor": "recovery_code"
    }
    client.logout()
    sign_in(client, "city_leader")
    again = client.post(VERIFY, {"token": codes[0]})
    assert "动态码或恢复码不正确" in again.content.decode()
    assert not signed_in(client)
    assert StaticToken.objects.filter(device__user=world.city_leader).count() == 9


def test_the_password_step_expires_after_five_minutes(world: Any, client: Any) -> None:
    device, _ = enrol(world.city_leader)
    start = timezone.now() + timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        sign_in(client, "city_leader")
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        response = client.post(VERIFY, {"token": code_for(device)})
        assert response["Location"] == reverse("accounts:login")
        assert not signed_in(client)


def test_second_step_pages_need_the_password_first(world: Any, client: Any) -> None:
    assert client.get(VERIFY)["Location"] == reverse("accounts:login")
    assert client.post(ENROL, {"token": "123456"})["Location"] == reverse("accounts:login")
    assert not TOTPDevice.objects.exists()


def test_five_wrong_codes_lock_the_account(world: Any, client: Any) -> None:
    device, _ = enrol(world.city_leader)
    start = timezone.now() + timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        sign_in(client, "city_leader")
        wrong = "000000" if code_for(device) != "000000" else "111111"
        statuses = [client.post(VERIFY, {"token": wrong}).status_code for _ in range(5)]
        assert statuses[:4] == [200] * 4 and statuses[4] == 429
        assert client.post(VERIFY, {"token": code_for(device)}).status_code == 429
        assert not signed_in(client)
        # The username is locked, wherever the password comes from next.
        assert sign_in(client, "city_leader", ip="10.7.7.7").status_code == 429
    assert SecurityEvent.objects.filter(action=Action.LOCKOUT, actor="city_leader").exists()
    second_step = [e.detail for e in SecurityEvent.objects.filter(action=Action.LOGIN_FAILED)]
    assert second_step.count({"second_factor": True}) == 5
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert sign_in(client, "city_leader")["Location"] == VERIFY
        assert client.post(VERIFY, {"token": code_for(device)})["Location"] == "/"


def test_a_clerk_may_enrol_and_is_then_asked_for_the_code(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "尚未启用" in page
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=world.a_clerk)
    assert client.post(ENROL, {"token": code_for(device)}).status_code == 200
    client.logout()
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert sign_in(client, "a_clerk")["Location"] == VERIFY


def test_recovery_codes_can_be_renewed(world: Any, client: Any) -> None:
    _, old = enrol(world.a_clerk)
    client.force_login(world.a_clerk)
    response = client.post(reverse("accounts:two_factor"))
    new = list(
        StaticToken.objects.filter(device__user=world.a_clerk).values_list("token", flat=True)
    )
    assert len(new) == 10 and not set(old) & set(new)
    assert all(code in response.content.decode() for code in new)
    assert SecurityEvent.objects.filter(action=Action.RECOVERY_CODES_RENEWED).exists()


def test_security_admin_resets_a_lost_authenticator(world: Any, client: Any) -> None:
    enrol(world.city_leader)
    epoch = world.city_leader.session_epoch
    client.force_login(world.secadmin)
    url = reverse("accounts:user_action", args=[world.city_leader.pk, "reset-two-factor"])
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.city_leader).exists()
    assert not StaticToken.objects.filter(device__user=world.city_leader).exists()
    world.city_leader.refresh_from_db()
    assert world.city_leader.session_epoch == epoch + 1
    event = SecurityEvent.objects.get(action=Action.TWO_FACTOR_RESET)
    assert event.actor == "secadmin" and event.target == "city_leader"
    client.logout()
    assert sign_in(client, "city_leader")["Location"] == ENROL


def test_only_the_security_admin_resets_two_factor(world: Any, client: Any) -> None:
    enrol(world.city_leader)
    client.force_login(world.sysadmin)
    url = reverse("accounts:user_action", args=[world.city_leader.pk, "reset-two-factor"])
    assert client.post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=world.city_leader, confirmed=True).exists()
    assert not SecurityEvent.objects.filter(action=Action.TWO_FACTOR_RESET).exists()


def test_security_admin_requires_two_factor_of_an_agency(world: Any, client: Any) -> None:
    office = world.agencies["a_office"]
    url = reverse("accounts:agency_two_factor", args=[office.pk])
    client.force_login(world.sysadmin)
    assert client.post(url, {"required": "on"}).status_code == 403
    client.force_login(world.secadmin)
    assert "全员登录须使用两步验证" in client.get(url).content.decode()
    assert client.post(url, {"required": "on"}).status_code == 302
    office.refresh_from_db()
    assert office.requires_two_factor
    event = SecurityEvent.objects.get(action=Action.AGENCY_TWO_FACTOR)
    assert event.target == office.name and event.detail == {"required": True}
    client.logout()
    assert sign_in(client, "a_clerk")["Location"] == ENROL
    assert sign_in(client, "police_clerk")["Location"] == "/"


def test_county_security_admin_cannot_set_another_countys_agency(world: Any, client: Any) -> None:
    client.force_login(world.a_secadmin)
    url = reverse("accounts:agency_two_factor", args=[world.agencies["b_office"].pk])
    assert client.post(url, {"required": "on"}).status_code == 404
    world.agencies["b_office"].refresh_from_db()
    assert not world.agencies["b_office"].requires_two_factor
