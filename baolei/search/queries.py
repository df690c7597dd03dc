"""Searching every kind of record at once: the index proposes record numbers, and the
rows always come from each model's ``visible_to(user)`` — so a county sees only its
own records, and an umbrella clue only whoever may see it. Each kind costs at most
two queries (its count and its first rows), however many records match."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse

from baolei.accounts.models import Agency
from baolei.cases.models import Case
from baolei.clues.models import Clue
from baolei.ledger.models import LedgerItem
from baolei.people.models import Person
from baolei.regions.models import Region
from baolei.regions.pickers import region_path
from baolei.search import terms
from baolei.search.models import Kind, Term
from baolei.search.terms import Query

#: Records shown per kind; the count says how many there are.
PER_KIND = 10


@dataclass(frozen=True)
class Hit:
    id: int
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class Group:
    kind: Kind
    count: int
    hits: list[Hit]
    #: The kind's own list, filtered by the query, when it holds more than is shown.
    more_url: str = ""

    @property
    def label(self) -> str:
        return str(self.kind.label)


@dataclass(frozen=True)
class Found:
    query: Query
    groups: list[Group] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)


def link(name: str, pk: Any) -> str:
    return reverse(name, args=[pk])


def listed(route: str, **query: str) -> str:
    return f"{reverse(route)}?{urlencode(query)}"


def person_detail(person: Person) -> str:
    facts = [person.get_sex_display()] if person.sex else []
    if person.birth_date:
        facts.append(f"{person.birth_date.year}年生")
    return " · ".join(
        ["，".join(facts), region_path(person.region)] if facts else [region_path(person.region)]
    )


@dataclass(frozen=True)
class Target:
    """How one kind of record is searched and shown."""

    kind: Kind
    model: Any
    #: The ways of matching (keys of ``Query.alternatives``) that apply to this kind.
    ways: frozenset[str]
    joins: tuple[str, ...]
    hit: Callable[[Any], Hit]
    #: The kind's list filtered like the search (None where no list filter agrees).
    more: Callable[[Query, str], str | None]
    name_field: str = "name"
    #: Fields holding the record's numbers, which a number query's words must meet.
    number_fields: tuple[str, ...] = ()

    def rows(self, user: Any, query: Query) -> QuerySet[Any] | None:
        """The user's records of this kind that match, or None when the query's way of
        matching does not apply to this kind."""
        applying = [(way, t) for way, t in query.alternatives.items() if way in self.ways and t]
        if not applying:
            return None
        way, wanted = applying[0]
        rows = self.model.objects.visible_to(user)
        for term in sorted(wanted):  # each term one indexed semi-join
            rows = rows.filter(pk__in=candidates(self.kind, term))
        if way == "name" and len(wanted) > 1:  # pairs may meet apart: 张三 … 三丰
            rows = rows.filter(**{f"{self.name_field}__icontains": terms.normalise(query.text)})
        if way == "number" and query.words:
            rows = rows.filter(self.holding(query.words))
        return rows

    def holding(self, words: tuple[str, ...]) -> Q:
        """Records one of whose current numbers contains every word typed."""
        held = Q(pk__in=[])
        fields = {f.name for f in self.model._meta.get_fields()}
        for name in [f for f in self.number_fields if f in fields]:
            every = Q()
            for word in words:
                every &= Q(**{f"{name}__contains": word})
            held |= every
        return held


def candidates(kind: Kind, term: str) -> QuerySet[Term, Any]:
    """Record numbers of ``kind`` that hold the term: a lookup by the index alone. A
    record must hold every term of the query, so each term is one semi-join of its own
    (grouping the terms lets SQLite walk every term of the kind; an intersection of them
    led PostgreSQL to rescan it for every row of a name that many records share)."""
    return Term.objects.filter(kind=kind, term=term).values("record_id")


def people_list(query: Query, way: str) -> str | None:
    if query.id_key:
        return listed("people:list", id_key=query.id_key)
    return listed("people:list", name=query.text) if way == "name" else None


def text_list(name: str, param: str = "q", ways: tuple[str, ...] = ("name", "number")) -> Any:
    def more(query: Query, way: str) -> str | None:
        return listed(name, **{param: query.text}) if way in ways else None

    return more


TARGETS = [
    Target(
        Kind.PERSON,
        Person,
        frozenset({"name", "pinyin", "id"}),
        ("region__parent__parent__parent",),
        lambda p: Hit(p.pk, p.name, person_detail(p), link("people:detail", p.pk)),
        people_list,
    ),
    Target(
        Kind.CLUE,
        Clue,
        frozenset({"number"}),
        ("region",),
        lambda c: Hit(
            c.pk,
            c.number,
            f"{c.get_category_display()} · {c.get_status_display()} · {c.region.name}",
            link("clues:detail", c.pk),
        ),
        text_list("clues:list"),
        number_fields=("number",),
    ),
    Target(
        Kind.CASE,
        Case,
        frozenset({"name", "number"}),
        ("region",),
        lambda c: Hit(
            c.pk,
            f"{c.number} {c.name}",
            f"{c.get_kind_display()} · {c.region.name}",
            link("cases:detail", c.pk),
        ),
        text_list("cases:list"),
        number_fields=("number",),
    ),
    Target(
        Kind.LEDGER,
        LedgerItem,
        frozenset({"number"}),
        ("owner_agency",),
        lambda i: Hit(
            i.pk,
            f"{i.key} {i.title}",
            f"{i.get_status_display()} · {i.owner_agency.name}",
            link("ledger:detail", i.pk),
        ),
        text_list("ledger:list"),
        number_fields=("key", "former_key"),
    ),
    Target(
        Kind.REGION,
        Region,
        frozenset({"name", "pinyin", "number"}),
        ("parent__parent__parent",),
        lambda r: Hit(
            r.pk,
            r.name,
            f"{r.get_level_display()} · {region_path(r)}",
            link("regions:detail", r.code),
        ),
        text_list("regions:list"),
        number_fields=("code",),
    ),
    Target(
        Kind.AGENCY,
        Agency,
        frozenset({"name"}),
        ("region",),
        lambda a: Hit(
            a.pk, a.name, f"{a.get_kind_display()} · {a.region.name}", link("accounts:agency", a.pk)
        ),
        text_list("accounts:agencies"),
    ),
]


def search(user: Any, query: Query, per_kind: int = PER_KIND) -> Found:
    """Every kind's matching records that the user may see, grouped, with counts."""
    groups = []
    for target in TARGETS:
        rows = target.rows(user, query)
        if rows is None:
            continue
        count = rows.count()
        if not count:
            continue
        hits = [target.hit(r) for r in rows.select_related(*target.joins)[:per_kind]]
        way = next(iter(query.alternatives))
        more = target.more(query, way) if count > len(hits) else None
        groups.append(Group(target.kind, count, hits, more or ""))
    return Found(query, groups)
