"""Finding a case by its number, a part of its name or the pinyin initials of its name."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from baolei.cases.models import Case
from baolei.core.pickers import PickerSelect
from baolei.regions.pickers import by_initials, region_path

PATH_JOINS = "region__parent__parent__parent"


def case_label(case: Case) -> str:
    """白公刑〔2026〕003号 王某某等人寻衅滋事案 · 白河县."""
    return f"{case.number} {case.name} · {region_path(case.region)}"


def search_cases(rows: QuerySet[Case], text: str, limit: int) -> list[Case]:
    if text.isascii() and text.isalpha():
        found = by_initials(rows, "name", text, limit)
    else:
        found = rows.filter(Q(number__contains=text) | Q(name__contains=text))
    return list(found.select_related(PATH_JOINS).order_by("-opened_on", "number")[:limit])


class CasePickerField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PickerSelect("web:pick_cases"))
        kwargs.setdefault("queryset", Case.objects.none())
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return case_label(obj)


def case_filter(**kwargs: Any) -> django_filters.ModelChoiceFilter:
    """A list filter on a case chosen by name; the queryset is set to what the user sees."""
    widget = PickerSelect("web:pick_cases", attrs={"data-placeholder": "全部案件"})
    return django_filters.ModelChoiceFilter(
        queryset=Case.objects.none(), widget=widget, empty_label="全部案件", **kwargs
    )
