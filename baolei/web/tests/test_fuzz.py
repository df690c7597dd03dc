"""A schema-driven fuzz run of the whole API (schemathesis), in process.

The OpenAPI schema is generated from the code; schemathesis draws requests from it
(valid ones, and invalid ones that the API must refuse with a 4xx) and sends them to the
Django app through WSGI, signed in (a browser session) as a county clerk and as the city
leader.
Any 5xx fails, and so does any answer that the schema does not describe. Operations with
a record in their path get a record the user can see, so details and their actions are
reached, not only 404s. Bounded: a fixed seed (derandomised Hypothesis), a few examples
per operation and generation mode, no shrinking.
"""

from __future__ import annotations

import json
import re
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from baolei.clues.models import Referral
from baolei.clues.services import direction_of
from baolei.reports import output

#: Examples per operation, per generation mode, per user.
POSITIVE, NEGATIVE = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE
EXAMPLES = {POSITIVE: 4, NEGATIVE: 2}


def no_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    """Any 5xx fails, except the briefing's documented 503 for a PDF on a machine without
    LibreOffice (where CI runs, LibreOffice is installed and the PDF must come)."""
    if (
        response.status_code == 503
        and case.operation.path == "/api/v1/reports/briefing.{fmt}"
        and output.office() is None
    ):
        return None
    return not_a_server_error(ctx, response, case)


CHECKS = [no_server_error, response_schema_conformance]
PERSONAS = ["a_clerk", "city_leader"]


class FuzzRun(UserWarning):
    """What the fuzz run did: operations, requests and the statuses answered."""


@dataclass
class Tally:
    operations: set[str] = field(default_factory=set)
    requests: int = 0
    by_status: dict[int, int] = field(default_factory=dict)


def api_schema() -> Any:
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = WSGIHandler()
    return loaded


@dataclass(frozen=True)
class Session:
    """A browser session of the user, with its CSRF token for the writes."""

    cookies: dict[str, str]
    headers: dict[str, str]


def signed_in(login: Any, user: Any) -> Session:
    """The cast's own sign-in (the ``login`` fixture), its session cookie taken along."""
    client = login(user)
    csrf = _get_new_csrf_string()
    return Session(
        {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}, {"X-CSRFToken": csrf}
    )


def record_in_path(path: str, user: Any) -> dict[str, Any] | None:
    """Path parameters naming a record the user can see; None when the user sees none."""
    if "{" not in path:
        return {}
    names = re.findall(r"\{(\w+)\}", path)
    if names == ["fmt"]:
        return {}
    probe = path
    for name in names:
        probe = probe.replace("{" + name + "}", "1")
    view = resolve(probe).func
    viewset = getattr(view, "cls", None)
    if viewset is None or not hasattr(viewset, "queryset"):
        return {}
    row = viewset.queryset.model._default_manager.visible_to(user).order_by("pk").first()
    if row is None:
        return None
    lookup = getattr(viewset, "lookup_field", "pk")
    return {name: getattr(row, "pk" if lookup == "pk" else lookup) for name in names}


def strategies(operation: Any, path: dict[str, Any]) -> Iterator[tuple[Any, int]]:
    """Valid requests on a visible record; invalid ones on its query and body, or (when the
    operation has neither) on its path."""
    yield (
        operation.as_strategy(generation_mode=POSITIVE, path_parameters=path or None),
        EXAMPLES[POSITIVE],
    )
    if list(operation.query) or list(operation.body):
        yield (
            operation.as_strategy(generation_mode=NEGATIVE, path_parameters=path or None),
            EXAMPLES[NEGATIVE],
        )
    elif any(
        p.definition.get("schema", {}).get("type") != "string" for p in operation.path_parameters
    ):  # a free string in a path has no invalid value
        yield operation.as_strategy(generation_mode=NEGATIVE), EXAMPLES[NEGATIVE]


def fuzz_operation(operation: Any, session: Session, path: dict[str, Any], tally: Tally) -> None:
    for strategy, count in strategies(operation, path):

        @settings(
            max_examples=count,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case: Any) -> None:
            response = case.call(headers=session.headers, cookies=session.cookies)
            tally.requests += 1
            tally.by_status[response.status_code] = tally.by_status.get(response.status_code, 0) + 1
            case.validate_response(response, checks=CHECKS, headers=session.headers)

        run()


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """The app runs inside the test's transaction: as Django's test client does, the
    database connection is not closed at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("connection_kept")
def test_the_api_answers_every_generated_request_as_its_schema_says(world: Any, login: Any) -> None:
    # The fixture writes this row directly; the service always sets the direction.
    referral = world.outsider_rows[Referral]
    referral.direction = direction_of(referral.from_agency, referral.to_agency)
    referral.save()
    schema = api_schema()
    tally = Tally()
    started = time.monotonic()
    failures = []
    for persona in PERSONAS:
        user = world.users[persona]
        session = signed_in(login, user)
        for result in schema.get_all_operations():
            operation = result.ok()
            path = record_in_path(operation.path, user) or {}  # none visible: any number
            tally.operations.add(operation.label)
            try:
                fuzz_operation(operation, session, path, tally)
            except (Exception, BaseExceptionGroup) as exc:  # one run names every failure
                failures.append(f"{persona} {operation.label}: {str(exc)[:3000]}")
    seconds = time.monotonic() - started
    # A warning reaches the summary of the test command, also from an xdist worker.
    warnings.warn(
        FuzzRun(
            f"{len(tally.operations)} operations, {tally.requests} requests as "
            f"{len(PERSONAS)} users ({', '.join(PERSONAS)}) in {seconds:.0f} s; "
            f"statuses {dict(sorted(tally.by_status.items()))}"
        ),
        stacklevel=1,
    )
    assert not failures, "\n\n".join(failures)
    assert len(tally.operations) >= 80 and tally.by_status.get(200, 0) > 300, tally
