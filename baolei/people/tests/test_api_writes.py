"""Registering and correcting a person through the API does what the person pages do:
the same rows, record history and security-log entries, the same refusals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from baolei.people.models import Person
from baolei.people.services import create_person
from baolei.people.tests.conftest import ID_A
from baolei.web.tests.equivalence import (
    Act,
    checks_for,
    post_as,
    token_of,
)

APPS = ("people",)
PERSONAS = ["a_clerk", "a_reviewer", "city_leader", "b_clerk", "auditadmin", "a_sysadmin"]


@dataclass
class Cast:
    world: Any
    page: Client
    api: Client

    def persona(self, name: str) -> Any:
        return self.world.users[name]


@pytest.fixture
def cast(world: Any) -> Cast:
    return Cast(world, Client(), Client())


FIELDS = {
    "name": "王某某",
    "id_number": ID_A,
    "ethnicity": "汉族",
    "education": "senior_secondary",
    "phone": "13900000000",
    "note": "甲公刑〔2026〕15号案犯罪嫌疑人",
}


def registered(cast: Cast) -> Person:
    return create_person(
        actor=cast.world.a_clerk,
        name="赵某某",
        region=cast.world.village_a,
        ethnicity="汉族",
        note="旧备注",
    )


EDIT = {"name": "赵某", "education": "junior_secondary", "phone": "13700000000", "note": "新备注"}

ACTS = [
    Act(
        "register",
        lambda c: None,
        "a_clerk",
        "city_leader",
        lambda c, r: ("/people/new/", FIELDS | {"region": c.world.village_a.pk}),
        lambda c, r: ("/api/v1/people/", FIELDS | {"region": c.world.village_a.code}),
        apps=APPS,
    ),
    Act(
        "edit",
        registered,
        "a_reviewer",
        "city_leader",
        # The page posts every field of its form; a number left empty is not changed.
        lambda c, r: (
            f"/people/{r.pk}/edit/",
            EDIT | {"region": c.world.village_a.pk, "ethnicity": "汉族", "id_number": ""},
        ),
        lambda c, r: (f"/api/v1/people/{r.pk}/edit/", EDIT),
        apps=APPS,
    ),
]


(
    test_the_page_and_the_api_write_the_same,
    test_the_page_and_the_api_refuse_the_same,
    test_every_persona_is_answered_alike,
) = checks_for(ACTS, PERSONAS)


post = post_as


def test_a_bad_number_or_a_village_out_of_scope_changes_nothing(cast: Cast) -> None:
    w = cast.world
    before = Person.objects.count()
    bad = post(
        cast,
        "a_clerk",
        "/api/v1/people/",
        FIELDS | {"id_number": "510121198503021235", "region": w.village_a.code},
    )
    assert bad.status_code == 400 and "id_number" in bad.json()
    elsewhere = post(cast, "a_clerk", "/api/v1/people/", FIELDS | {"region": w.village_b.code})
    assert elsewhere.status_code == 400 and "不是您范围内的村" in elsewhere.json()["region"][0]
    township = post(cast, "a_clerk", "/api/v1/people/", FIELDS | {"region": w.township_a.code})
    assert township.status_code == 400
    assert Person.objects.count() == before


def test_a_person_out_of_scope_is_not_found(cast: Cast) -> None:
    outsider = cast.world.outsider_rows[Person]
    answer = post(cast, "a_clerk", f"/api/v1/people/{outsider.pk}/edit/", {"note": "改"})
    assert answer.status_code == 404
    outsider.refresh_from_db()
    assert outsider.note != "改"


def test_the_answer_is_the_record_masked(cast: Cast) -> None:
    answer = post(
        cast, "a_clerk", "/api/v1/people/", FIELDS | {"region": cast.world.village_a.code}
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["id_number_masked"].startswith("5299") and ID_A not in str(body)
    assert body["birth_date"] == "1985-03-02" and body["sex"] == "male"
    assert (
        cast.api.get(
            f"/api/v1/people/{body['id']}/", headers=token_of(cast.world.users["a_clerk"])
        ).json()
        == body
    )
