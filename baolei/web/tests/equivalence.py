"""A page and the API do the same thing: the machinery of the equivalence tests.

Each action is done once through its page (signed in) and once through the API (an
agency system's token) from the same starting state; both must leave the same records,
the same record history and the same security-log entries. So must a refusal: the same
403 and the same entry in the security log. The page's action runs inside a transaction
that is rolled back after its records are read, so the API's action starts from exactly
the state the page's did.

A module of actions defines a ``cast`` (anything with ``page`` and ``api`` clients and a
``persona(name)`` method) and a list of ``Act``; the checks below do the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.test import Client

from baolei.accounts.tokens import issue_token
from baolei.audit.models import SecurityEvent

#: Whatever differs between two writes of the same thing: keys, clocks, digests and
#: the encrypted fields (a fresh nonce each time).
VOLATILE = {
    "id",
    "history_id",
    "seq",
    "hash",
    "prev_hash",
    "ip",
    "reporter_encrypted",
    "id_number_encrypted",
    "phone_encrypted",
}


class Cast(Protocol):
    page: Client
    api: Client

    def persona(self, name: str) -> Any: ...


@dataclass(frozen=True)
class Act:
    """One action: its starting state, who does it, who is refused it, and its request
    through the page (form fields) and through the API (JSON) — the same facts — and
    the apps whose rows it may write."""

    name: str
    setup: Callable[[Any], Any]
    actor: str
    refused: str
    page: Callable[[Any, Any], tuple[str, dict[str, Any]]]
    api: Callable[[Any, Any], tuple[str, dict[str, Any]]]
    apps: tuple[str, ...] = ("clues", "cases", "notices")


def value_of(row: models.Model, field: models.Field) -> Any:
    value = getattr(row, field.name)
    if field.is_relation:
        return None if value is None else str(value)
    for name, kind in (("record_id", "record_type"), ("source_id", "source_type")):
        if field.name == name and getattr(row, kind, None) is not None:
            # A notice names its record, a ledger item its source (a problem, a decision)
            # by the record itself: a new record's key is not the same on PostgreSQL,
            # whose sequences the rolled-back run of the page leaves advanced.
            model = getattr(row, kind).model_class()
            return str(model._default_manager.filter(pk=value).first())
    record = getattr(row, "record_id", None)
    if field.name == "link" and isinstance(value, str) and record:
        return value.replace(f"/{record}/", "/<the record>/")  # its key, as above
    if field.name == "detail" and isinstance(value, dict):
        return {k: v for k, v in value.items() if k != "api"}  # the API marks its refusals
    if field.name == "target" and isinstance(value, str) and value.startswith("/"):
        return "<the page's or the API's address>"
    return value


def rows_of(model: type[models.Model]) -> list[dict[str, Any]]:
    found = []
    for row in model._default_manager.all():
        record = {
            f.name: value_of(row, f)
            for f in model._meta.concrete_fields
            if f.name not in VOLATILE and not isinstance(f, models.DateTimeField)
        }
        for m2m in model._meta.many_to_many:
            record[m2m.name] = sorted(str(r) for r in getattr(row, m2m.name).all())
        found.append(record)
    return sorted(found, key=repr)


def snapshot(labels: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Every row of the given apps, their history, and the security log."""
    tables: list[type[models.Model]] = [
        m for label in labels for m in apps.get_app_config(label).get_models()
    ]
    tables.append(SecurityEvent)
    return {m._meta.label: rows_of(m) for m in tables}


def counters() -> dict[str, tuple[int, bool]]:
    """PostgreSQL's sequences as they stand (SQLite's counters roll back with the page's
    run, PostgreSQL's do not): given back before the API's run, so that a record it
    creates gets the key the page's got and everything naming that key agrees."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences"
            " WHERE schemaname = current_schema()"
        )
        return {name: (value or 1, value is not None) for name, value in cursor}


def give_back(kept: dict[str, tuple[int, bool]]) -> None:
    with connection.cursor() as cursor:
        for name, (value, called) in kept.items():
            cursor.execute("SELECT setval(%s, %s, %s)", [name, value, called])


def token_of(user: Any) -> dict[str, str]:
    _, key = issue_token(actor=user, name="对接系统")
    return {"Authorization": f"Token {key}"}


def both_ways(cast: Cast, act: Act, who: str) -> tuple[Any, Any, dict[str, Any], dict[str, Any]]:
    """The action through the page (rolled back once read), then through the API."""
    record = act.setup(cast)
    user = cast.persona(who)
    cast.page.force_login(user)
    headers = token_of(user)
    before = snapshot(act.apps)
    kept = counters()
    with transaction.atomic():
        url, fields = act.page(cast, record)
        page = cast.page.post(url, fields)
        by_page = snapshot(act.apps)
        transaction.set_rollback(True)
    assert snapshot(act.apps) == before
    give_back(kept)
    url, body = act.api(cast, record)
    api = cast.api.post(url, body, content_type="application/json", headers=headers)
    return page, api, by_page, snapshot(act.apps)


def differences(by_api: dict[str, Any], by_page: dict[str, Any]) -> dict[str, Any]:
    """The tables whose rows differ, with the rows only one side has (for the message)."""
    found = {}
    for label in sorted(set(by_api) | set(by_page)):
        api_rows, page_rows = by_api.get(label, []), by_page.get(label, [])
        if api_rows != page_rows:
            found[label] = {
                "api only": [r for r in api_rows if r not in page_rows][:3],
                "page only": [r for r in page_rows if r not in api_rows][:3],
            }
    return found


def check_writes_same(cast: Cast, act: Act) -> None:
    page, api, by_page, by_api = both_ways(cast, act, act.actor)
    assert page.status_code == 302, page.content.decode()[:2000]
    assert api.status_code in (200, 201), api.content.decode()[:2000]
    assert by_api == by_page, differences(by_api, by_page)


def check_refuses_same(cast: Cast, act: Act) -> None:
    page, api, by_page, by_api = both_ways(cast, act, act.refused)
    assert page.status_code == api.status_code == 403, (page.status_code, api.content)
    assert api.json()["detail"] in page.content.decode()
    assert by_api == by_page
    refusals = [e for e in by_api["audit.SecurityEvent"] if e["action"] == "access_denied"]
    assert len(refusals) == 1 and refusals[0]["actor"] == cast.persona(act.refused).username


def rolled_back(
    labels: Iterable[str], call: Callable[..., Any], *args: Any, **kwargs: Any
) -> tuple[Any, dict[str, Any]]:
    """A request and the rows it leaves, then undone."""
    with transaction.atomic():
        response = call(*args, **kwargs)
        rows = snapshot(labels)
        transaction.set_rollback(True)
    return response, rows


def check_personas_alike(cast: Cast, act: Act, personas: Iterable[str]) -> None:
    """Whoever asks, the page and the API refuse alike (403, or 404 unseen) and
    otherwise leave the same rows (both done, or both refused by the service)."""
    record = act.setup(cast)
    for who in personas:
        user = cast.persona(who)
        cast.page.force_login(user)
        headers = token_of(user)
        kept = counters()
        page, by_page = rolled_back(act.apps, cast.page.post, *act.page(cast, record))
        give_back(kept)
        url, body = act.api(cast, record)
        api, by_api = rolled_back(
            act.apps, cast.api.post, url, body, content_type="application/json", headers=headers
        )
        give_back(kept)
        if {page.status_code, api.status_code} & {403, 404}:
            assert page.status_code == api.status_code, (who, page.status_code, api.content)
        assert by_api == by_page, who


def checks_for(
    acts: list[Act], personas: list[str], skip: frozenset[tuple[str, str]] = frozenset()
) -> tuple[Callable[..., None], Callable[..., None], Callable[..., None]]:
    """The three checks as a module's tests, each over every action (the module defines
    the ``cast`` fixture they take); ``skip`` leaves out (action, persona) pairs that are
    answered differently on purpose, each said where it is defined."""

    @pytest.mark.parametrize("act", acts, ids=lambda a: a.name)
    def test_the_page_and_the_api_write_the_same(cast: Cast, act: Act) -> None:
        check_writes_same(cast, act)

    @pytest.mark.parametrize("act", acts, ids=lambda a: a.name)
    def test_the_page_and_the_api_refuse_the_same(cast: Cast, act: Act) -> None:
        check_refuses_same(cast, act)

    @pytest.mark.parametrize("act", acts, ids=lambda a: a.name)
    def test_every_persona_is_answered_alike(cast: Cast, act: Act) -> None:
        check_personas_alike(cast, act, [p for p in personas if (act.name, p) not in skip])

    return (
        test_the_page_and_the_api_write_the_same,
        test_the_page_and_the_api_refuse_the_same,
        test_every_persona_is_answered_alike,
    )


def post_as(cast: Cast, who: str, url: str, body: Any) -> Any:
    """A write as the persona's system would make it, with the persona's token (issued
    once per cast, so that the security log holds its issue before the write)."""
    held = cast.__dict__.setdefault("tokens", {})
    if who not in held:
        held[who] = token_of(cast.persona(who))
    return cast.api.post(url, body, content_type="application/json", headers=held[who])
