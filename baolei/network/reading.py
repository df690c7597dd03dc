"""What a request asks of the network, parsed once for the page, its export and the API.

``?person=`` (or ``case=``, ``clue=``, ``post=``) names the start, ``hops`` how far to go
(1–4), ``kind`` the kinds of edge to follow (repeatable, or comma-separated), ``from`` and
``to`` bound the edges' dates, ``within`` a region (12-digit code) the nodes must lie in.
With ``to_person`` the answer is the shortest chain between ``person`` and that person;
with ``umbrella=1`` and ``case`` it is every village cadre within ``hops`` of the case's
suspects. A malformed value is a 400 (``baolei.core.params``); a start the user may not
see is a 404, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import Http404

from baolei.cadres.models import Appointment
from baolei.cases.models import Case
from baolei.clues.models import Clue
from baolei.core import params
from baolei.network import queries
from baolei.network.queries import EDGE_KINDS, MAX_HOPS, Filters, Graph
from baolei.people.models import Person
from baolei.regions.models import Region

START_MODELS: dict[str, Any] = {
    queries.PERSON: Person,
    queries.CASE: Case,
    queries.CLUE: Clue,
    queries.POST: Appointment,
}
DEFAULT_HOPS = 2
UMBRELLA_HOPS = 3


@dataclass(frozen=True)
class Ask:
    """One question to the network."""

    start: str = ""
    hops: int = DEFAULT_HOPS
    filters: Filters = Filters()
    to_person: int | None = None
    umbrella: bool = False

    @property
    def mode(self) -> str:
        if self.to_person is not None:
            return "path"
        return "umbrella" if self.umbrella else "expand"


def kinds(request: Any) -> frozenset[str]:
    values: list[str] = []
    for value in params.source(request).getlist("kind"):  # type: ignore[attr-defined]
        if "\x00" in value or len(value) > params.TEXT_MAX:
            raise params.BadQuery({"kind": "关系类型无效。"})
        values += [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in values if v not in EDGE_KINDS]
    if unknown:
        raise params.BadQuery({"kind": "可选值为：" + "、".join(EDGE_KINDS) + "。"})
    return frozenset(values)


def within(request: Any, user: Any) -> str:
    """The code prefix of a region the user sees, or "" for the user's whole scope."""
    code = params.raw(request, "within")
    if not code:
        return ""
    region = Region.objects.visible_to(user).filter(code=code).first()
    if region is None:
        raise params.BadQuery({"within": "区划代码不存在或不在您的管理范围内。"})
    return region.prefix


def read_ask(request: Any, user: Any) -> Ask:
    """The question in the request's parameters; 404 for a start the user does not see."""
    starts = {
        kind: pk for kind in START_MODELS if (pk := params.identifier(request, kind)) is not None
    }
    if len(starts) > 1:
        raise params.BadQuery({"person": "只能指定一个起点：person、case、clue 或 post。"})
    umbrella = params.choice(request, "umbrella", ("1", "true", "0", "false"), "0")
    umbrella_asked = umbrella in ("1", "true")
    hops = params.integer(
        request,
        "hops",
        UMBRELLA_HOPS if umbrella_asked else DEFAULT_HOPS,
        minimum=1,
        maximum=MAX_HOPS,
    )
    filters = read_filters(request, user)
    to_person = params.identifier(request, "to_person")
    if not starts:
        if to_person is not None or umbrella_asked:
            raise params.BadQuery({"person": "请指定起点。"})
        return Ask(hops=hops, filters=filters)
    ((kind, pk),) = starts.items()
    if not START_MODELS[kind].objects.visible_to(user).filter(pk=pk).exists():
        raise Http404("起点不存在或不在您的管理范围内。")
    if to_person is not None:
        if kind != queries.PERSON:
            raise params.BadQuery({"to_person": "查找两人之间的关联须以 person 为起点。"})
        if not Person.objects.visible_to(user).filter(pk=to_person).exists():
            raise Http404("终点人员不存在或不在您的管理范围内。")
    if umbrella_asked and kind != queries.CASE:
        raise params.BadQuery({"umbrella": "查找“保护伞”须以案件（case）为起点。"})
    return Ask(queries.node_key(kind, pk), hops, filters, to_person, umbrella_asked)


def read_filters(request: Any, user: Any) -> Filters:
    start = params.day(request, "from")
    end = params.day(request, "to")
    if start is not None and end is not None and end < start:
        raise params.BadQuery({"to": "截止日期不能早于起始日期。"})
    return Filters(kinds(request), start, end, within(request, user))


def answer(user: Any, ask: Ask) -> Graph:
    """The graph that answers the question (empty without a start)."""
    if not ask.start:
        return Graph()
    kind, pk = queries.split_key(ask.start)
    if ask.mode == "path":
        assert ask.to_person is not None  # noqa: S101 - the mode says so
        return queries.shortest_path(user, pk, ask.to_person, ask.filters)
    if ask.mode == "umbrella":
        case = Case.objects.visible_to(user).get(pk=pk)
        return queries.umbrella(user, case, ask.hops, ask.filters)
    return queries.expand(user, ask.start, ask.hops, ask.filters)


def query_of(ask: Ask) -> str:
    """The parameters that ask the same question again (for links back to the view)."""
    pairs: list[tuple[str, str]] = []
    if ask.start:
        kind, pk = queries.split_key(ask.start)
        pairs.append((kind, str(pk)))
    pairs.append(("hops", str(ask.hops)))
    pairs += [("kind", k) for k in sorted(ask.filters.kinds)]
    if ask.filters.start:
        pairs.append(("from", ask.filters.start.isoformat()))
    if ask.filters.end:
        pairs.append(("to", ask.filters.end.isoformat()))
    if ask.filters.within:
        pairs.append(("within", ask.filters.within.ljust(12, "0")))
    if ask.to_person is not None:
        pairs.append(("to_person", str(ask.to_person)))
    if ask.umbrella:
        pairs.append(("umbrella", "1"))
    return urlencode(pairs)


def as_json(graph: Graph) -> dict[str, Any]:
    return {
        "start": graph.start,
        "truncated": graph.truncated,
        "finding": graph.finding,
        "nodes": [
            {
                "id": node.key,
                "kind": node.kind,
                "record": node.id,
                "label": node.label,
                "detail": node.detail,
                "url": node.url,
                "region": node.region,
                "cadre": node.cadre,
                "highlighted": node.key in graph.highlighted_nodes,
            }
            for node in graph.nodes.values()
        ],
        "edges": [
            {
                "id": edge.key,
                "source": edge.source,
                "target": edge.target,
                "kind": edge.kind,
                "kind_label": edge.kind_label,
                "label": edge.label,
                "on": edge.on,
                "relation": edge.relation,
                "highlighted": edge.key in graph.highlighted_edges,
            }
            for edge in graph.edges.values()
        ],
    }
