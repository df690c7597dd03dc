"""One mapping from service errors to responses (``baolei.core.outcomes``).

The walk: no view or viewset reached from the URL resolver or the API router catches
``ValidationError`` or ``PermissionDenied`` itself; every route that takes an
``<action>`` is an ``ActionView``, and every ``ActionView`` answers an unknown action
with 404. Then the mapping itself, for pages and for the API.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from baolei.conftest import build_world, built_once
from baolei.core import outcomes
from baolei.core.outcomes import ActionView
from baolei.ledger.models import LedgerItem
from baolei.web.tests.test_scoping import ROUTES, Route

CAUGHT = ("ValidationError", "PermissionDenied")


def own_classes(view: Any) -> list[Any]:
    """The view's class and its bases written in this project (the mapping's own
    module aside: it is where catching belongs)."""
    cls = getattr(view, "view_class", None) or getattr(view, "cls", None)
    if cls is None:
        return [view]
    return [
        c
        for c in cls.__mro__
        if c.__module__.startswith("baolei.") and c.__module__ != outcomes.__name__
    ]


def names_in(node: ast.AST | None) -> set[str]:
    found = set()
    for part in ast.walk(node) if node is not None else []:
        if isinstance(part, ast.Name):
            found.add(part.id)
        elif isinstance(part, ast.Attribute):
            found.add(part.attr)
    return found


def catches(obj: Any) -> list[str]:
    """The service errors an ``except`` clause in ``obj``'s source names."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(obj)))
    return sorted(
        name
        for handler in ast.walk(tree)
        if isinstance(handler, ast.ExceptHandler)
        for name in names_in(handler.type)
        if name.endswith(CAUGHT)
    )


def test_the_walk_sees_views_that_catch() -> None:
    class Catching:
        def post(self) -> None:
            try:
                int("x")
            except (ValueError, ValidationError):
                return

    class Clean:
        def post(self) -> None:
            try:
                int("x")
            except ValueError:
                return

    assert catches(Catching) == ["ValidationError"]
    assert catches(Clean) == []


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name or r.regex)
def test_no_view_maps_service_errors_itself(route: Route) -> None:
    for cls in own_classes(route.view):
        if getattr(cls, "service_errors_exempt", ""):
            continue
        assert not catches(cls), (
            f"{route.name}: {cls.__qualname__} catches {catches(cls)} itself; "
            "let baolei.core.outcomes map it (ServiceFormMixin, ActionView, the API handler)"
        )


def action_routes() -> list[Route]:
    return [r for r in ROUTES if r.view_class and issubclass(r.view_class, ActionView)]


def test_routes_that_take_an_action_are_action_views() -> None:
    taking = [r for r in ROUTES if "action" in r.kwargs and not r.name.startswith("api:")]
    assert taking, "no route takes an <action>"
    for route in taking:
        assert route.view_class and issubclass(route.view_class, ActionView), route.name
    assert len(action_routes()) >= 20


@pytest.fixture(scope="module")
def shared_world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[Any]:
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_world()


def actor_for(world: Any, cls: Any) -> Any:
    """A city-level persona who may open the view (its role, if it asks for one)."""
    needed = getattr(cls, "required_roles", ())
    for name in ("city_leader", "sysadmin", "secadmin"):
        user = world.users[name]
        if not needed or user.has_role(*needed):
            return user
    raise AssertionError(f"no persona holds {needed}")


@pytest.mark.parametrize("route", action_routes(), ids=lambda r: r.name)
def test_an_unknown_action_is_404_everywhere(route: Route, shared_world: Any, client: Any) -> None:
    cls = route.view_class
    kwargs: dict[str, Any] = {}
    if "pk" in route.kwargs:
        record = shared_world.outsider_rows.get(cls.model)
        assert record is not None, f"no record of {cls.model.__name__} to act on"
        kwargs["pk"] = record.pk
    if "action" in route.kwargs:
        kwargs["action"] = "no-such-action"
    client.force_login(actor_for(shared_world, cls))
    response = client.post(reverse(route.name, kwargs=kwargs), {"action": "no-such-action"})
    assert response.status_code == 404, route.name
    if "action" in route.kwargs:  # the record itself is reachable: the 404 is the action's
        known = next(iter(cls.actions))
        kwargs["action"] = known
        assert client.post(reverse(route.name, kwargs=kwargs), {}).status_code != 404


def test_a_service_error_on_a_form_page_lands_beside_its_field(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    page = client.post(
        "/people/new/",
        {"name": "张三", "region": world.village_a.pk, "id_number": "510121199001011234"},
    )
    assert page.status_code == 200 and "身份证" in page.content.decode()
    assert page.context["form"].errors, "the form is shown again with the error"


def test_an_action_error_is_a_message_and_changes_nothing(world: Any, client: Any) -> None:
    item = LedgerItem.objects.create(
        region=world.village_a,
        owner_agency=world.agencies["a_office"],
        title="整改",
        responsible_person="李某",
        deadline=date(2026, 12, 31),
    )
    client.force_login(world.a_reviewer)
    response = client.post(
        f"/ledger/{item.pk}/extend/", {"new_deadline": "2026-01-01", "reason": "提前"}
    )
    assert response.status_code == 302 and response["Location"] == f"/ledger/{item.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "alert-danger" in page or "alert-error" in page
    item.refresh_from_db()
    assert item.deadline == date(2026, 12, 31)


def test_an_escaped_validation_error_is_a_400_page_not_a_500(world: Any) -> None:
    request = RequestFactory().post("/somewhere/", HTTP_REFERER="/ledger/")
    request.user = world.a_clerk
    middleware = outcomes.ServiceErrorMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    response = middleware.process_exception(request, ValidationError("日期不能晚于今天。"))
    assert response is not None and response.status_code == 400
    body = response.content.decode()
    assert "日期不能晚于今天。" in body and 'href="/ledger/"' in body
    assert middleware.process_exception(request, ValueError("other")) is None


def api_answer(exc: Exception) -> Any:
    return outcomes.api_exception_handler(exc, {})


def test_the_api_mapping() -> None:
    bad = api_answer(ValidationError({"deadline": "时限不能早于今天。"}))
    assert bad.status_code == 400 and bad.data == {"deadline": ["时限不能早于今天。"]}
    plain = api_answer(ValidationError("请填写理由。"))
    assert plain.status_code == 400 and plain.data == ["请填写理由。"]
    stale = api_answer(outcomes.StaleVersion("该事项已被他人修改，请刷新后重试。"))
    assert stale.status_code == 409 and stale.data == {
        "detail": "该事项已被他人修改，请刷新后重试。"
    }
    refused = api_answer(PermissionDenied("该事项由清源市扫黑办负责，本单位只能验收。"))
    assert refused.status_code == 403
    assert refused.data == {"detail": "该事项由清源市扫黑办负责，本单位只能验收。"}
    bare = api_answer(PermissionDenied())
    assert bare.status_code == 403 and bare.data == {"detail": outcomes.DEFAULT_REFUSAL}


def test_a_stale_edit_through_the_api_is_409(world: Any, client: Any) -> None:
    item = LedgerItem.objects.create(
        region=world.village_a,
        owner_agency=world.agencies["a_office"],
        title="整改",
        responsible_person="李某",
        deadline=date(2026, 12, 31),
    )
    client.force_login(world.a_clerk)
    response = client.patch(
        f"/api/v1/ledger/items/{item.pk}/",
        {"title": "整改（改）", "version": item.version + 5},
        content_type="application/json",
    )
    assert response.status_code == 409, response.content
    assert "修改" in response.json()["detail"]
