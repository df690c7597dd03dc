"""System accounts: asked for by a system administrator, approved by a security
administrator, bound to an agency and a region, holding tokens within the approved
modules and lifetime, every call in the security log, ended by revocation or by
disabling the account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from baolei.accounts import systems
from baolei.accounts.models import (
    AgencyKind,
    ApiToken,
    Role,
    SystemAccount,
    SystemAccountStatus,
    User,
)
from baolei.accounts.services import grant_role, set_active
from baolei.audit.models import Action, SecurityEvent
from baolei.cases import services as cases
from baolei.conftest import make_region, make_user
from baolei.regions.models import Level

NEW = "/accounts/systems/new/"


def ask(world: Any, **changes: Any) -> SystemAccount:
    fields: dict[str, Any] = {
        "actor": world.users["a_sysadmin"],
        "name": "甲县公安局警务平台",
        "agency": world.agencies["a_police"],
        "region": world.township_a,
        "purpose": "推送案件办理阶段，读取线索移送",
        "roles": [Role.CLERK],
        "scopes": ["cases:write", "clues:read"],
        "token_days": 10,
    }
    return systems.request_system_account(**(fields | changes))


def approved(world: Any) -> SystemAccount:
    return systems.approve_system_account(actor=world.users["a_secadmin"], account=ask(world))


def key_of(world: Any, account: SystemAccount, scopes: list[str] | None = None) -> str:
    _, key = systems.issue_system_token(
        actor=world.users["a_sysadmin"],
        account=account,
        name="警务平台同步",
        scopes=scopes or ["cases:write", "clues:read"],
    )
    return key


def call(key: str, method: str, url: str, body: Any = None) -> Any:
    client = Client()
    headers = {"Authorization": f"Token {key}"}
    if method == "get":
        return client.get(url, headers=headers)
    return client.post(url, body, content_type="application/json", headers=headers)


def test_the_pages_take_an_account_from_request_to_token(world: Any, client: Any) -> None:
    client.force_login(world.users["a_sysadmin"])
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW,
        {
            "name": "甲县公安局警务平台",
            "agency": world.agencies["a_police"].pk,
            "region": world.township_a.pk,
            "purpose": "推送案件办理阶段",
            "roles": ["clerk"],
            "write": ["cases"],
            "read": ["clues"],
            "token_days": "10",
        },
    )
    account = SystemAccount.objects.get(name="甲县公安局警务平台")
    assert (
        response.status_code == 302 and response["Location"] == f"/accounts/systems/{account.pk}/"
    )
    assert account.status == SystemAccountStatus.PENDING and account.user is None
    assert account.scopes == ["cases:write", "clues:read"]

    # The requester cannot approve; the security administrator can.
    approve = f"/accounts/systems/{account.pk}/approve/"
    assert client.post(approve, {"note": ""}).status_code == 403
    client.force_login(world.users["a_secadmin"])
    page = client.get(f"/accounts/systems/{account.pk}/")
    assert [a.name for a in page.context["actions"]] == ["approve", "reject"]
    assert client.post(approve, {"note": "同意对接"}).status_code == 302
    account.refresh_from_db()
    user = account.user
    assert account.status == SystemAccountStatus.APPROVED and account.decision_note == "同意对接"
    assert user.is_system and not user.has_usable_password()
    assert user.agency == world.agencies["a_police"] and user.roles == {Role.CLERK}

    # The token is issued by the system administrator and shown once, in the response.
    page = client.get(f"/accounts/systems/{account.pk}/")
    assert [a.name for a in page.context["actions"]] == ["disable"]
    client.force_login(world.users["a_sysadmin"])
    page = client.get(f"/accounts/systems/{account.pk}/")
    assert [a.name for a in page.context["actions"]] == ["token", "disable"]
    issued = client.post(
        f"/accounts/systems/{account.pk}/token/", {"name": "同步脚本", "write": ["cases"]}
    )
    assert issued.status_code == 200
    token = ApiToken.objects.get(user=user)
    assert token.prefix in issued.content.decode() and "请立即复制" in issued.content.decode()
    assert token.scopes == ["cases:write"]
    assert timedelta(days=9, hours=23) < token.expires_at - timezone.now() <= timedelta(days=10)
    listed = client.get("/accounts/systems/").content.decode()
    assert "甲县公安局警务平台" in listed and "已批准" in listed


def test_a_system_account_cannot_sign_in(world: Any, client: Any) -> None:
    user = approved(world).user
    response = client.post("/accounts/login/", {"username": user.username, "password": ""})
    assert "_auth_user_id" not in client.session and response.status_code == 200


def open_cases(world: Any, *regions: Any) -> None:
    for n, region in enumerate(regions, 1):
        cases.open_case(
            actor=world.users["a_clerk"],
            number=f"甲公刑〔2026〕{n}号",
            name=f"第{n}案",
            kind="evil_force",
            region=region,
            lead_agency=world.agencies["a_police"],
            opened_on=timezone.localdate(),
        )


def test_the_account_works_in_its_region_and_every_call_is_logged(world: Any) -> None:
    account = systems.approve_system_account(
        actor=world.users["a_secadmin"], account=ask(world, region=world.county_a)
    )
    key = key_of(world, account)
    body = {
        "number": "甲公刑〔2026〕3号",
        "name": "王某某等人恶势力案",
        "kind": "evil_force",
        "lead_agency": world.agencies["a_police"].pk,
        "opened_on": str(timezone.localdate()),
    }
    opened = call(key, "post", "/api/v1/cases/", body | {"region": world.village_a.code})
    assert opened.status_code == 201, opened.content
    outside = body | {"region": world.village_b.code, "number": "乙公刑〔2026〕1号"}
    assert call(key, "post", "/api/v1/cases/", outside).status_code == 400
    listed = call(key, "get", "/api/v1/cases/")
    assert [c["number"] for c in listed.json()["results"]] == ["甲公刑〔2026〕3号"]

    calls = SecurityEvent.objects.filter(action=Action.API_CALL).order_by("seq")
    user = account.user.username
    assert [(e.actor, e.detail["method"], e.detail["status"]) for e in calls] == [
        (user, "POST", 201),
        (user, "POST", 400),
        (user, "GET", 200),
    ]
    assert not calls[1].success and calls[2].target == "/api/v1/cases/"


def test_a_region_narrower_than_the_agency_narrows_what_it_sees(world: Any) -> None:
    other_township = make_region("510121200000", "甲县二镇", Level.TOWNSHIP, world.county_a)
    other_village = make_region("510121200100", "甲县二镇一村", Level.VILLAGE, other_township)
    open_cases(world, world.village_a, other_village)
    key = key_of(world, approved(world))  # bound to 甲县一镇
    listed = call(key, "get", "/api/v1/cases/")
    assert [c["number"] for c in listed.json()["results"]] == ["甲公刑〔2026〕1号"]


def test_a_person_calls_are_not_logged_one_by_one(world: Any) -> None:
    from baolei.accounts.tokens import issue_token

    _, key = issue_token(actor=world.users["a_clerk"], name="脚本")
    assert call(key, "get", "/api/v1/cases/").status_code == 200
    assert not SecurityEvent.objects.filter(action=Action.API_CALL).exists()


def test_tokens_stay_within_the_approval(world: Any) -> None:
    account = approved(world)
    with pytest.raises(ValidationError) as refused:
        key_of(world, account, ["clues:write"])
    assert "超出批准的权限范围" in str(refused.value)
    assert not ApiToken.objects.exists()
    key = key_of(world, account, ["clues:read"])
    assert call(key, "get", "/api/v1/cases/").status_code == 403  # not in this token's scopes
    assert call(key, "get", "/api/v1/clues/").status_code == 200


def test_revoking_and_disabling_end_the_tokens(world: Any) -> None:
    account = approved(world)
    first, second = key_of(world, account), key_of(world, account)
    from baolei.accounts.tokens import revoke_token

    token = ApiToken.objects.get(user=account.user, prefix=first[:10])
    revoke_token(actor=world.users["a_sysadmin"], token=token)
    assert call(first, "get", "/api/v1/cases/").status_code == 401
    assert call(second, "get", "/api/v1/cases/").status_code == 200
    systems.disable_system_account(actor=world.users["a_sysadmin"], account=account)
    assert call(second, "get", "/api/v1/cases/").status_code == 401
    account.refresh_from_db()
    assert account.status == SystemAccountStatus.DISABLED and not account.user.is_active
    with pytest.raises(ValidationError):
        set_active(actor=world.users["a_secadmin"], user=account.user, active=True)
    with pytest.raises(ValidationError):
        key_of(world, account)


def test_no_password_age_for_a_system(world: Any, settings: Any) -> None:
    settings.PASSWORD_MAX_AGE_DAYS = 1
    key = key_of(world, approved(world))
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert call(key, "get", "/api/v1/cases/").status_code == 200


def test_who_may_ask_and_decide(world: Any) -> None:
    u = world.users
    with pytest.raises(PermissionDenied, match="只有系统管理员"):
        ask(world, actor=u["a_clerk"])
    with pytest.raises(PermissionDenied, match="不在您的管理范围内"):
        ask(world, agency=world.agencies["b_office"], region=world.county_b)
    with pytest.raises(ValidationError) as wrong:
        ask(world, region=world.county_b, roles=[Role.LEADER], token_days=999, purpose=" ")
    assert set(wrong.value.message_dict) == {"region", "roles", "token_days", "purpose"}
    account = ask(world)
    with pytest.raises(ValidationError, match="同名"):
        ask(world)
    for who in ("a_sysadmin", "a_clerk", "auditadmin"):
        with pytest.raises(PermissionDenied):
            systems.approve_system_account(actor=u[who], account=account)
    assert SystemAccount.objects.get(pk=account.pk).status == SystemAccountStatus.PENDING
    assert not User.objects.filter(is_system=True).exists()


def test_a_rejection_says_why_and_is_final(world: Any) -> None:
    account = ask(world)
    with pytest.raises(ValidationError, match="驳回须说明理由"):
        systems.reject_system_account(actor=world.users["a_secadmin"], account=account, note="")
    systems.reject_system_account(
        actor=world.users["a_secadmin"], account=account, note="未附安全测评报告"
    )
    with pytest.raises(ValidationError, match="已驳回"):
        systems.approve_system_account(actor=world.users["secadmin"], account=account)
    assert not User.objects.filter(is_system=True).exists()
    assert list(
        SecurityEvent.objects.filter(action__startswith="system_").values_list("action", flat=True)
    ) == [Action.SYSTEM_REJECTED, Action.SYSTEM_REQUESTED]


def test_roles_are_fixed_at_approval(world: Any) -> None:
    user = approved(world).user
    with pytest.raises(ValidationError, match="审批时确定"):
        grant_role(actor=world.users["a_secadmin"], user=user, role=Role.REVIEWER)


def test_another_county_does_not_see_the_account(world: Any, client: Any) -> None:
    account = ask(world)
    b_admin = make_user("b_secadmin", world.agencies["b_office"], Role.SECURITY_ADMIN)
    client.force_login(b_admin)
    assert client.get(f"/accounts/systems/{account.pk}/").status_code == 404
    assert client.post(f"/accounts/systems/{account.pk}/approve/").status_code == 404
    assert "甲县公安局警务平台" not in client.get("/accounts/systems/").content.decode()
    assert SystemAccount.objects.get(pk=account.pk).status == SystemAccountStatus.PENDING


def test_the_list_counts_live_tokens_once_per_account(world: Any, client: Any) -> None:
    account = approved(world)
    for _ in range(3):
        key_of(world, account)
    ApiToken.objects.filter(pk=ApiToken.objects.filter(user=account.user).first().pk).update(
        revoked_at=timezone.now()
    )
    client.force_login(world.users["a_secadmin"])
    page = client.get("/accounts/systems/", {"status": "approved"})
    rows = list(page.context["object_list"])
    assert [(r.pk, r.token_count) for r in rows] == [(account.pk, 2)]
    # The modules are named, as on its page: what a reviewer scans the list for.
    assert "案件（读写）、线索（只读）" in page.content.decode()
    exported = client.get("/accounts/systems/", {"export": "csv"})
    assert exported.status_code == 200 and "甲县公安局警务平台" in exported.content.decode(
        "utf-8-sig"
    )


def test_only_police_like_systems_are_not_assumed(world: Any) -> None:
    """Any agency kind may have a system: the discipline commission's clue ledger too."""
    discipline = world.agencies["city_discipline"]
    assert discipline.kind == AgencyKind.DISCIPLINE
    account = ask(
        world,
        actor=world.users["sysadmin"],
        agency=discipline,
        region=world.city,
        scopes=["clues:write"],
    )
    done = systems.approve_system_account(actor=world.users["secadmin"], account=account)
    assert done.user.scope_prefix == world.city.prefix


def test_a_taken_username_is_refused_not_a_crash(world: Any) -> None:
    account = ask(world)
    make_user(f"system-{account.pk}", world.agencies["a_office"], Role.CLERK)
    with pytest.raises(ValidationError, match="已被占用"):
        systems.approve_system_account(actor=world.users["a_secadmin"], account=account)
    assert SystemAccount.objects.get(pk=account.pk).status == SystemAccountStatus.PENDING
