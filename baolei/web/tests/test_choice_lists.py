"""No choice list is silently cut: every list of choices a form or a filter offers holds
everything in the user's scope, or says how many it leaves out and searches."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.test import RequestFactory

from baolei.core.views_base import ScopedListView
from baolei.web.tests.test_scoping import ROUTES

ROOT = Path(__file__).resolve().parents[2]
FORM_MODULES = sorted(p.parent.name for p in ROOT.glob("*/forms.py"))

#: what a form asks for besides the user, taken from the fixed cast
CONTEXT_MODELS = {
    "clue": "clues.Clue",
    "person": "people.Person",
    "plan": "supervision.SupervisionPlan",
    "negative_list": "screening.NegativeList",
}


def form_classes() -> list[type[forms.Form]]:
    found = []
    for app in FORM_MODULES:
        module = importlib.import_module(f"baolei.{app}.forms")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def build(cls: type[forms.Form], world: Any, user: Any) -> forms.BaseForm | None:
    wanted: dict[str, inspect.Parameter] = {}
    for base in reversed(cls.__mro__):
        if "__init__" in vars(base) and issubclass(base, forms.BaseForm):
            wanted |= dict(inspect.signature(base.__init__).parameters)
    kwargs: dict[str, Any] = {}
    for name, parameter in wanted.items():
        if parameter.kind != inspect.Parameter.KEYWORD_ONLY:
            continue
        if name == "user":
            kwargs[name] = user
        elif name in CONTEXT_MODELS:
            model = apps.get_model(CONTEXT_MODELS[name])
            row = world.outsider_rows.get(model) or model._default_manager.first()
            if row is None:
                return None
            kwargs[name] = row
        elif parameter.default is inspect.Parameter.empty:
            return None
    return cls(**kwargs)


def cut_fields(form: forms.BaseForm) -> list[str]:
    """Fields whose choices come from a sliced query (the first N rows, silently)."""
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField) and field.queryset.query.is_sliced
    ]


def test_the_walk_finds_the_forms() -> None:
    names = {cls.__name__ for cls in form_classes()}
    assert {"StageForm", "EvaluationForm", "CaseForm", "SuspectForm"} <= names


@pytest.mark.parametrize("who", ["city_leader", "a_clerk"])
def test_no_form_offers_a_cut_list(world: Any, who: str) -> None:
    user = getattr(world, who)
    built, cut = 0, []
    for cls in form_classes():
        form = build(cls, world, user)
        if form is None:
            continue
        built += 1
        cut += [f"{cls.__module__}.{cls.__name__}.{name}" for name in cut_fields(form)]
    assert built > 30 and cut == []


@pytest.mark.parametrize("who", ["city_leader", "a_clerk"])
def test_no_list_filter_offers_a_cut_list(world: Any, who: str) -> None:
    user = getattr(world, who)
    cut, built = [], 0
    for route in ROUTES:
        cls = route.view_class
        if cls is None or not issubclass(cls, ScopedListView) or cls.filterset_class is None:
            continue
        request = RequestFactory().get("/")
        request.user = user
        filterset = cls.filterset_class(
            {}, queryset=cls.model._default_manager.none(), request=request
        )
        built += 1
        cut += [f"{route.name}.{name}" for name in cut_fields(filterset.form)]
    assert built > 10 and cut == []


SELECT_LOOP = re.compile(r"<select[^>]*>\s*\{%\s*for\s+\w+\s+in\s+([\w.]+)")


def test_every_hand_made_choice_list_searches() -> None:
    """A ``<select>`` filled from the view's own rows (not a form field) must come with a
    search box (``data-choice-search``) and a count of what it lists (``data-choice-count``),
    the way the duty evaluation's 书记 choice does."""
    hand_made = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        source = path.read_text(encoding="utf-8")
        for match in SELECT_LOOP.finditer(source):
            hand_made.append(str(path.relative_to(ROOT)))
            included_by = [
                p
                for p in ROOT.rglob("templates/**/*.html")
                if path.name in p.read_text(encoding="utf-8")
            ]
            searched = "data-choice-search" in source or any(
                "data-choice-search" in p.read_text(encoding="utf-8") for p in included_by
            )
            assert searched and "data-choice-count" in source, (path, match.group(1))
    assert "cadres/templates/cadres/_secretary_options.html" in hand_made
