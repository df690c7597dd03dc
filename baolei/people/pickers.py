"""Finding a person by name, or by the whole ID number through its keyed hash: a part of
a number finds no one, and no number is ever listed or returned."""

from __future__ import annotations

from typing import Any

from django import forms

from baolei.core.pickers import PickerSelect, PickerSelectMultiple
from baolei.people.models import Person, PersonQuerySet
from baolei.people.queries import find_by_id_number
from baolei.regions.pickers import region_path

PATH_JOINS = "region__parent__parent__parent"


def person_label(person: Person) -> str:
    """张三（男，1975年生）· 白河县 › 锦坡镇 › 锦坡村: names repeat, so the place and year tell them apart."""
    facts = [person.get_sex_display()] if person.sex else []
    if person.birth_date:
        facts.append(f"{person.birth_date.year}年生")
    detail = f"（{'，'.join(facts)}）" if facts else ""
    return f"{person.name}{detail} · {region_path(person.region)}"


def search_people(rows: PersonQuerySet, text: str, limit: int) -> list[Person]:
    """People of ``rows`` named like the text, or the one holding the ID number typed in full."""
    if any(c.isdigit() for c in text):
        found = find_by_id_number(text, rows=rows.select_related(PATH_JOINS))
        return [found] if found is not None else []
    return list(rows.filter(name__contains=text).select_related(PATH_JOINS)[:limit])


def person_widget() -> PickerSelect:
    """For a field that takes a person's key and leaves the scoped look-up to its view."""
    return PickerSelect("web:pick_people")


class PersonPickerField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PickerSelect("web:pick_people"))
        kwargs.setdefault("queryset", Person.objects.none())
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class PersonPickerMultipleField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PickerSelectMultiple("web:pick_people"))
        kwargs.setdefault("queryset", Person.objects.none())
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)
