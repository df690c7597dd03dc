"""Every form an office user meets is usable: every page (forms, record pages with their
action forms, lists with their filters) is opened on the demo city by the city office.

- No <select> holds more than ``MAX_OPTIONS`` options: longer lists are type-ahead
  pickers (``data-picker``) holding the chosen option only.
- Every field of a form that writes (POST) has a label a screen reader can find, wears
  the one form style (Bootstrap's form-control / form-select / form-check-input, drawn
  by django-bootstrap5), and a required field's label carries the red mark."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import lxml.html
import pytest
from django.urls import reverse

from baolei.web.tests.test_scoping import (
    EXTRA_KWARGS,
    PARAMETERS,
    ROUTES,
    Route,
    record_kwargs,
    scoped_model,
)

#: One worker builds the demo city once for the module (see ``built_once``).
pytestmark = pytest.mark.xdist_group("demo-form-sizes")

MAX_OPTIONS = 200
#: The city office's clerk and leader, and the administrator who creates accounts.
PERSONAS = ["office_clerk", "city_leader", "sysadmin"]
SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.DOTALL)


@pytest.fixture(scope="module")
def demo_city(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[None]:
    from django.core.management import call_command

    from baolei.conftest import built_once

    with built_once(django_db_blocker, tmp_path_factory):
        call_command("demo", "--quiet-accounts", stdout=io.StringIO())  # the README's city
        yield


@pytest.fixture
def demo(demo_city: None, db: Any) -> None:
    return demo_city


def pages() -> list[Route]:
    """Every route a browser opens with GET (the API answers JSON and is left out)."""
    return [
        r
        for r in ROUTES
        if not r.name.startswith("api")
        and "get" in getattr(r.view_class, "http_method_names", ["get"])
        and not (r.kwargs and all(k in EXTRA_KWARGS for k in r.kwargs))
    ]


def url_for(route: Route, user: Any) -> str | None:
    """The page's URL, naming a record the user sees when it takes one (None if none)."""
    kwargs = {k: {**EXTRA_KWARGS, **PARAMETERS}[k] for k in route.kwargs if k in PARAMETERS}
    names = record_kwargs(route)
    if names:
        row = scoped_model(route)._default_manager.visible_to(user).order_by("pk").first()
        if row is None:
            return None
        kwargs |= {key: getattr(row, key) for key in names}
    return reverse(route.name, kwargs=kwargs or None)


def longest_selects(html: str) -> list[tuple[int, str]]:
    return [(body.count("<option"), attrs.strip()) for attrs, body in SELECT.findall(html)]


def test_the_walk_opens_the_form_pages() -> None:
    names = {r.name for r in pages()}
    assert {"clues:create", "people:create", "ledger:create", "cadres:session"} <= names


#: Forms whose lists were long before they became pickers: the office clerk opens them.
PICKER_PAGES = {
    "/clues/new/": ["region", "persons"],
    "/ledger/new/": ["region", "owner_agency"],
    "/cases/new/": ["region"],
    "/cadres/new/": ["region"],
    "/vetting/new/": ["region"],
}


@pytest.mark.parametrize("path", PICKER_PAGES)
def test_long_lists_are_pickers(path: str, demo: None, client: Any) -> None:
    from baolei.accounts.models import User

    client.force_login(User.objects.get(username="office_clerk"))
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    for name in PICKER_PAGES[path]:
        select = re.search(rf'<select name="{name}"[^>]*data-picker="/pick/[a-z]+/[^"]*"', html)
        assert select, f"{path}: {name} is no picker"


def test_trainees_and_enrolments_pick_a_person_by_name(demo: None, client: Any) -> None:
    from baolei.accounts.models import User
    from baolei.cadres.models import TrainingSession

    clerk = User.objects.get(username="office_clerk")
    session = TrainingSession.objects.visible_to(clerk).order_by("pk").first()
    assert session is not None
    client.force_login(clerk)
    for path in (reverse("cadres:session", args=[session.pk]), reverse("cadres:education")):
        html = client.get(path).content.decode()
        assert re.search(r'<select name="person"[^>]*data-picker="/pick/people/"', html), path


STYLED = {"form-control", "form-select", "form-check-input", "form-range"}
NOT_FIELDS = {"hidden", "submit", "button", "reset", "image"}


def form_defects(html: str) -> list[str]:
    """The fields of the page's POST forms that have no label, no style or no required
    mark, each named by its form's action and its own name."""
    if not html.strip():
        return []  # a redirect or an empty answer has no form
    doc = lxml.html.fromstring(html)
    found = []
    for form in doc.xpath("//form[translate(@method, 'POST', 'post') = 'post']"):
        for field in form.xpath(".//input | .//select | .//textarea"):
            kind = (field.get("type") or "text").lower() if field.tag == "input" else field.tag
            if kind in NOT_FIELDS:
                continue
            where = f"{form.get('action') or '(this page)'} {field.get('name')}"
            labels = doc.xpath("//label[@for=$id]", id=field.get("id")) if field.get("id") else []
            if not (labels or field.get("aria-label") or field.xpath("ancestor::label")):
                found.append(f"{where}: no label")
            if not STYLED & set((field.get("class") or "").split()):
                found.append(f"{where}: unstyled")
            if field.get("required") is not None and labels and kind not in ("checkbox", "radio"):
                marked = labels[0].xpath(
                    "ancestor-or-self::*[contains(concat(' ', @class, ' '), ' required ')"
                    " or contains(concat(' ', @class, ' '), ' required-mark ')]"
                )
                if not marked:
                    found.append(f"{where}: required but unmarked")
    return found


def test_form_defects_are_found() -> None:
    """The check can fail: a bare input, an unstyled select and an unmarked required field."""
    html = (
        '<form method="post"><input name="a"><label for="b">B</label>'
        '<select id="b" name="b"></select><label for="c">C</label>'
        '<input id="c" name="c" class="form-control" required>'
        '<div class="required"><label for="d">D</label>'
        '<input id="d" name="d" class="form-control" required></div>'
        '<input type="hidden" name="e"></form>'
    )
    assert form_defects(html) == [
        "(this page) a: no label",
        "(this page) a: unstyled",
        "(this page) b: unstyled",
        "(this page) c: required but unmarked",
    ]


@pytest.mark.parametrize("route", pages(), ids=lambda r: r.name)
def test_no_select_longer_than_200(route: Route, demo: None, client: Any) -> None:
    from baolei.accounts.models import User

    for username in PERSONAS:
        user = User.objects.get(username=username)
        url = url_for(route, user)
        if url is None:
            continue
        client.force_login(user)
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        selects = longest_selects(response.content.decode())
        if selects:  # seen with -s: the longest list each page still renders
            print(f"\nSELECTS {username} {url} {max(selects)}")
        too_long = [(n, a) for n, a in selects if n > MAX_OPTIONS]
        assert not too_long, f"{username} {url}: {too_long}"
        defects = form_defects(response.content.decode())
        assert not defects, f"{username} {url}: " + "; ".join(defects)
