"""Removing a relation and finding, confirming and dismissing candidates for the same
person through the API do what the network pages do: the same rows, record history and
security-log entries, the same refusals (the machinery is in
``baolei.web.tests.equivalence``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client

from baolei.network import services
from baolei.network.models import Decision, Identity, Relation
from baolei.people.models import Person
from baolei.people.services import create_person
from baolei.web.tests.equivalence import (
    Act,
    checks_for,
    post_as,
    token_of,
)

APPS = ("network",)
PERSONAS = [
    "a_clerk",
    "a_reviewer",
    "city_leader",
    "b_clerk",
    "discipline_clerk",
    "police_clerk",
    "auditadmin",
    "a_sysadmin",
]


@dataclass
class Cast:
    world: Any
    gang: Any
    twin: Person
    page: Client
    api: Client

    def persona(self, name: str) -> Any:
        return self.world.users[name]


@pytest.fixture
def cast(world: Any, gang: Any) -> Cast:
    """The gang of the network tests, with 黄某 recorded again with an ID number."""
    twin = create_person(
        actor=world.a_clerk,
        name="黄某",
        region=world.village_a,
        id_number="510121198001020016",
        birth_date=date(1980, 1, 2),
        sex="male",
    )
    return Cast(world, gang, twin, Client(), Client())


def relation(cast: Cast) -> Relation:
    """黄某 and his brother, entered by the county-A campaign office."""
    return cast.gang.relations[0]


def candidate(cast: Cast) -> Identity:
    services.find_same_persons(actor=cast.world.a_clerk)
    return Identity.objects.get(person=cast.gang.boss, other=cast.twin)


CONFIRM = {"note": "经户籍比对系同一人"}
DISMISS = {"note": "出生日期不同，系同名同村的两人"}

ACTS = [
    Act(
        "remove",
        relation,
        "a_clerk",
        "city_leader",
        lambda c, r: (f"/network/relations/{r.pk}/remove/", {}),
        lambda c, r: (f"/api/v1/network/relations/{r.pk}/remove/", {}),
        apps=APPS,
    ),
    Act(
        "find",
        lambda c: None,
        "a_clerk",
        "city_leader",
        lambda c, r: ("/network/identities/find/", {}),
        lambda c, r: ("/api/v1/network/identities/find/", {}),
        apps=APPS,
    ),
    Act(
        "confirm",
        candidate,
        "a_reviewer",
        "a_clerk",
        lambda c, r: (f"/network/identities/{r.pk}/confirm/", CONFIRM),
        lambda c, r: (f"/api/v1/network/identities/{r.pk}/confirm/", CONFIRM),
        apps=APPS,
    ),
    Act(
        "dismiss",
        candidate,
        "a_reviewer",
        "city_leader",
        lambda c, r: (f"/network/identities/{r.pk}/dismiss/", DISMISS),
        lambda c, r: (f"/api/v1/network/identities/{r.pk}/dismiss/", DISMISS),
        apps=APPS,
    ),
]


(
    test_the_page_and_the_api_write_the_same,
    test_the_page_and_the_api_refuse_the_same,
    test_every_persona_is_answered_alike,
) = checks_for(ACTS, PERSONAS)

post = post_as


def test_records_out_of_scope_are_not_found_and_stay(cast: Cast) -> None:
    w = cast.world
    outside = w.outsider_rows[Relation]
    answer = post(cast, "a_reviewer", f"/api/v1/network/relations/{outside.pk}/remove/", {})
    assert answer.status_code == 404
    assert Relation.objects.filter(pk=outside.pk).exists()
    pair = w.outsider_rows[Identity]
    url = f"/api/v1/network/identities/{pair.pk}/confirm/"
    assert post(cast, "a_reviewer", url, CONFIRM).status_code == 404
    pair.refresh_from_db()
    assert pair.decision == Decision.PENDING and pair.decided_by is None


def test_a_dismissal_without_a_reason_is_refused_in_chinese(cast: Cast) -> None:
    pair = candidate(cast)
    url = f"/api/v1/network/identities/{pair.pk}/dismiss/"
    for body in ({}, {"note": "  "}, {"note": ["理由"]}, {"note": "长" * 501}):
        answer = post(cast, "a_reviewer", url, body)
        assert answer.status_code == 400, body
        assert any("\u4e00" <= ch <= "\u9fff" for ch in answer.json()["note"][0]), body
    pair.refresh_from_db()
    assert pair.decision == Decision.PENDING and pair.note == ""
    assert pair.history.count() == 1


def test_a_body_that_is_no_object_changes_nothing(cast: Cast) -> None:
    pair = candidate(cast)
    answer = post(cast, "a_reviewer", f"/api/v1/network/identities/{pair.pk}/confirm/", [1])
    assert answer.status_code == 400
    assert "字典" in str(answer.json())
    pair.refresh_from_db()
    assert pair.decision == Decision.PENDING


def test_the_removal_answers_the_relation_as_it_stood(cast: Cast) -> None:
    gone = relation(cast)
    answer = post(cast, "a_clerk", f"/api/v1/network/relations/{gone.pk}/remove/", {})
    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == gone.pk and body["kind"] == "kin" and body["detail"] == "兄弟姐妹"
    assert body["region"] == cast.world.village_a.code
    assert not Relation.objects.filter(pk=gone.pk).exists()
    removal = Relation.history.filter(id=gone.pk).latest("history_date")
    assert removal.history_type == "-" and removal.history_user == cast.world.a_clerk


def test_a_decision_answers_the_candidate_as_the_list_shows_it(cast: Cast) -> None:
    pair = candidate(cast)
    answer = post(cast, "a_reviewer", f"/api/v1/network/identities/{pair.pk}/confirm/", CONFIRM)
    assert answer.status_code == 200
    body = answer.json()
    assert body["decision"] == Decision.CONFIRMED and body["note"] == CONFIRM["note"]
    assert body["decided_by"] == cast.world.a_reviewer.name
    assert (body["person_name"], body["other_name"]) == ("黄某", "黄某")
    headers = token_of(cast.world.a_reviewer)
    listed = cast.api.get("/api/v1/network/identities/", {"decision": "confirmed"}, headers=headers)
    assert listed.json()["results"] == [body]
    again = post(cast, "a_reviewer", f"/api/v1/network/identities/{pair.pk}/dismiss/", DISMISS)
    assert again.status_code == 400 and "已研判" in str(again.json())


def test_finding_twice_adds_each_pair_once(cast: Cast) -> None:
    url = "/api/v1/network/identities/find/"
    first = post(cast, "a_clerk", url, {})
    assert first.status_code == 200 and first.json()["added"] >= 1
    assert Identity.objects.filter(person=cast.gang.boss, other=cast.twin).exists()
    assert post(cast, "a_clerk", url, {}).json() == {"added": 0}


def test_the_list_is_the_page_s_rows(cast: Cast) -> None:
    candidate(cast)
    listed = {}
    for who in ("a_reviewer", "b_clerk", "city_leader"):
        user = cast.world.users[who]
        rows = cast.api.get("/api/v1/network/identities/", headers=token_of(user)).json()
        listed[who] = [r["id"] for r in rows["results"]]
        seen = Identity.objects.visible_to(user).order_by("decision", "-score", "pk")
        assert listed[who] == [i.pk for i in seen], who
    outside = cast.world.outsider_rows[Identity].pk
    assert outside not in listed["a_reviewer"] and listed["b_clerk"] == [outside]
    assert len(listed["a_reviewer"]) >= 1


def test_every_write_is_documented() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths, components = schema["paths"], schema["components"]["schemas"]
    for name in ("confirm", "dismiss"):
        operation = paths[f"/api/v1/network/identities/{{id}}/{name}/"]["post"]
        body = operation["requestBody"]["content"]["application/json"]
        request = components[body["schema"]["$ref"].rsplit("/", 1)[1]]
        ((summary, example),) = body["examples"].items()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in summary), name
        assert set(request.get("required", [])) <= set(example["value"])
        assert set(example["value"]) <= set(request["properties"])
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert answer["$ref"].endswith("/Identity")
    for path in ("/api/v1/network/relations/{id}/remove/", "/api/v1/network/identities/find/"):
        operation = paths[path]["post"]
        assert "requestBody" not in operation, path
        assert "$ref" in operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(paths["/api/v1/network/"]) >= {"get", "post"}
