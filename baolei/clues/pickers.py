"""Finding a clue by its number (线索〔2026〕12号, or the digits alone) or a part of its
summary, among the clues the user sees: umbrella and corruption clues are offered only to
those the clue queryset lets see them."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from baolei.clues.models import Clue
from baolei.core.pickers import PickerSelect
from baolei.regions.pickers import region_path

PATH_JOINS = "region__parent__parent__parent"
#: 线索〔2026〕12号 as typed; stored numbers carry four digits (线索〔2026〕0012号).
TYPED_NUMBER = re.compile(r"^(?P<head>.*〔\d{4}〕)0*(?P<sequence>\d+)号?$")


def clue_label(clue: Clue) -> str:
    """线索〔2026〕0012号 群众举报某村霸强揽工程… · 白河县 › 锦坡镇 › 锦坡村."""
    summary = clue.summary if len(clue.summary) <= 24 else f"{clue.summary[:24]}…"
    return f"{clue.number} {summary} · {region_path(clue.region)}"


def as_stored(text: str) -> str | None:
    """线索〔2026〕12号 → 线索〔2026〕0012号; None for text that is not a whole number."""
    typed = TYPED_NUMBER.match(text.strip())
    return f"{typed['head']}{int(typed['sequence']):04d}号" if typed else None


def search_clues(rows: QuerySet[Clue], text: str, limit: int) -> list[Clue]:
    number = as_stored(text)
    wanted = Q(number=number) if number else Q(number__contains=text) | Q(summary__contains=text)
    found = rows.filter(wanted).select_related(PATH_JOINS).order_by("-year", "-sequence")
    return list(found[:limit])


def clue_widget(*, by_number: bool = False) -> PickerSelect:
    """For a field that takes a clue's key (its number with ``by_number``) and leaves the
    scoped look-up to its view."""
    return PickerSelect("web:pick_clues", {"key": ["number"]} if by_number else None)


class CluePickerField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", clue_widget())
        kwargs.setdefault("queryset", Clue.objects.none())
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return clue_label(obj)
