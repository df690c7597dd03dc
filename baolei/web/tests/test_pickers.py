"""The search endpoints behind the type-ahead pickers, and the picker fields: only what
the user may see, pinyin initials and codes for regions, a person by the whole ID number
only, a malformed query a 400 in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from baolei.clues.forms import ClueForm
from baolei.people.idnumber import check_char
from baolei.people.models import Person
from baolei.people.services import create_person

A_NUMBER = "51012119800101001" + check_char("51012119800101001")


@pytest.fixture
def a_person(world: Any) -> Person:
    return create_person(
        actor=world.a_clerk, name="甲县张三", region=world.village_a, id_number=A_NUMBER
    )


def pick(client: Any, user: Any, endpoint: str, **query: str) -> Any:
    client.force_login(user)
    return client.get(reverse(f"web:pick_{endpoint}"), query)


def texts(response: Any) -> list[str]:
    assert response.status_code == 200, response.content.decode()
    return [row["text"] for row in response.json()["results"]]


def test_county_a_never_gets_a_county_b_region(world: Any, client: Any) -> None:
    for query in ("县", "村", "yxec", "510122"):
        found = texts(pick(client, world.a_clerk, "regions", q=query))
        assert not [t for t in found if "乙县" in t], query
    assert "乙县 › 乙县二镇 › 乙县二村" in texts(pick(client, world.city_leader, "regions", q="村"))


def test_region_by_pinyin_initials_shown_with_its_path(world: Any, client: Any) -> None:
    assert texts(pick(client, world.a_clerk, "regions", q="JXYC")) == ["甲县 › 甲县一镇 › 甲县一村"]
    assert texts(pick(client, world.a_clerk, "regions", q="jx")) == [
        "甲县",
        "甲县 › 甲县一镇",
        "甲县 › 甲县一镇 › 甲县一村",
    ]


def test_region_by_code_and_level(world: Any, client: Any) -> None:
    found = texts(pick(client, world.city_leader, "regions", q="510121", level="village"))
    assert found == ["甲县 › 甲县一镇 › 甲县一村"]


def test_person_by_name_only_in_scope(world: Any, client: Any, a_person: Person) -> None:
    assert [t.split("（")[0] for t in texts(pick(client, world.a_clerk, "people", q="张三"))] == [
        "甲县张三"
    ]
    leader = texts(pick(client, world.city_leader, "people", q="张三"))
    assert len(leader) == 2


def test_person_by_whole_id_number_never_by_a_part(
    world: Any, client: Any, a_person: Person
) -> None:
    whole = pick(client, world.a_clerk, "people", q=A_NUMBER)
    assert [row["id"] for row in whole.json()["results"]] == [a_person.pk]
    assert A_NUMBER[:6] not in whole.content.decode()  # the number is never returned
    for part in (A_NUMBER[:10], A_NUMBER[-6:], A_NUMBER[:17]):
        assert texts(pick(client, world.a_clerk, "people", q=part)) == [], part
    outsider = "529902197208150029"  # county B's person, out of county A's scope
    assert texts(pick(client, world.a_clerk, "people", q=outsider)) == []
    assert len(texts(pick(client, world.city_leader, "people", q=outsider))) == 1


def test_agencies_by_name_and_kind(world: Any, client: Any) -> None:
    assert texts(pick(client, world.a_clerk, "agencies", q="扫黑办")) == ["甲县扫黑办"]
    police = texts(pick(client, world.city_leader, "agencies", q="某市", kind="police"))
    assert police == ["某市公安局"]


@pytest.mark.parametrize("endpoint", ["regions", "people", "agencies"])
@pytest.mark.parametrize(
    "query",
    [
        {"q": "甲\x00"},
        {"q": "甲" * 201},
        {"q": "x", "level": "planet"},
        {"kind": "x"},
        {"key": "name"},
    ],
    ids=["nul", "long", "level", "kind", "key"],
)
def test_hostile_query_is_a_400_in_chinese(
    world: Any, client: Any, endpoint: str, query: dict[str, str]
) -> None:
    read_by = {"level": "regions", "key": "regions", "kind": "agencies"}
    if any(name in query and endpoint != read_by[name] for name in read_by):
        return  # a parameter the endpoint does not read
    response = pick(client, world.city_leader, endpoint, **query)
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["errors"][0])


@pytest.mark.parametrize("endpoint", ["regions", "people", "agencies"])
@pytest.mark.parametrize("query", ["%", "_", "' OR 1=1 --", "   ", "５１０１", "𠀀", "X"])
def test_odd_text_answers_without_error(world: Any, client: Any, endpoint: str, query: str) -> None:
    response = pick(client, world.city_leader, endpoint, q=query)
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 20


def test_picker_field_renders_the_chosen_option_only(world: Any, a_person: Person) -> None:
    form = ClueForm(
        initial={"region": world.village_a.pk, "persons": [a_person.pk]}, user=world.a_clerk
    )
    region, persons = str(form["region"]), str(form["persons"])
    assert region.count("<option") == 2  # the blank choice and the chosen region
    assert persons.count("<option") == 1
    assert 'data-picker="/pick/regions/"' in region
    assert 'data-picker="/pick/people/"' in persons
    assert "selected>甲县 › 甲县一镇 › 甲县一村</option>" in region
    assert "甲县张三" in persons


def test_key_outside_scope_refused_by_the_field(world: Any, a_person: Person) -> None:
    outsider = world.outsider_rows[Person]
    form = ClueForm(
        {"region": world.village_b.pk, "persons": [a_person.pk, outsider.pk]},
        user=world.a_clerk,
    )
    assert not form.is_valid()
    assert "选择一个有效的选项" in form.errors["region"][0]
    assert "选择一个有效的选项" in form.errors["persons"][0]


def test_list_filter_picks_a_region_by_name_and_sends_its_code(world: Any, client: Any) -> None:
    found = pick(client, world.a_clerk, "regions", q="jxyc", key="code").json()["results"]
    assert [row["id"] for row in found] == [world.village_a.code]
    html = client.get("/ledger/", {"within": world.village_a.code}).content.decode()
    assert 'data-picker="/pick/regions/?key=code"' in html
    chosen = f'<option value="{world.village_a.code}" selected>甲县 › 甲县一镇 › 甲县一村</option>'
    assert chosen in html
    outsider = client.get("/ledger/", {"within": world.village_b.code}).content.decode()
    assert "乙县二村" not in outsider  # a code outside the scope is not named


def test_rounds_are_chosen_by_name_among_those_in_scope(world: Any, client: Any) -> None:
    from baolei.screening.models import ScreeningRound

    round_ = world.outsider_rows[ScreeningRound]
    option = f'<option value="{round_.pk}" selected>乙县排查</option>'
    client.force_login(world.city_leader)
    page = client.get("/screening/organisations/", {"round": round_.pk}).content.decode()
    assert option in page
    client.force_login(world.a_clerk)
    assert "乙县排查" not in client.get("/screening/organisations/").content.decode()


@pytest.mark.parametrize(
    ("endpoint", "query"),
    [("regions", "jx"), ("regions", "甲"), ("people", "张"), ("agencies", "办")],
)
def test_search_query_budget(
    world: Any, client: Any, django_assert_max_num_queries: Any, endpoint: str, query: str
) -> None:
    client.force_login(world.city_leader)
    # session, user, agency, scope region and session touch; the search and its rows
    with django_assert_max_num_queries(9):
        client.get(reverse(f"web:pick_{endpoint}"), {"q": query})


def test_list_filters_by_agency_and_region_name(world: Any, client: Any) -> None:
    client.force_login(world.city_leader)
    ledger = client.get("/ledger/", {"owner_agency": world.agencies["a_office"].pk})
    assert "selected>甲县扫黑办</option>" in ledger.content.decode()
    assert 'data-picker="/pick/agencies/"' in ledger.content.decode()
    people = client.get("/people/", {"region": world.township_a.code}).content.decode()
    assert f'<option value="{world.township_a.code}" selected>甲县一镇</option>' in people
    client.force_login(world.a_clerk)
    outsider = client.get("/people/", {"region": world.township_b.code})
    assert outsider.status_code == 400  # not a choice the clerk has
