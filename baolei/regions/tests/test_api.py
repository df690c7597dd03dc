from __future__ import annotations

from typing import Any

from baolei.accounts.tokens import issue_token


def test_county_filter_is_scoped(world: Any, client: Any) -> None:
    client.force_login(world.city_leader)
    body = client.get("/api/v1/regions/", {"level": "county"}).json()
    assert [r["code"] for r in body["results"]] == ["510121000000", "510122000000"]
    client.force_login(world.a_clerk)
    body = client.get("/api/v1/regions/", {"level": "county"}).json()
    assert [r["name"] for r in body["results"]] == ["甲县"]


def test_detail_outside_scope_is_404(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    assert client.get("/api/v1/regions/510121100200/").status_code == 200
    assert client.get("/api/v1/regions/510122100200/").status_code == 404


def test_token_auth_ordering_and_paging(world: Any, client: Any) -> None:
    _, key = issue_token(actor=world.city_leader, name="测试")
    headers = {"Authorization": f"Token {key}"}
    body = client.get(
        "/api/v1/regions/", {"ordering": "-code", "page_size": 2}, headers=headers
    ).json()
    assert body["count"] == 7
    assert [r["code"] for r in body["results"]] == ["510122100200", "510122100000"]
    assert "page=2" in body["next"]


def test_centres_filter_by_level(world: Any, client: Any) -> None:
    client.force_login(world.city_leader)
    body = client.get("/api/v1/governance-centres/", {"level": "township"}).json()
    assert [c["region_name"] for c in body["results"]] == ["甲县一镇"]


def test_users_are_for_admins_only(world: Any, client: Any) -> None:
    client.force_login(world.city_leader)
    assert client.get("/api/v1/users/").status_code == 403
    client.force_login(world.a_sysadmin)
    names = [u["username"] for u in client.get("/api/v1/users/").json()["results"]]
    assert names == ["a_clerk", "a_reviewer", "a_secadmin", "a_sysadmin"]


def test_schema_and_local_swagger_ui(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/regions/" in schema["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in docs
    assert "cdn" not in docs.lower()
