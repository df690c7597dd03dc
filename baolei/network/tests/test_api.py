"""GET /api/v1/network/ answers nodes and edges as the schema says; POST states a relation."""

from __future__ import annotations

from typing import Any

import pytest

from baolei.network.models import Relation
from baolei.people.models import Person

URL = "/api/v1/network/"


def test_the_graph_around_a_person(world: Any, gang: Any, login: Any) -> None:
    client = login(world.a_clerk)
    response = client.get(URL, {"person": gang.boss.pk, "hops": 2})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"start", "truncated", "finding", "nodes", "edges"}
    assert body["start"] == [f"person:{gang.boss.pk}"]
    node = next(n for n in body["nodes"] if n["label"] == "刘书记")
    assert node["cadre"] is True
    assert node["url"] == f"/people/{gang.secretary.pk}/"
    keys = {n["id"] for n in body["nodes"]}
    for edge in body["edges"]:
        assert {edge["source"], edge["target"]} <= keys
    kin = next(e for e in body["edges"] if e["kind"] == "kin")
    assert kin["label"] == "亲属（兄弟姐妹）"
    assert kin["on"] == "2020-05-01"
    assert not any(n["kind"] == "clue" for n in body["nodes"])  # the umbrella clue


def test_case_clue_and_umbrella_starts(world: Any, gang: Any, login: Any) -> None:
    leader = login(world.city_leader)
    by_clue = leader.get(URL, {"clue": gang.clue.pk, "hops": 1}).json()
    assert {n["label"] for n in by_clue["nodes"]} == {"线索〔2026〕0901号", "黄某", "官某"}
    found = leader.get(URL, {"case": gang.case.pk, "umbrella": "1", "hops": 2}).json()
    assert {n["label"] for n in found["nodes"] if n["cadre"]} == {"刘书记", "赵主任"}
    assert all(e["highlighted"] for e in found["edges"] if e["kind"] != "holds")
    path = leader.get(URL, {"person": gang.boss.pk, "to_person": gang.secretary.pk}).json()
    assert len(path["edges"]) == 2


def test_a_clue_hidden_from_the_user_is_a_404(world: Any, gang: Any, login: Any) -> None:
    assert login(world.a_clerk).get(URL, {"clue": gang.clue.pk}).status_code == 404


def test_county_b_start_is_a_404(world: Any, login: Any) -> None:
    outsider = world.outsider_rows[Person]
    assert login(world.a_clerk).get(URL, {"person": outsider.pk}).status_code == 404


def test_no_start_is_an_empty_graph(world: Any, login: Any) -> None:
    body = login(world.a_clerk).get(URL).json()
    assert body["nodes"] == [] and body["edges"] == []


@pytest.mark.parametrize(
    "query",
    [
        {"person": "abc"},
        {"person": "1", "case": "1"},
        {"person": "1", "hops": "9"},
        {"person": "1", "hops": "1.5"},
        {"person": "1", "kind": "lover"},
        {"person": "1", "from": "2026-13-01"},
        {"person": "1", "from": "2026-05-01", "to": "2026-01-01"},
        {"person": "1", "within": "999999999999"},
        {"person": "1", "within": "\x00"},
        {"person": "99999999999999999999999"},
        {"umbrella": "1"},
        {"umbrella": "maybe"},
    ],
)
def test_hostile_parameters_are_a_400(world: Any, gang: Any, login: Any, query: Any) -> None:
    query = {k: (str(gang.boss.pk) if v == "1" and k == "person" else v) for k, v in query.items()}
    response = login(world.a_clerk).get(URL, query)
    assert response.status_code == 400, response.content


def test_post_states_a_relation(world: Any, gang: Any, login: Any) -> None:
    client = login(world.a_clerk)
    body = {
        "person_a": gang.bystander.pk,
        "person_b": gang.boss.pk,
        "kind": "employment",
        "source": "劳务合同",
        "began_on": "2022-03-01",
    }
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 201, response.content
    relation = Relation.objects.get(pk=response.json()["id"])
    assert relation.entered_by == world.a_clerk
    assert response.json()["region"] == world.village_a.code
    again = client.post(URL, body, content_type="application/json")
    assert again.status_code == 400
    assert "已登记“雇佣”关系" in again.content.decode()


def test_post_refuses_persons_out_of_scope_and_users_without_the_right(
    world: Any, gang: Any, login: Any
) -> None:
    body = {
        "person_a": world.outsider_rows[Person].pk,
        "person_b": gang.boss.pk,
        "kind": "kin",
        "source": "户籍",
    }
    assert login(world.a_clerk).post(URL, body, content_type="application/json").status_code == 400
    body["person_a"] = gang.bystander.pk
    refused = login(world.city_leader).post(URL, body, content_type="application/json")
    assert refused.status_code == 403
    assert "可以登记或导入人员关系" in refused.json()["detail"]
