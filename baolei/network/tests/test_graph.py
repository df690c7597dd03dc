"""The walk over the network: what it reaches, what it hides, and what it costs."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from baolei.network import queries, services
from baolei.network.queries import Filters, expand, node_key, shortest_path, umbrella
from baolei.people.models import Person


def key(person: Person) -> str:
    return node_key("person", person.pk)


def labels(graph: Any) -> set[str]:
    return {n.label for n in graph.nodes.values()}


def test_two_hops_from_the_boss_reach_brother_case_and_co_suspect(world: Any, gang: Any) -> None:
    graph = expand(world.city_leader, key(gang.boss), 2, Filters())
    assert {
        "黄某",
        "黄某二",
        "刘书记",
        "甲县黄某等人恶势力案",
        "钱某",
        "线索〔2026〕0901号",
        "官某",
    } <= labels(graph)
    assert "孙某" not in labels(graph)  # three hops away
    assert graph.nodes[key(gang.secretary)].cadre
    assert not graph.nodes[key(gang.boss)].cadre
    kinds = {e.kind for e in graph.edges.values()}
    assert {"kin", "guarantee", "suspect", "named"} <= kinds


def test_umbrella_clues_stay_hidden_from_those_who_may_not_see_them(world: Any, gang: Any) -> None:
    for persona in ("a_clerk", "a_reviewer", "police_clerk"):
        graph = expand(world.users[persona], key(gang.boss), 3, Filters())
        assert "线索〔2026〕0901号" not in labels(graph), persona
        assert "官某" not in labels(graph), persona
        assert not any(e.kind == "named" for e in graph.edges.values())
    for persona in ("city_leader", "discipline_clerk"):
        graph = expand(world.users[persona], key(gang.boss), 2, Filters())
        assert {"线索〔2026〕0901号", "官某"} <= labels(graph), persona


def test_county_b_relations_and_persons_stay_hidden_from_county_a(world: Any, gang: Any) -> None:
    outsider = world.outsider_rows[Person]
    services.add_relation(
        actor=world.police_clerk, person_a=gang.boss, person_b=outsider, kind="funds", source="流水"
    )
    graph = expand(world.a_clerk, key(gang.boss), 3, Filters())
    assert not any("乙县" in n.label + n.detail for n in graph.nodes.values())
    assert not any(
        e.kind == "funds" and key(outsider) in (e.source, e.target) for e in graph.edges.values()
    )
    assert expand(world.a_clerk, key(outsider), 2, Filters()).nodes == {}
    seen = expand(world.city_leader, key(gang.boss), 1, Filters())
    assert key(outsider) in seen.nodes


def test_filters_by_kind_date_and_region(world: Any, gang: Any) -> None:
    only_kin = expand(world.city_leader, key(gang.boss), 3, Filters(kinds=frozenset({"kin"})))
    assert labels(only_kin) == {"黄某", "黄某二"}
    later = expand(world.city_leader, key(gang.boss), 2, Filters(start=date(2021, 1, 1)))
    assert "黄某二" not in labels(later)  # the kinship is dated 2020
    assert "甲县黄某等人恶势力案" in labels(later)
    elsewhere = expand(world.city_leader, key(gang.boss), 2, Filters(within=world.county_b.prefix))
    assert labels(elsewhere) == {"黄某"}


def test_the_walk_stops_at_the_node_cap_and_says_so(
    world: Any, gang: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(queries, "NODE_CAP", 3)
    graph = queries.walk(world.city_leader, [key(gang.boss)], 3, Filters(), cap=3)
    assert len(graph.nodes) == 3
    assert graph.truncated
    assert not expand(world.city_leader, key(gang.boss), 1, Filters()).truncated


def test_shortest_path_between_two_persons(world: Any, gang: Any) -> None:
    graph = shortest_path(world.a_clerk, gang.boss.pk, gang.director.pk, Filters())
    # 黄某 → case → 钱某 → 孙某 → 赵主任
    assert len(graph.edges) == 4
    assert graph.highlighted_edges == set(graph.edges)
    assert {"黄某", "钱某", "孙某", "赵主任"} <= labels(graph)
    none = shortest_path(world.a_clerk, gang.boss.pk, gang.bystander.pk, Filters())
    assert none.edges == {}
    assert "未找到" in none.finding


def test_the_umbrella_question_finds_both_village_cadres(world: Any, gang: Any) -> None:
    graph = umbrella(world.a_clerk, gang.case, 2, Filters())
    cadres = {n.label for n in graph.nodes.values() if n.cadre}
    assert cadres == {"刘书记", "赵主任"}
    assert {key(gang.secretary), key(gang.director)} <= graph.highlighted_nodes
    assert "在任村（社区）干部 2 名" in graph.finding
    assert any(n.kind == "post" for n in graph.nodes.values())
    assert "路人甲" not in labels(graph)
    near = umbrella(world.a_clerk, gang.case, 1, Filters())
    assert not any(n.cadre for n in near.nodes.values())


def test_queries_do_not_grow_with_the_graph(world: Any, gang: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            expand(world.a_clerk, key(gang.boss), 3, Filters())
        return len(captured)

    small = count()
    village = world.village_a
    for n in range(30):
        extra = Person.objects.create(name=f"亲友{n}", region=village)
        services.add_relation(
            actor=world.a_clerk, person_a=gang.brother, person_b=extra, kind="close", source="走访"
        )
        services.add_relation(
            actor=world.a_clerk, person_a=gang.henchman, person_b=extra, kind="funds", source="流水"
        )
    large = count()
    assert large == small
    assert small <= 3 * 9 + 4
