"""The network page, its export, the relation form, the import and the clue from a link."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from baolei.clues.models import Clue
from baolei.network.models import Relation
from baolei.people.models import Person

URL = "/network/"


def graph_data(response: Any) -> Any:
    found = re.search(
        r'<script id="network-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.DOTALL,
    )
    assert found is not None
    return json.loads(found.group(1))


def test_anonymous_is_sent_to_login(client: Any, world: Any) -> None:
    assert client.get(URL).status_code == 302


def test_the_page_draws_the_graph_and_lists_its_edges(world: Any, gang: Any, login: Any) -> None:
    client = login(world.a_clerk)
    response = client.get(URL, {"person": gang.boss.pk, "hops": 2})
    assert response.status_code == 200
    page = response.content.decode()
    assert "echarts/echarts.min.js" in page and "network/network.js" in page
    assert "cdn" not in page.lower()
    assert "亲属（兄弟姐妹）" in page
    assert "线索〔2026〕0901号" not in page  # the umbrella clue, hidden from the county clerk
    labels = {n["label"] for n in graph_data(response)["nodes"]}
    assert {"黄某", "黄某二", "刘书记"} <= labels
    assert f"/network/relations/{gang.relations[0].pk}/remove/" in page


def test_the_umbrella_question_on_the_page(world: Any, gang: Any, login: Any) -> None:
    page = login(world.a_clerk).get(URL, {"case": gang.case.pk, "umbrella": "1", "hops": 2})
    text = page.content.decode()
    assert "在任村（社区）干部 2 名" in text
    assert "刘书记" in text and "赵主任" in text


def test_a_county_b_start_is_a_404_and_bad_parameters_a_400(world: Any, login: Any) -> None:
    client = login(world.a_clerk)
    assert client.get(URL, {"person": world.outsider_rows[Person].pk}).status_code == 404
    assert client.get(URL, {"person": "x"}).status_code == 400
    assert client.get(URL, {"person": "1", "hops": "99"}).status_code == 400


def test_export_holds_the_nodes_and_edges(world: Any, gang: Any, login: Any) -> None:
    response = login(world.a_clerk).get(URL, {"person": gang.boss.pk, "hops": 1, "export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    nodes, edges = book.worksheets
    node_rows = list(nodes.iter_rows(min_row=3, values_only=True))
    assert {r[3] for r in node_rows} == {"黄某", "黄某二", "甲县黄某等人恶势力案"}
    edge_rows = list(edges.iter_rows(min_row=3, values_only=True))
    assert {r[5] for r in edge_rows} == {"亲属（兄弟姐妹）", "犯罪嫌疑人（组织者、领导者）"}
    assert edges.cell(row=2, column=2).value == "连线"


def test_adding_a_relation_on_the_page(world: Any, gang: Any, login: Any) -> None:
    client = login(world.a_clerk)
    form = client.get("/network/relations/new/", {"person": gang.boss.pk})
    assert form.status_code == 200
    data = {
        "person_a": gang.boss.pk,
        "person_b": gang.bystander.pk,
        "kind": "funds",
        "detail": "借款20万元",
        "source": "银行流水",
        "began_on": "2023-06-01",
    }
    response = client.post("/network/relations/new/", data)
    assert response.status_code == 302
    relation = Relation.objects.get(kind="funds", detail="借款20万元")
    assert relation.history.get().history_user == world.a_clerk
    same = client.post("/network/relations/new/", data)
    assert same.status_code == 200
    assert "已登记“资金往来”关系" in same.content.decode()


def test_leaders_may_not_add_relations(world: Any, login: Any) -> None:
    assert login(world.city_leader).get("/network/relations/new/").status_code == 403


def test_removing_a_relation(world: Any, gang: Any, login: Any) -> None:
    relation = gang.relations[0]
    assert (
        login(world.police_clerk).post(f"/network/relations/{relation.pk}/remove/").status_code
        == 403
    )
    response = login(world.a_clerk).post(f"/network/relations/{relation.pk}/remove/")
    assert response.status_code == 302
    assert not Relation.objects.filter(pk=relation.pk).exists()


def sheet(*rows: Any) -> io.BytesIO:
    book = Workbook()
    book.active.append(["人员关系"])
    book.active.append(["人员甲", "人员乙", "关系类型", "具体关系", "信息来源", "关系起始日期"])
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "relations.xlsx"
    return buffer


def test_import_is_all_or_nothing(world: Any, gang: Any, login: Any) -> None:
    client = login(world.a_clerk)
    before = Relation.objects.count()
    bad = sheet(
        (gang.boss.pk, gang.bystander.pk, "同伙", "", "笔录", "2022-01-01"),
        (gang.boss.pk, world.outsider_rows[Person].pk, "亲属", "兄弟", "户籍", ""),
        (gang.boss.pk, gang.boss.pk, "雇佣", "", "合同", ""),
    )
    response = client.post("/network/relations/import/", {"file": bad})
    page = response.content.decode()
    assert response.status_code == 200
    assert "不是您管理范围内人员的编号或身份证号码" in page
    assert "不能登记人员与其本人的关系" in page
    assert Relation.objects.count() == before
    good = sheet(
        (gang.boss.pk, gang.bystander.pk, "同伙", "", "笔录", "2022-01-01"),
        (gang.director.pk, gang.bystander.pk, "亲属", "夫妻", "户籍", ""),
    )
    assert client.post("/network/relations/import/", {"file": good}).status_code == 302
    assert Relation.objects.count() == before + 2


@pytest.mark.parametrize("persona", ["a_clerk", "city_leader"])
def test_a_link_opens_a_clue_that_leads_back(
    world: Any, gang: Any, login: Any, persona: str
) -> None:
    client = login(world.users[persona])
    query = {"case": gang.case.pk, "umbrella": "1", "hops": "2"}
    form = client.get("/network/clue/", query)
    if persona == "city_leader":
        assert form.status_code == 403
        return
    page = form.content.decode()
    assert "背景审查发现" in page
    assert "/network/?case=" in page
    initial = form.context["form"].initial
    assert initial["source"] == "vetting_hit"
    assert initial["category"] == "umbrella"
    assert set(initial["persons"]) == {
        gang.boss.pk,
        gang.henchman.pk,
        gang.brother.pk,
        gang.middleman.pk,
        gang.secretary.pk,
        gang.director.pk,
    }
    data = {
        "received_on": initial["received_on"].isoformat(),
        "source": initial["source"],
        "category": initial["category"],
        "summary": initial["summary"],
        "region": world.village_a.pk,
        "persons": [gang.secretary.pk, gang.director.pk],
    }
    response = client.post("/network/clue/?" + "&".join(f"{k}={v}" for k, v in query.items()), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    clue = Clue.objects.filter(created_by=world.a_clerk).get()
    assert clue.source == "vetting_hit"
    assert f"/network/?case={gang.case.pk}" in clue.summary


def test_the_page_has_a_query_budget(
    world: Any, gang: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(world.a_clerk)
    client.get(URL)  # the session and navigation badges, read once
    with django_assert_max_num_queries(40):
        assert client.get(URL, {"person": gang.boss.pk, "hops": 3}).status_code == 200
    with django_assert_max_num_queries(40):
        export = client.get(URL, {"person": gang.boss.pk, "hops": 3, "export": "xlsx"})
        assert export.status_code == 200


def test_person_case_and_clue_pages_open_their_network(world: Any, gang: Any, login: Any) -> None:
    client = login(world.city_leader)
    pages = {
        f"/people/{gang.boss.pk}/": f"/network/?person={gang.boss.pk}",
        f"/cases/{gang.case.pk}/": f"/network/?case={gang.case.pk}&umbrella=1",
        f"/clues/{gang.clue.pk}/": f"/network/?clue={gang.clue.pk}",
    }
    for page, link in pages.items():
        html = client.get(page).content.decode()
        assert link in html, page
        assert "关系网络" in html
