"""Reads of the network: a breadth-first walk over persons, cases, clues and village posts.

The edges come from four kinds of records, each read through its own model's
``visible_to(user)``: relations between persons (``Relation``), suspects of a case
(``cases.Suspect``), persons named in a clue (``Clue.persons``, through the clue
queryset, so umbrella and corruption clues stay hidden from whoever may not see them)
and cadre appointments (``cadres.Appointment``). A node is drawn only if the user sees
its record; an edge only if the user sees its record and both its ends.

Each hop asks one query per kind of edge for the whole frontier and one query per kind
of node for the nodes it reached, never one per node, so the number of queries grows
with the hops asked for, not with the size of the graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from baolei.cadres.models import Appointment
from baolei.cadres.pickers import cadre_label
from baolei.cadres.queries import in_office
from baolei.cases.models import Case, Suspect, SuspectRole
from baolei.cases.pickers import case_label
from baolei.clues.models import Clue
from baolei.clues.pickers import clue_label
from baolei.network.models import Decision, Identity, Kind, Relation
from baolei.people.models import Person
from baolei.people.pickers import person_label
from baolei.regions.models import VILLAGE_LEVELS

#: Nodes drawn at most; the page says when the walk stopped there.
NODE_CAP = 300
#: Nodes a search for a path or for cadres may reach before it gives up.
SEARCH_CAP = 3000
#: New nodes looked at per hop at most (what a hop finds beyond this is cut).
CANDIDATE_CAP = 2000
MAX_HOPS = 4
PATH_HOPS = 6

PERSON, CASE, CLUE, POST = "person", "case", "clue", "post"
NODE_KINDS = {PERSON: "人员", CASE: "案件", CLUE: "线索", POST: "村干部任职"}
#: Edges read from other records, beside the relation kinds.
SUSPECT, NAMED, HOLDS, SAME = "suspect", "named", "holds", "same"
DERIVED_KINDS = {
    SUSPECT: "涉案（犯罪嫌疑人）",
    NAMED: "线索涉及",
    HOLDS: "任职",
    SAME: "同一人（已确认）",
}
EDGE_KINDS = {**dict(Kind.choices), **DERIVED_KINDS}
PATH_JOINS = "region__parent__parent__parent"


@dataclass(frozen=True)
class Filters:
    """What a walk follows: edge kinds (empty: all), dates of the edges, and a region
    whose subtree the nodes must lie in (start nodes always stay)."""

    kinds: frozenset[str] = frozenset()
    start: date | None = None
    end: date | None = None
    within: str = ""

    def follows(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    def dated(self, field_name: str) -> Q:
        """The date bounds on one edge's date column; an undated edge is out once bounded."""
        wanted = Q()
        if self.start is not None:
            wanted &= Q(**{f"{field_name}__gte": self.start})
        if self.end is not None:
            wanted &= Q(**{f"{field_name}__lte": self.end})
        return wanted


@dataclass(frozen=True)
class Node:
    key: str
    kind: str
    id: int
    label: str
    detail: str
    url: str
    region: str
    cadre: bool = False


@dataclass(frozen=True)
class Edge:
    key: str
    source: str
    target: str
    kind: str
    label: str
    on: date | None
    relation: int | None = None

    @property
    def kind_label(self) -> str:
        return EDGE_KINDS.get(self.kind, self.kind)


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)
    start: list[str] = field(default_factory=list)
    #: Node key → (the node it was reached from, the edge between them).
    parents: dict[str, tuple[str, str]] = field(default_factory=dict)
    truncated: bool = False
    highlighted_nodes: set[str] = field(default_factory=set)
    highlighted_edges: set[str] = field(default_factory=set)
    #: What was asked of the graph beyond the walk, said on the page ("找到村干部 2 名").
    finding: str = ""

    def trace(self, key: str) -> list[str]:
        """Edge keys from a start node to ``key`` along the walk."""
        edges = []
        while key in self.parents:
            key, edge = self.parents[key]
            edges.append(edge)
        return edges[::-1]

    def origin(self, key: str) -> str:
        """The start node the walk reached ``key`` from."""
        while key in self.parents:
            key = self.parents[key][0]
        return key

    def highlight(self, edge_keys: Iterable[str]) -> None:
        for key in edge_keys:
            edge = self.edges[key]
            self.highlighted_edges.add(key)
            self.highlighted_nodes.update((edge.source, edge.target))


def node_key(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def split_key(key: str) -> tuple[str, int]:
    kind, _, pk = key.partition(":")
    return kind, int(pk)


# ---------------------------------------------------------------- nodes


def load_nodes(user: Any, keys: Iterable[str], filters: Filters, limit: int) -> list[Node]:
    """The nodes among ``keys`` the user sees (and within the filter's region): one query
    per kind of node asked for; at most ``limit``, in the order of ``keys``."""
    wanted: dict[str, list[int]] = {}
    order = list(keys)
    for key in order:
        kind, pk = split_key(key)
        wanted.setdefault(kind, []).append(pk)
    found: dict[str, Node] = {}
    region = Q(region__code__under=filters.within) if filters.within else Q()
    if wanted.get(PERSON):
        people = Person.objects.visible_to(user).filter(region, pk__in=wanted[PERSON])
        for person in people.select_related(PATH_JOINS):
            found[node_key(PERSON, person.pk)] = person_node(person)
    if wanted.get(CASE):
        cases = Case.objects.visible_to(user).filter(region, pk__in=wanted[CASE])
        for case in cases.select_related(PATH_JOINS):
            found[node_key(CASE, case.pk)] = case_node(case)
    if wanted.get(CLUE):
        clues = Clue.objects.visible_to(user).filter(region, pk__in=wanted[CLUE])
        for clue in clues.select_related(PATH_JOINS):
            found[node_key(CLUE, clue.pk)] = clue_node(clue)
    if wanted.get(POST):
        posts = Appointment.objects.visible_to(user).filter(region, pk__in=wanted[POST])
        for post in posts.select_related("person", PATH_JOINS):
            found[node_key(POST, post.pk)] = post_node(post)
    return [found[key] for key in order if key in found][:limit]


def person_node(person: Person) -> Node:
    label = person_label(person)
    return Node(
        node_key(PERSON, person.pk),
        PERSON,
        person.pk,
        person.name,
        label.partition(" · ")[2] or label,
        reverse("people:detail", args=[person.pk]),
        person.region.code,
    )


def case_node(case: Case) -> Node:
    return Node(
        node_key(CASE, case.pk),
        CASE,
        case.pk,
        case.name,
        case_label(case),
        reverse("cases:detail", args=[case.pk]),
        case.region.code,
    )


def clue_node(clue: Clue) -> Node:
    return Node(
        node_key(CLUE, clue.pk),
        CLUE,
        clue.pk,
        clue.number,
        f"{clue.get_category_display()} · {clue_label(clue)}",
        reverse("clues:detail", args=[clue.pk]),
        clue.region.code,
    )


def post_node(post: Appointment) -> Node:
    return Node(
        node_key(POST, post.pk),
        POST,
        post.pk,
        f"{post.region.name}{post.get_post_display()}",
        cadre_label(post),
        reverse("cadres:cadre", args=[post.person_id]),
        post.region.code,
    )


# ---------------------------------------------------------------- edges


def neighbours(user: Any, frontier: Iterable[str], filters: Filters) -> list[Edge]:
    """Every edge of the frontier the user may see the record of: one query per kind of
    edge (relations, suspects, clue persons, appointments) for the whole frontier."""
    ids: dict[str, list[int]] = {PERSON: [], CASE: [], CLUE: [], POST: []}
    for key in frontier:
        kind, pk = split_key(key)
        ids[kind].append(pk)
    persons = ids[PERSON]
    edges: list[Edge] = []
    relation_kinds = [k for k in Kind.values if filters.follows(k)]
    if persons and relation_kinds:
        rows = (
            Relation.objects.visible_to(user)
            .touching(persons)
            .filter(filters.dated("began_on"), kind__in=relation_kinds)
            .values_list("pk", "person_a", "person_b", "kind", "detail", "began_on")
        )
        for pk, a, b, kind, detail, on in rows:
            label = EDGE_KINDS[kind] + (f"（{detail}）" if detail else "")
            edges.append(
                Edge(
                    f"relation:{pk}", node_key(PERSON, a), node_key(PERSON, b), kind, label, on, pk
                )
            )
    if persons and filters.follows(SAME):
        rows = (
            Identity.objects.visible_to(user)
            .filter(Q(person__in=persons) | Q(other__in=persons), decision=Decision.CONFIRMED)
            .values_list("pk", "person", "other", "decided_at")
        )
        for pk, a, b, at in rows:
            on = timezone.localtime(at).date() if at else None
            edges.append(
                Edge(f"same:{pk}", node_key(PERSON, a), node_key(PERSON, b), SAME, "同一人", on)
            )
    if (persons or ids[CASE]) and filters.follows(SUSPECT):
        rows = (
            Suspect.objects.visible_to(user)
            .filter(Q(person__in=persons) | Q(case__in=ids[CASE]))
            .filter(filters.dated("case__opened_on"))
            .values_list("pk", "person", "case", "role", "case__opened_on")
        )
        for pk, person, case, role, on in rows:
            label = f"犯罪嫌疑人（{SuspectRole(role).label}）"
            edges.append(
                Edge(
                    f"suspect:{pk}",
                    node_key(PERSON, person),
                    node_key(CASE, case),
                    SUSPECT,
                    label,
                    on,
                )
            )
    if (persons or ids[CLUE]) and filters.follows(NAMED):
        through = Clue.persons.through
        rows = (
            through.objects.filter(Q(person__in=persons) | Q(clue__in=ids[CLUE]))
            .filter(clue__in=Clue.objects.visible_to(user).values("pk"))
            .filter(filters.dated("clue__received_on"))
            .values_list("pk", "person", "clue", "clue__received_on")
        )
        for pk, person, clue, on in rows:
            edges.append(
                Edge(
                    f"named:{pk}",
                    node_key(PERSON, person),
                    node_key(CLUE, clue),
                    NAMED,
                    "线索涉及",
                    on,
                )
            )
    if (persons or ids[POST]) and filters.follows(HOLDS):
        rows = (
            Appointment.objects.visible_to(user)
            .filter(Q(person__in=persons) | Q(pk__in=ids[POST]))
            .filter(filters.dated("started_on"))
            .values_list("pk", "person", "started_on")
        )
        for pk, person, on in rows:
            edges.append(
                Edge(f"holds:{pk}", node_key(PERSON, person), node_key(POST, pk), HOLDS, "任职", on)
            )
    return edges


# ---------------------------------------------------------------- walks


def walk(
    user: Any,
    start: list[str],
    hops: int,
    filters: Filters,
    *,
    cap: int = NODE_CAP,
    until: str = "",
) -> Graph:
    """Breadth first from ``start`` (keys the caller has read through the scoped door),
    ``hops`` deep, keeping at most ``cap`` nodes; stops early once ``until`` is reached."""
    graph = Graph(start=[])
    starts = load_nodes(user, start, Filters(), len(start))
    for node in starts:
        graph.nodes[node.key] = node
        graph.start.append(node.key)
    frontier = list(graph.start)
    for _ in range(hops):
        if not frontier or until in graph.nodes:
            break
        found = neighbours(user, frontier, filters)
        fresh: list[str] = []
        seen = set(frontier)
        for edge in found:
            for end in (edge.source, edge.target):
                if end not in graph.nodes and end not in seen:
                    seen.add(end)
                    fresh.append(end)
        if len(fresh) > CANDIDATE_CAP:
            fresh, graph.truncated = fresh[:CANDIDATE_CAP], True
        room = max(cap - len(graph.nodes), 0)
        reached = load_nodes(user, fresh, filters, room + 1) if fresh else []
        if len(reached) > room:
            reached, graph.truncated = reached[:room], True
        from_frontier = set(frontier)
        for node in reached:
            graph.nodes[node.key] = node
        for edge in found:
            if edge.source in graph.nodes and edge.target in graph.nodes:
                graph.edges.setdefault(edge.key, edge)
                near, far = (
                    (edge.source, edge.target)
                    if edge.source in from_frontier
                    else (edge.target, edge.source)
                )
                if far not in graph.parents and far not in graph.start and near in from_frontier:
                    graph.parents[far] = (near, edge.key)
        frontier = [node.key for node in reached]
    mark_cadres(user, graph)
    return graph


def mark_cadres(user: Any, graph: Graph, on: date | None = None) -> set[str]:
    """Flag the persons of the graph who hold a village post today (one query)."""
    persons = [n.id for n in graph.nodes.values() if n.kind == PERSON]
    if not persons:
        return set()
    rows = in_office(
        Appointment.objects.visible_to(user).filter(
            person__in=persons, region__level__in=VILLAGE_LEVELS
        ),
        on or timezone.localdate(),
    )
    cadres = {node_key(PERSON, pk) for pk in rows.values_list("person", flat=True)}
    for key in cadres:
        graph.nodes[key] = replace(graph.nodes[key], cadre=True)
    return cadres


def expand(user: Any, start: str, hops: int, filters: Filters) -> Graph:
    """The network around one record, ``hops`` deep."""
    return walk(user, [start], hops, filters)


def shortest_path(user: Any, first: int, second: int, filters: Filters) -> Graph:
    """One shortest chain of visible records between two persons (up to PATH_HOPS)."""
    target = node_key(PERSON, second)
    searched = walk(
        user, [node_key(PERSON, first)], PATH_HOPS, filters, cap=SEARCH_CAP, until=target
    )
    graph = Graph(start=searched.start)
    if target not in searched.nodes:
        graph.nodes = {k: searched.nodes[k] for k in searched.start}
        graph.finding = f"在 {PATH_HOPS} 步之内未找到两人之间您可见的关联。"
        return graph
    keep(graph, searched, searched.trace(target))
    graph.highlight(graph.edges)
    graph.finding = f"两人之间最短相隔 {len(graph.edges)} 步。"
    return graph


def umbrella(user: Any, case: Case, hops: int, filters: Filters) -> Graph:
    """打伞破网: every village cadre in office within ``hops`` of the case's suspects,
    with one shortest chain from a suspect to each (the case itself is one hop away
    from its suspects, so it is not counted)."""
    suspects = list(
        Suspect.objects.visible_to(user)
        .filter(case=case, person__in=Person.objects.visible_to(user))
        .values_list("person", flat=True)
    )
    searched = walk(user, [node_key(PERSON, pk) for pk in suspects], hops, filters, cap=SEARCH_CAP)
    cadres = sorted(
        (k for k, n in searched.nodes.items() if n.cadre),
        key=lambda k: (len(searched.trace(k)), k),
    )
    graph = walk(user, [node_key(CASE, case.pk)], 1, Filters(kinds=frozenset({SUSPECT})))
    graph.start = [node_key(CASE, case.pk)]
    for key in cadres:
        keep(graph, searched, searched.trace(key))
    posts = [
        e
        for e in neighbours(user, cadres, Filters(kinds=frozenset({HOLDS})))
        if e.target not in graph.nodes
    ]
    for node in load_nodes(user, [e.target for e in posts], Filters(), len(posts)):
        graph.nodes[node.key] = node
    for edge in posts:
        if edge.target in graph.nodes:
            graph.edges[edge.key] = edge
    for key in cadres:
        graph.highlight(searched.trace(key))
        graph.highlighted_nodes.add(key)
        suspect = searched.origin(key)
        graph.highlight(
            e.key for e in graph.edges.values() if e.kind == SUSPECT and e.source == suspect
        )
    graph.truncated = searched.truncated
    names = "、".join(searched.nodes[k].label for k in cadres)
    graph.finding = (
        f"案件犯罪嫌疑人 {hops} 步之内有在任村（社区）干部 {len(cadres)} 名：{names}。"
        if cadres
        else f"案件犯罪嫌疑人 {hops} 步之内未发现您可见的在任村（社区）干部。"
    )
    return graph


def keep(graph: Graph, searched: Graph, edge_keys: list[str]) -> None:
    """Copy a chain of edges, with its nodes, from a search into the graph shown."""
    for key in edge_keys:
        edge = searched.edges[key]
        graph.edges[key] = edge
        for end in (edge.source, edge.target):
            graph.nodes.setdefault(end, searched.nodes[end])
