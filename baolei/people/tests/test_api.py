from __future__ import annotations

from typing import Any

from baolei.people.models import Person
from baolei.people.tests.conftest import ID_A


def test_people_api_is_scoped_masked_filtered_and_ordered(
    world: Any, person_a: Person, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.city_leader)
    with django_assert_max_num_queries(10):
        body = client.get("/api/v1/people/", {"ordering": "-birth_date"}).json()
    assert [p["name"] for p in body["results"]] == ["甲县李四", "乙县张三", "乙县张四"]
    assert body["results"][1]["id_number_masked"] == "5299**********0029"
    assert "529902197208150029" not in str(body)
    body = client.get("/api/v1/people/", {"within": world.county_b.code}).json()
    assert [p["name"] for p in body["results"]] == ["乙县张三", "乙县张四"]
    body = client.get("/api/v1/people/", {"id_number": "529901850302123"}).json()
    assert [p["name"] for p in body["results"]] == ["甲县李四"]
    client.force_login(world.a_clerk)
    body = client.get("/api/v1/people/").json()
    assert [p["name"] for p in body["results"]] == ["甲县李四"]
    assert ID_A not in str(body)
