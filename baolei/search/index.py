"""Keeping the index: which terms each kind of record is found by, written when the
record is saved or deleted, and rebuilt whole by ``baolei search_index``.

The index is a derived copy, like a database index: the domain apps sit below this
one in the floor plan and cannot call it, so it follows their writes through
``post_save``/``post_delete`` (every write of these models goes through ``save()``
or ``delete()``, none through ``QuerySet.update`` or ``bulk_create``; the ledger's
renumbering migration, which updates in bulk, runs before the migration that builds the
index). A number, once indexed, stays findable for the life of the record,
so an old number keeps finding it after a new one is given; the rebuild reads old
numbers back from the record history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.apps import apps as global_apps
from django.db import connection, models, transaction
from django.db.models.signals import post_delete, post_save

from baolei.regions.models import significant_length
from baolei.search import terms
from baolei.search.models import Kind, Term

BATCH = 5000


@dataclass(frozen=True)
class Source:
    """A kind of record and how its terms derive from its fields."""

    kind: Kind
    model: str
    fields: tuple[str, ...]
    derive: Callable[[dict[str, Any]], set[str]]
    #: Fields holding the record's numbers; an earlier value of any stays findable.
    number_fields: tuple[str, ...] = ()

    def model_class(self, apps: Any = global_apps) -> type[models.Model]:
        return apps.get_model(self.model)

    def columns(self, model: type[models.Model]) -> list[str]:
        """The fields the model has (a number field added by a later migration is read
        once it exists)."""
        names = {f.name for f in model._meta.get_fields()}
        return [f for f in (*self.fields, *self.number_fields) if f in names]

    def terms_of(self, row: dict[str, Any]) -> set[str]:
        found = self.derive(row)
        for name in self.number_fields:
            found |= terms.number_terms(row.get(name) or "")
        return {t[:TERM_LENGTH] for t in found if t}


TERM_LENGTH = Term._meta.get_field("term").max_length or 80


def region_terms(row: dict[str, Any]) -> set[str]:
    code = row["code"]
    prefix = code[: significant_length(code)]
    return terms.bigrams(row["name"]) | terms.pinyin_terms(row["name"]) | terms.number_terms(prefix)


def person_terms(row: dict[str, Any]) -> set[str]:
    return (
        terms.bigrams(row["name"])
        | terms.pinyin_terms(row["name"])
        | terms.id_term(row["id_number_hash"])
    )


SOURCES = [
    Source(Kind.CLUE, "clues.Clue", (), lambda row: set(), ("number",)),
    Source(Kind.CASE, "cases.Case", ("name",), lambda row: terms.bigrams(row["name"]), ("number",)),
    Source(Kind.LEDGER, "ledger.LedgerItem", (), lambda row: set(), ("key", "former_key")),
    Source(Kind.REGION, "regions.Region", ("name",), region_terms, ("code",)),
    Source(Kind.AGENCY, "accounts.Agency", ("name",), lambda row: terms.bigrams(row["name"])),
    Source(Kind.PERSON, "people.Person", ("name", "id_number_hash"), person_terms),
]
BY_KIND = {source.kind: source for source in SOURCES}


def refresh(source: Source, instance: models.Model) -> None:
    """Bring one record's terms up to date: add what is new, drop what no longer
    derives from it (numbers excepted: an old number keeps finding the record)."""
    wanted = source.terms_of({f: getattr(instance, f) for f in source.columns(type(instance))})
    stored = Term.objects.filter(kind=source.kind, record_id=instance.pk)
    held = set(stored.values_list("term", flat=True))
    stale = {t for t in held - wanted if not t.startswith(terms.NUMBER)}
    if stale:
        stored.filter(term__in=stale).delete()
    Term.objects.bulk_create(
        Term(kind=source.kind, record_id=instance.pk, term=t) for t in sorted(wanted - held)
    )


def forget(source: Source, pk: Any) -> None:
    Term.objects.filter(kind=source.kind, record_id=pk).delete()


def _saved(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    refresh(RECEIVERS[sender], instance)


def _deleted(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    forget(RECEIVERS[sender], instance.pk)


RECEIVERS: dict[type[models.Model], Source] = {}


def connect() -> None:
    """Follow the writes of every indexed model (called once, when the app is ready)."""
    for source in SOURCES:
        model = source.model_class()
        RECEIVERS[model] = source
        uid = f"search-index-{source.kind}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)


def old_numbers(source: Source, apps: Any) -> dict[int, set[str]]:
    """Every number each record has held, read from its history table."""
    found: dict[int, set[str]] = defaultdict(set)
    app_label, name = source.model.split(".")
    try:
        history = apps.get_model(app_label, f"Historical{name}")
    except LookupError:
        return found
    present = {f.name for f in history._meta.get_fields()}
    for field in [f for f in source.number_fields if f in present]:
        for pk, number in history.objects.values_list("id", field).distinct():
            if number:
                found[pk].add(number)
    return found


def derived(source: Source, apps: Any) -> Iterator[tuple[int, str]]:
    """(record, term) of every record of the kind, old numbers included."""
    earlier = old_numbers(source, apps)
    model = source.model_class(apps)
    columns = source.columns(model)
    rows = model._default_manager.values_list("pk", *columns).order_by("pk")
    for pk, *values in rows.iterator(chunk_size=BATCH):
        found = source.terms_of(dict(zip(columns, values, strict=True)))
        for number in earlier.get(pk, ()):
            found |= terms.number_terms(number)
        for term in sorted(found):
            yield pk, term


@transaction.atomic
def rebuild(kinds: Iterable[Kind] | None = None, apps: Any = global_apps) -> dict[str, int]:
    """Empty the index (of the kinds given, or all) and derive it again from the records;
    returns the number of terms written per kind. Rows go in by ``COPY`` on PostgreSQL
    and plain ``executemany`` on SQLite: at province scale the ORM's per-object cost
    would take most of the time."""
    term_model = apps.get_model("search", "Term")
    table = connection.ops.quote_name(term_model._meta.db_table)
    written = {}
    for source in [BY_KIND[k] for k in kinds] if kinds else SOURCES:
        term_model.objects.filter(kind=source.kind).delete()
        rows = ((str(source.kind), pk, term) for pk, term in derived(source, apps))
        written[str(source.kind)] = write(table, rows)
    return written


def write(table: str, rows: Iterator[tuple[str, int, str]]) -> int:
    """Batches are drawn before each is written: on PostgreSQL the rows come from a
    server-side cursor, which cannot be read while the connection is in a COPY."""
    count = 0
    with connection.cursor() as cursor:
        while batch := list(islice(rows, BATCH)):
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} (kind, record_id, term) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                insert = f"INSERT INTO {table} (kind, record_id, term) VALUES (%s, %s, %s)"  # noqa: S608 - the model's table
                cursor.executemany(insert, batch)
            count += len(batch)
    return count
