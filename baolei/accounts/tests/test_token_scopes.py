"""Token scopes: a token limited to some modules reads and writes only those, within its
user's rights; a refusal is 403 with the reason and an entry of the security log."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import time_machine
from django.urls import get_resolver

from baolei.accounts.models import ApiToken, Role
from baolei.accounts.tokens import MODULES, issue_token, module_of
from baolei.audit.models import Action, SecurityEvent
from baolei.cases import services as cases
from baolei.conftest import make_user


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as traveller:
        yield traveller


@pytest.fixture
def police(world: Any) -> Any:
    return make_user("a_police_clerk", world.agencies["a_police"], Role.CLERK)


def issue_on_page(client: Any, user: Any, read: list[str], write: list[str]) -> str:
    client.force_login(user)
    page = client.post("/accounts/tokens/", {"name": "公安办案系统", "read": read, "write": write})
    match = re.search(r'id="new-token">(bl_[A-Za-z0-9_-]+)<', page.content.decode())
    assert match, page.content.decode()[:3000]
    client.logout()
    return match.group(1)


def test_a_case_system_token_writes_cases_and_reads_only_what_it_names(
    world: Any, client: Any, police: Any
) -> None:
    case = cases.open_case(
        actor=police,
        number="甲公刑〔2026〕1号",
        name="张某某等人恶势力案",
        kind="evil_force",
        region=world.village_a,
        lead_agency=world.agencies["a_police"],
        opened_on=date(2026, 11, 1),
    )
    key = issue_on_page(client, police, read=["regions"], write=["cases"])
    assert ApiToken.objects.get().scopes == ["regions:read", "cases:write"]
    auth = {"Authorization": f"Token {key}"}
    stage = client.post(
        f"/api/v1/cases/{case.pk}/stage/",
        {"stage": "transferred", "on": "2026-11-20"},
        content_type="application/json",
        headers=auth,
    )
    assert stage.status_code == 201
    assert client.get("/api/v1/cases/", headers=auth).status_code == 200  # write reads
    assert client.get("/api/v1/regions/", headers=auth).status_code == 200
    clue = client.post("/api/v1/clues/", {}, content_type="application/json", headers=auth)
    assert clue.status_code == 403
    assert clue.json()["detail"] == (
        "该令牌（公安办案系统）无权写入“线索”，其权限范围为：行政区划（只读）、案件（读写）。"
    )
    ledger = client.get("/api/v1/ledger/items/", headers=auth)
    assert ledger.status_code == 403 and "无权读取“台账”" in ledger.json()["detail"]
    refusals = SecurityEvent.objects.filter(action=Action.ACCESS_DENIED, actor="a_police_clerk")
    assert [(e.detail["module"], e.detail["write"]) for e in refusals.order_by("seq")] == [
        ("clues", True),
        ("ledger", False),
    ]


def test_a_read_only_token_cannot_write_even_what_its_user_may(
    world: Any, client: Any, police: Any
) -> None:
    key = issue_on_page(client, police, read=list(MODULES), write=[])
    refused = client.post(
        "/api/v1/clues/",
        {},
        content_type="application/json",
        headers={"Authorization": f"Token {key}"},
    )
    assert refused.status_code == 403 and "无权写入“线索”" in refused.json()["detail"]


def test_a_scope_never_widens_the_users_rights(world: Any, client: Any) -> None:
    key = issue_on_page(client, world.city_leader, read=[], write=["clues"])
    refused = client.post(
        "/api/v1/clues/",
        {},
        content_type="application/json",
        headers={"Authorization": f"Token {key}"},
    )
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("只有政法机关")  # the policy's own reason


def test_a_token_with_no_module_is_refused_on_the_page(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    page = client.post("/accounts/tokens/", {"name": "空令牌"})
    assert "请至少选择一个可读或可写的模块" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_without_scopes_is_its_users_whole(world: Any, client: Any) -> None:
    _, key = issue_token(actor=world.a_clerk, name="旧令牌")
    for url in ("/api/v1/ledger/items/", "/api/v1/clues/", "/api/v1/me/todo/"):
        assert client.get(url, headers={"Authorization": f"Token {key}"}).status_code == 200


def test_every_api_route_belongs_to_a_named_module() -> None:
    found = set()
    for pattern in get_resolver().url_patterns:
        prefix = str(pattern.pattern)
        if prefix.startswith("api/v1/"):
            inner = getattr(pattern, "url_patterns", [pattern])
            for route in inner:
                path = "/" + prefix + str(route.pattern).lstrip("^").replace("\\", "")
                module = module_of(path)
                if module and not module.startswith("<"):  # not the root's format suffix
                    found.add(module)
    assert found and found <= set(MODULES), found - set(MODULES)
    assert {"cases", "clues", "ledger", "me", "reports"} <= found
