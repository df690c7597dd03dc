"""The search box: each kind of record found by its key, only within the user's scope,
umbrella clues only for those who may see them, the page and the API alike."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.cases.services import open_case
from baolei.clues.services import register_clue
from baolei.conftest import make_region, make_user
from baolei.ledger.services import create_item
from baolei.people import idnumber
from baolei.people.services import create_person
from baolei.regions.models import Level
from baolei.search.models import Term


def valid_id(first_17: str) -> str:
    return first_17 + idnumber.check_char(first_17)


LI_MING_ID = valid_id("51012119800101123")


@pytest.fixture
def records(world: Any) -> dict[str, Any]:
    """County A's records, made through the services."""
    clerk = world.a_clerk
    police = make_user("a_police_clerk", world.agencies["a_police"], Role.CLERK)
    village = make_region("510121100300", "锦坡村", Level.VILLAGE, world.township_a)
    return {
        "village": village,
        "li_ming": create_person(
            actor=clerk, name="李明", region=world.village_a, id_number=LI_MING_ID
        ),
        "li_minghua": create_person(actor=clerk, name="李明华", region=village),
        "clue": register_clue(
            actor=clerk,
            received_on=date(2026, 3, 2),
            source="hotline",
            category="gang",
            summary="强揽工程",
            region=world.village_a,
        ),
        "case": open_case(
            actor=clerk,
            number="甲公刑〔2026〕015号",
            name="刘某某等人恶势力犯罪集团案",
            kind="evil_group",
            region=world.village_a,
            lead_agency=world.agencies["a_police"],
            opened_on=date(2026, 3, 5),
        ),
        "item": create_item(
            actor=clerk,
            title="整治村霸",
            region=world.village_a,
            owner_agency=world.agencies["a_office"],
            responsible_person="王五",
            deadline=date(2026, 12, 31),
        ),
        "police": police,
    }


def api(client: Any, user: Any, q: str) -> dict[str, Any]:
    client.force_login(user)
    response = client.get("/api/v1/search/", {"q": q})
    assert response.status_code == 200, response.content
    return response.json()


def found(client: Any, user: Any, q: str) -> dict[str, set[str]]:
    """Titles found per kind."""
    return {g["kind"]: {r["title"] for r in g["results"]} for g in api(client, user, q)["groups"]}


@pytest.mark.parametrize(
    ("query", "kind", "title"),
    [
        ("李明", "person", "李明"),
        ("李明", "person", "李明华"),
        ("明华", "person", "李明华"),
        ("lm", "person", "李明"),
        ("lmh", "person", "李明华"),
        (LI_MING_ID, "person", "李明"),
        ("锦坡", "region", "锦坡村"),
        ("jpc", "region", "锦坡村"),
        ("510121100300", "region", "锦坡村"),
        ("公安", "agency", "甲县公安局"),
        ("犯罪集团", "case", "甲公刑〔2026〕015号 刘某某等人恶势力犯罪集团案"),
        ("甲公刑〔2026〕015号", "case", "甲公刑〔2026〕015号 刘某某等人恶势力犯罪集团案"),
        ("15号", "case", "甲公刑〔2026〕015号 刘某某等人恶势力犯罪集团案"),
        ("线索〔2026〕0001号", "clue", "线索〔2026〕0001号"),
        ("2026-0001", "clue", "线索〔2026〕0001号"),
        ("0001号", "clue", "线索〔2026〕0001号"),
    ],
)
def test_each_kind_is_found_by_its_key(
    records: Any, world: Any, client: Any, query: str, kind: str, title: str
) -> None:
    assert title in found(client, world.a_clerk, query).get(kind, set())


def test_a_ledger_item_is_found_by_its_number(records: Any, world: Any, client: Any) -> None:
    item = records["item"]
    titles = found(client, world.a_clerk, item.key)["ledger"]
    assert titles == {f"{item.key} {item.title}"}


def test_a_ledger_item_is_found_by_its_former_number_too(
    records: Any, world: Any, client: Any
) -> None:
    item = records["item"]
    item.former_key = "TZ2025-00007"  # as the renumbering of machine-made numbers keeps it
    item.save()
    for number in (item.key, "TZ2025-00007", "tz2025-7"):
        assert found(client, world.a_clerk, number)["ledger"] == {f"{item.key} {item.title}"}
    assert "ledger" not in found(client, world.a_clerk, "TZ2025-00008")


def test_an_old_number_still_finds_the_record(records: Any, world: Any, client: Any) -> None:
    case = records["case"]
    case.number = "甲公刑〔2026〕115号"
    case.save()
    for number in ("甲公刑〔2026〕015号", "甲公刑〔2026〕115号"):
        assert found(client, world.a_clerk, number)["case"] == {f"{case.number} {case.name}"}
    Term.objects.all().delete()
    call_command("search_index")  # the rebuild reads the old number from the history
    assert found(client, world.a_clerk, "甲公刑〔2026〕015号")["case"] == {
        f"{case.number} {case.name}"
    }


def test_pairs_that_meet_apart_do_not_match(records: Any, world: Any, client: Any) -> None:
    create_person(actor=world.a_clerk, name="明华李明", region=world.village_a)
    assert found(client, world.a_clerk, "李明华")["person"] == {"李明华"}


def test_a_part_of_an_id_number_finds_no_one(records: Any, world: Any, client: Any) -> None:
    for part in (LI_MING_ID[:6], LI_MING_ID[:17], LI_MING_ID[-6:], LI_MING_ID[:-1] + "0"):
        assert "person" not in found(client, world.a_clerk, part)
    wrong_check = api(
        client, world.a_clerk, LI_MING_ID[:-1] + ("1" if LI_MING_ID[-1] != "1" else "2")
    )
    assert wrong_check["groups"] == [] and "校验位" in wrong_check["hint"]


def test_the_page_keeps_a_typed_id_number_out_of_the_address(
    records: Any, world: Any, client: Any
) -> None:
    client.force_login(world.a_clerk)
    response = client.get("/search/", {"q": LI_MING_ID})
    assert response.status_code == 302 and LI_MING_ID not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert f"/people/{records['li_ming'].pk}/" in page and LI_MING_ID not in page


def test_county_a_never_gets_county_b(records: Any, world: Any, client: Any) -> None:
    for query in ("乙县", "张三", "zs", "1999", "二村", "529902197208150029"):
        assert not api(client, world.a_clerk, query)["groups"], query
    leader = found(client, world.city_leader, "乙县")
    assert {"乙县张三"} <= leader["person"] and "乙县扫黑办" in leader["agency"]
    assert found(client, world.city_leader, "1999")["clue"] == {"线索〔1999〕乙县0001号"}


def test_an_umbrella_clue_is_seen_only_by_whom_it_may_be(
    records: Any, world: Any, client: Any
) -> None:
    discipline = Agency.objects.create(
        name="甲县纪委监委", kind=AgencyKind.DISCIPLINE, region=world.county_a
    )
    clue = register_clue(
        actor=make_user("a_discipline_clerk", discipline, Role.CLERK),
        received_on=date(2026, 4, 1),
        source="hotline",
        category="umbrella",
        summary="某所长收受好处",
        region=world.village_a,
    )
    for user in (records["police"], world.a_clerk):
        assert "clue" not in found(client, user, clue.number)
        client.force_login(user)
        page = client.get("/search/", {"q": clue.number}).content.decode()
        assert f"/clues/{clue.pk}/" not in page and "没有找到" in page
    for user in (world.city_leader, world.discipline_clerk):
        assert found(client, user, clue.number)["clue"] == {clue.number}
    # The other clue of the year is still found by everyone who sees it.
    assert "线索〔2026〕0001号" in found(client, records["police"], "2026")["clue"]


HIT_LINK = re.compile(r'<a class="list-group-item[^"]*" href="([^"]+)"')


@pytest.mark.parametrize("query", ["李明", "lm", "锦坡", "2026", "公安", "甲县"])
def test_the_page_and_the_api_agree(records: Any, world: Any, client: Any, query: str) -> None:
    answer = api(client, world.a_clerk, query)
    page = client.get("/search/", {"q": query}).content.decode()
    assert set(HIT_LINK.findall(page)) == {r["url"] for g in answer["groups"] for r in g["results"]}
    for group in answer["groups"]:
        assert f"{group['label']}（{group['count']}）" in page
    assert answer["total"] == sum(g["count"] for g in answer["groups"]) > 0


def test_a_search_costs_the_same_queries_however_many_match(
    records: Any, world: Any, client: Any
) -> None:
    client.force_login(world.a_clerk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/search/", {"q": "王伟"}).status_code == 200
        return len(captured)

    create_person(actor=world.a_clerk, name="王伟", region=world.village_a)
    queries()  # the first request of a session also refreshes the session
    few = queries()
    for _ in range(14):
        create_person(actor=world.a_clerk, name="王伟", region=world.village_a)
    assert api(client, world.a_clerk, "王伟")["groups"][0]["count"] == 15
    # the session, the user, the agency, the user's region; a count and the first
    # rows per kind that has a match, a count for each kind that has none
    assert queries() == few <= 4 + 2 * 6


def test_more_matches_than_shown_link_to_the_kinds_list(
    records: Any, world: Any, client: Any
) -> None:
    for _ in range(11):
        create_person(actor=world.a_clerk, name="王伟", region=world.village_a)
    group = api(client, world.a_clerk, "王伟")["groups"][0]
    assert (group["count"], len(group["results"])) == (11, 10)
    assert group["more_url"] == "/people/?name=%E7%8E%8B%E4%BC%9F"
    client.force_login(world.a_clerk)
    assert client.get(group["more_url"]).content.decode().count("王伟</a>") == 11


@pytest.mark.parametrize("query", ["", " ", "李", "7"])
def test_a_query_too_short_gets_a_hint(world: Any, client: Any, query: str) -> None:
    answer = api(client, world.a_clerk, query)
    assert answer["groups"] == [] and "至少两个字" in answer["hint"]
    page = client.get("/search/", {"q": query})
    assert page.status_code == 200 and "至少两个字" in page.content.decode()


@pytest.mark.parametrize("query", ["李\x00明", "李" * 201])
def test_hostile_input_is_a_400(world: Any, client: Any, query: str) -> None:
    client.force_login(world.a_clerk)
    assert client.get("/api/v1/search/", {"q": query}).status_code == 400
    assert client.get("/search/", {"q": query}).status_code == 400
    assert client.get("/search/", {"id_key": "not-a-hash"}).status_code == 400


@pytest.mark.parametrize("query", ["%%", "__", "'; drop table", "〔〕", "李%明", "a" * 200])
def test_odd_input_finds_nothing_without_error(
    records: Any, world: Any, client: Any, query: str
) -> None:
    assert api(client, world.a_clerk, query)["groups"] == []


def test_deleting_a_record_drops_it_from_the_index(world: Any, client: Any) -> None:
    agency = Agency.objects.create(name="甲县法院", kind=AgencyKind.COURT, region=world.county_a)
    assert found(client, world.a_clerk, "法院")["agency"] == {"甲县法院"}
    agency.delete()
    assert not Term.objects.filter(kind="agency", record_id=agency.pk).exists()
    assert api(client, world.a_clerk, "法院")["groups"] == []


def test_anonymous_is_refused(client: Any) -> None:
    assert client.get("/api/v1/search/", {"q": "李明"}).status_code in (401, 403)
    assert client.get("/search/", {"q": "李明"}).status_code == 302
