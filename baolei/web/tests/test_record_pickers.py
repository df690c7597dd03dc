"""The pickers for clues, cases, village cadres and screened organisations, and the list
filters that choose a region, a run or a negative-list item by name: only what the user
sees is offered, and the old links (``?within=<code>``, ``?run=<number>``, ``?hit=<code>``)
filter the same rows as before."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from baolei.cadres.models import Appointment
from baolei.cadres.tests.conftest import appoint
from baolei.cases.models import Case
from baolei.clues.models import Clue, ClueStatus
from baolei.screening.models import Hit, Screening
from baolei.vetting.models import VettingRun
from baolei.web.tests.test_pickers import pick, texts


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as t:
        yield t


def make_clue(world: Any, sequence: int, summary: str, **fields: Any) -> Clue:
    """A county-A clue written as registered (线索〔2026〕000N号)."""
    values = {
        "category": "gang",
        "region": world.village_a,
        "handling_agency": world.agencies["a_office"],
        **fields,
    }
    return Clue.objects.create(
        year=2026,
        sequence=sequence,
        number=f"线索〔2026〕{sequence:04d}号",
        received_on=date(2026, 11, 1),
        source="hotline",
        summary=summary,
        deadline=date(2026, 12, 31),
        **values,
    )


@pytest.fixture
def clues(world: Any) -> dict[str, Clue]:
    return {
        "gang": make_clue(world, 1, "甲县某村霸强揽工程"),
        "again": make_clue(world, 2, "甲县某村霸强揽工程（重复举报）"),
        "umbrella": make_clue(
            world,
            3,
            "甲县某干部充当保护伞",
            category="umbrella",
            handling_agency=world.agencies["city_discipline"],
        ),
    }


def test_clues_offered_only_as_the_clue_queryset_reveals_them(
    world: Any, client: Any, clues: dict[str, Clue]
) -> None:
    clerk = texts(pick(client, world.a_clerk, "clues", q="甲县"))
    assert clerk == [
        "线索〔2026〕0002号 甲县某村霸强揽工程（重复举报） · 甲县 › 甲县一镇 › 甲县一村",
        "线索〔2026〕0001号 甲县某村霸强揽工程 · 甲县 › 甲县一镇 › 甲县一村",
    ]
    assert texts(pick(client, world.a_clerk, "clues", q="保护伞")) == []
    assert texts(pick(client, world.a_clerk, "clues", q="乙县")) == []  # county B's
    discipline = texts(pick(client, world.discipline_clerk, "clues", q="保护伞"))
    assert [t.split()[0] for t in discipline] == ["线索〔2026〕0003号"]


def test_clue_by_number_as_typed_and_answered_by_number(
    world: Any, client: Any, clues: dict[str, Clue]
) -> None:
    found = pick(client, world.a_clerk, "clues", q="线索〔2026〕1号", key="number").json()
    assert [row["id"] for row in found["results"]] == ["线索〔2026〕0001号"]
    by_digits = pick(client, world.a_clerk, "clues", q="0002").json()["results"]
    assert [row["id"] for row in by_digits] == [clues["again"].pk]


def merge(client: Any, user: Any, clue: Clue, into: str) -> Clue:
    client.force_login(user)
    client.post(
        reverse("clues:action", args=[clue.pk, "merge"]),
        {"into": into, "on": "2026-11-20", "reason": "同一事项重复举报"},
    )
    clue.refresh_from_db()
    return clue


def test_merge_picks_the_clue_and_refuses_one_out_of_sight(
    world: Any, client: Any, clues: dict[str, Clue]
) -> None:
    client.force_login(world.a_clerk)
    page = client.get(reverse("clues:detail", args=[clues["again"].pk])).content.decode()
    assert 'data-picker="/pick/clues/?key=number"' in page and "并入线索" in page
    for hidden in (world.outsider_rows[Clue], clues["umbrella"]):
        assert merge(client, world.a_clerk, clues["again"], hidden.number).merged_into is None
    merged = merge(client, world.a_clerk, clues["again"], clues["gang"].number)
    assert merged.status == ClueStatus.MERGED and merged.merged_into == clues["gang"]


@pytest.fixture
def case_a(world: Any) -> Case:
    return Case.objects.create(
        number="甲公刑〔2026〕3号",
        name="甲县某恶势力寻衅滋事案",
        kind="evil_force",
        region=world.village_a,
        lead_agency=world.agencies["a_police"],
        opened_on=date(2026, 3, 1),
    )


def test_cases_by_number_name_and_initials_in_scope(world: Any, client: Any, case_a: Case) -> None:
    label = "甲公刑〔2026〕3号 甲县某恶势力寻衅滋事案 · 甲县 › 甲县一镇 › 甲县一村"
    assert texts(pick(client, world.a_clerk, "cases", q="恶势力")) == [label]
    assert texts(pick(client, world.a_clerk, "cases", q="甲公刑")) == [label]
    assert texts(pick(client, world.a_clerk, "cases", q="jxm")) == [label]
    assert texts(pick(client, world.a_clerk, "cases", q="乙公刑")) == []
    assert len(texts(pick(client, world.city_leader, "cases", q="恶势力"))) == 2


def test_clue_list_filters_by_case_chosen_by_name(
    world: Any, client: Any, clues: dict[str, Clue], case_a: Case
) -> None:
    Clue.objects.filter(pk=clues["gang"].pk).update(case=case_a)
    client.force_login(world.a_clerk)
    page = client.get("/clues/", {"case": case_a.pk}).content.decode()
    assert clues["gang"].number in page and clues["again"].number not in page
    assert 'data-picker="/pick/cases/"' in page and "selected>甲公刑〔2026〕3号" in page
    outsider = client.get("/clues/", {"case": world.outsider_rows[Case].pk})
    assert outsider.status_code == 400  # not a case the clerk may choose


def test_cadres_by_name_initials_or_village_in_scope(world: Any, client: Any) -> None:
    appoint(world, "张立新", 21)
    label = "张立新（村党组织书记，2024年任职）· 甲县 › 甲县一镇 › 甲县一村"
    assert texts(pick(client, world.a_clerk, "cadres", q="张立")) == [label]
    assert texts(pick(client, world.a_clerk, "cadres", q="zlx")) == [label]
    assert label in texts(pick(client, world.a_clerk, "cadres", q="甲县一村"))
    assert texts(pick(client, world.a_clerk, "cadres", q="张立", post="director")) == []
    outsider = world.outsider_rows[Appointment]
    assert texts(pick(client, world.a_clerk, "cadres", q=outsider.person.name)) == []
    assert texts(pick(client, world.city_leader, "cadres", q=outsider.person.name)) != []


def test_organisations_by_village_name_in_scope(world: Any, client: Any) -> None:
    label = "乙县二村党组织（乙县排查）· 乙县 › 乙县二镇 › 乙县二村"
    assert texts(pick(client, world.city_leader, "organisations", q="乙县二村")) == [label]
    assert texts(pick(client, world.city_leader, "organisations", q="yxec")) == [label]
    confirmed = pick(client, world.city_leader, "organisations", q="乙县", standing="confirmed")
    assert texts(confirmed) == []
    assert texts(pick(client, world.a_clerk, "organisations", q="乙县二村")) == []


@pytest.mark.parametrize("endpoint", ["clues", "cases", "cadres", "organisations"])
@pytest.mark.parametrize(
    "query",
    [{"q": "甲\x00"}, {"q": "甲" * 201}, {"q": "x", "post": "chief"}, {"q": "x", "key": "id"}],
    ids=["nul", "long", "post", "key"],
)
def test_hostile_query_is_a_400_in_chinese(
    world: Any, client: Any, endpoint: str, query: dict[str, str]
) -> None:
    read_by = {"post": "cadres", "key": "clues"}
    if any(name in query and endpoint != read_by[name] for name in read_by):
        return  # a parameter the endpoint does not read
    response = pick(client, world.city_leader, endpoint, **query)
    assert response.status_code == 400
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["errors"][0])


@pytest.mark.parametrize("endpoint", ["clues", "cases", "cadres", "organisations"])
@pytest.mark.parametrize("query", ["%", "_", "' OR 1=1 --", "５１０１", "𠀀", "X", "〔2026〕号"])
def test_odd_text_answers_without_error(world: Any, client: Any, endpoint: str, query: str) -> None:
    response = pick(client, world.city_leader, endpoint, q=query)
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 20


@pytest.mark.parametrize(
    ("endpoint", "query"),
    [
        ("clues", "线索"),
        ("cases", "案"),
        ("cadres", "乙"),
        ("cadres", "yx"),
        ("organisations", "村"),
    ],
)
def test_search_query_budget(
    world: Any, client: Any, django_assert_max_num_queries: Any, endpoint: str, query: str
) -> None:
    client.force_login(world.city_leader)
    with django_assert_max_num_queries(10):
        client.get(reverse(f"web:pick_{endpoint}"), {"q": query})


def test_old_region_code_links_filter_clues_and_cases_as_before(
    world: Any, client: Any, clues: dict[str, Clue], case_a: Case
) -> None:
    client.force_login(world.city_leader)
    page = client.get("/clues/", {"within": world.county_b.code}).content.decode()
    assert world.outsider_rows[Clue].number in page and clues["gang"].number not in page
    assert f'<option value="{world.county_b.code}" selected>乙县</option>' in page
    page = client.get("/cases/", {"within": world.county_a.code}).content.decode()
    assert case_a.number in page and world.outsider_rows[Case].number not in page
    assert 'data-picker="/pick/regions/?key=code"' in page and "区划代码" not in page


def test_old_parent_code_link_lists_the_same_regions(world: Any, client: Any) -> None:
    client.force_login(world.city_leader)
    page = client.get("/regions/", {"parent": world.county_a.code}).content.decode()
    assert "甲县一镇" in page and "乙县二镇" not in page
    assert f'<option value="{world.county_a.code}" selected>甲县</option>' in page
    assert "上级代码" not in page


def test_run_chosen_by_name_and_old_run_link_still_filters(world: Any, client: Any) -> None:
    run = world.outsider_rows[VettingRun]
    client.force_login(world.city_leader)
    page = client.get("/vetting/candidates/", {"run": run.pk}).content.decode()
    assert "乙县比中人员" in page
    assert f'<option value="{run.pk}" selected>乙县 ' in page and "比对批次号" not in page
    other = VettingRun.objects.create(
        region=world.county_b, sources=["cases"], threshold=0.2, status="done", progress=100
    )
    assert (
        "乙县比中人员" not in client.get("/vetting/candidates/", {"run": other.pk}).content.decode()
    )
    client.force_login(world.a_clerk)
    assert f'<option value="{run.pk}"' not in client.get("/vetting/candidates/").content.decode()


def test_hit_chosen_by_item_text_and_old_code_link_still_filters(world: Any, client: Any) -> None:
    screening = world.outsider_rows[Screening]
    item = screening.round.negative_list.items.order_by("code").first()
    Hit.objects.create(screening=screening, item=item, note="具体情况", recorded_by=world.b_clerk)
    client.force_login(world.city_leader)
    page = client.get("/screening/organisations/", {"hit": item.code}).content.decode()
    assert "乙县二村" in page
    assert f'<option value="{item.code}" selected>{item.code}. {item.text[:24]}</option>' in page
    other = screening.round.negative_list.items.exclude(pk=item.pk).first()
    page = client.get("/screening/organisations/", {"hit": other.code}).content.decode()
    assert "乙县二村" not in page.split("</form>", 1)[1]


def test_clue_list_finds_a_number_typed_without_its_padding(
    world: Any, client: Any, clues: dict[str, Clue]
) -> None:
    client.force_login(world.a_clerk)
    page = client.get("/clues/", {"q": "线索〔2026〕2号"}).content.decode()
    assert clues["again"].number in page and clues["gang"].number not in page
