"""Finding an agency (单位) by a part of its name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet

from baolei.accounts.models import Agency
from baolei.core.pickers import PickerSelect, PickerSelectMultiple


def search_agencies(rows: QuerySet[Agency], text: str, limit: int) -> list[Agency]:
    return list(rows.filter(name__contains=text).order_by("region__code", "name")[:limit])


def _widget(kinds: Iterable[str], multiple: bool) -> PickerSelect:
    filters = {"kind": list(kinds)} if kinds else None
    kind = PickerSelectMultiple if multiple else PickerSelect
    return kind("web:pick_agencies", filters)


class AgencyPickerField(forms.ModelChoiceField):
    def __init__(self, *, kinds: Iterable[str] = (), **kwargs: Any) -> None:
        kwargs.setdefault("widget", _widget(kinds, multiple=False))
        kwargs.setdefault("queryset", Agency.objects.none())
        super().__init__(**kwargs)


class AgencyPickerMultipleField(forms.ModelMultipleChoiceField):
    def __init__(self, *, kinds: Iterable[str] = (), **kwargs: Any) -> None:
        kwargs.setdefault("widget", _widget(kinds, multiple=True))
        kwargs.setdefault("queryset", Agency.objects.none())
        super().__init__(**kwargs)
