"""One door to every record, proved for every route.

The test walks the URL resolver (pages and API router alike).  Every view must
either read through the scoped door (ScopedViewMixin / ScopedViewSetMixin) or
say in ``scope_exempt`` why it reads no scoped rows; a route added without
either fails here.  Then each route is requested by the county-A personas:
lists and exports must not show any county-B row, detail routes given a
county-B key must answer 404 (or 403 when the role may not open the page).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from docx import Document
from openpyxl import load_workbook

from baolei.conftest import OUTSIDER_MARK, build_world, built_once
from baolei.core.api import ScopedViewSetMixin
from baolei.core.views_base import ScopedViewMixin


@pytest.fixture(scope="module")
def shared_world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[Any]:
    """The walk requests hundreds of routes over one cast: built once for the module
    (see ``built_once``); each request still runs in a savepoint of its own."""
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_world()


@pytest.fixture
def world(shared_world: Any, db: Any) -> Any:
    return shared_world


#: Values for URL kwargs that do not name a record.
EXTRA_KWARGS = {"action": "end-sessions", "format": "json"}
# Routes whose parameter picks what a list shows rather than a record: walked as lists.
PARAMETERS = {"key": "weak_confirmed", "fmt": "docx"}


def record_kwargs(route: Route) -> list[str]:
    return [k for k in route.kwargs if k not in EXTRA_KWARGS and k not in PARAMETERS]


@dataclass(frozen=True)
class Route:
    name: str
    regex: str
    view: Any

    @property
    def view_class(self) -> Any:
        return getattr(self.view, "view_class", None) or getattr(self.view, "cls", None)

    @property
    def kwargs(self) -> list[str]:
        return re.findall(r"\?P<(\w+)>", self.regex)


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for entry in patterns:
        regex = prefix + entry.pattern.regex.pattern.lstrip("^").removesuffix(r"\Z")
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += walk(entry.url_patterns, regex, space)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            routes.append(Route(name, regex, entry.callback))
    return routes


ROUTES = walk(get_resolver().url_patterns)


def scoped_model(route: Route) -> Any:
    cls = route.view_class
    if cls is not None and issubclass(cls, ScopedViewMixin):
        return cls.model
    if cls is not None and issubclass(cls, ScopedViewSetMixin):
        return cls.queryset.model
    return None


def test_routes_were_found() -> None:
    names = {r.name for r in ROUTES}
    assert {"web:home", "regions:list", "api:region-list", "api:region-detail"} <= names


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name or r.regex)
def test_every_route_is_scoped_or_says_why_not(route: Route) -> None:
    assert route.name, f"route {route.regex} has no name"
    cls = route.view_class
    assert cls is not None, f"{route.name} is a function view; use a class built on the scoped door"
    scoped = issubclass(cls, ScopedViewMixin | ScopedViewSetMixin)
    reason = getattr(cls, "scope_exempt", "")
    assert scoped or reason, (
        f"{route.name} ({cls.__name__}) neither reads through visible_to nor says why not"
    )


def fill(route: Route, world: Any) -> dict[str, Any] | None:
    """URL kwargs naming a county-B record, or None for a route without kwargs."""
    names = record_kwargs(route)
    if not route.kwargs:
        return None
    kwargs = {k: {**EXTRA_KWARGS, **PARAMETERS}[k] for k in route.kwargs if k not in names}
    if names:
        model = scoped_model(route)
        assert model is not None, f"{route.name} takes {names} but reads no scoped model"
        row = world.outsider_rows[model]
        for key in names:
            kwargs[key] = getattr(row, key)
    return kwargs


def leaked_text(response: Any) -> str:
    kind = response.get("Content-Type", "")
    if kind.startswith("application/vnd.openxmlformats-officedocument.spreadsheetml"):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return " ".join(
            str(c) for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row
        )
    if kind.startswith("application/zip"):
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        sheets = [
            load_workbook(io.BytesIO(archive.read(name)), read_only=True)
            for name in archive.namelist()
        ]
        return " ".join(
            str(c)
            for book in sheets
            for s in book.worksheets
            for row in s.iter_rows(values_only=True)
            for c in row
        )
    if kind.startswith("application/vnd.openxmlformats-officedocument.wordprocessingml"):
        document = Document(io.BytesIO(response.content))
        return " ".join(p.text for p in document.paragraphs)
    return response.content.decode(errors="replace")


COUNTY_A_PERSONAS = ["a_clerk", "a_reviewer", "a_sysadmin", "a_secadmin"]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name or r.regex)
def test_county_a_never_sees_county_b(route: Route, world: Any, client: Any) -> None:
    kwargs = fill(route, world)
    if route.kwargs and all(k in EXTRA_KWARGS for k in route.kwargs):
        return  # format-suffix duplicates of list routes; the plain route is checked
    url = reverse(route.name, kwargs=kwargs)
    for persona in COUNTY_A_PERSONAS:
        client.force_login(world.users[persona])
        allowed = getattr(route.view_class, "http_method_names", ["get"])
        method = client.get if "get" in allowed else client.post
        response = method(url)
        if record_kwargs(route):
            assert response.status_code in (403, 404, 405), (
                f"{persona} opened county-B record at {url}: {response.status_code}"
            )
            if "get" not in allowed:
                assert response.status_code in (403, 404), f"{persona} acted on {url}"
            continue
        assert response.status_code in (200, 302, 403, 405), (
            f"{persona} GET {url}: {response.status_code}"
        )
        assert OUTSIDER_MARK not in leaked_text(response), f"{url} shows county B to {persona}"
        export = client.get(url, {"export": "xlsx"})
        if export.status_code == 200:
            assert OUTSIDER_MARK not in leaked_text(export), f"{url} exports county B to {persona}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name or r.regex)
def test_anonymous_is_sent_to_login(route: Route, world: Any, client: Any) -> None:
    if route.name in {"accounts:login", "web:favicon"}:  # the site icon is public
        return
    kwargs = fill(route, world)
    if route.kwargs and kwargs and all(k in EXTRA_KWARGS for k in route.kwargs):
        return
    response = client.get(reverse(route.name, kwargs=kwargs))
    if route.name.startswith("api"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code in (302, 405), response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login"))


def test_county_b_rows_exist_for_the_outsider(world: Any, client: Any) -> None:
    """Guards the test above: the marker is visible to someone who may see it."""
    client.force_login(world.city_leader)
    assert OUTSIDER_MARK in client.get(reverse("regions:list"), {"q": "乙县"}).content.decode()
    client.force_login(world.b_clerk)
    assert OUTSIDER_MARK in client.get(reverse("web:home")).content.decode()
