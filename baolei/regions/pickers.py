"""Finding a region by what an office user types: its name, the initials of its name in
pinyin (jpc → 锦坡村) or its code; each shown with its path, since village names repeat
(白河县 › 锦坡镇 › 锦坡村)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from pypinyin import Style, lazy_pinyin

from baolei.core.pickers import PickerSelect, PickerSelectMultiple
from baolei.regions.models import Level, Region

#: Joins that let ``region_path`` climb from a village to its county without a query.
PATH_JOINS = "parent__parent__parent"
SEPARATOR = " › "


def region_path(region: Region) -> str:
    """County › township › village: the path below the city, the city by its name alone."""
    names: list[str] = []
    node: Region | None = region
    while node is not None and (node.level != Level.CITY or not names):
        names.append(node.name)
        node = node.parent
    return SEPARATOR.join(reversed(names))


@lru_cache(maxsize=16384)
def initials(name: str) -> str:
    """锦坡村 → jpc."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


def by_initials(rows: QuerySet[Any], name_field: str, text: str, limit: int) -> QuerySet[Any]:
    """The rows whose name (``name_field``) has pinyin initials starting with the letters typed."""
    wanted = text.lower()
    keys = [
        pk for pk, name in rows.values_list("pk", name_field) if initials(name).startswith(wanted)
    ]
    return rows.filter(pk__in=keys[:limit])


def search_regions(rows: QuerySet[Region], text: str, limit: int) -> list[Region]:
    """Regions of ``rows`` whose code starts with the digits typed, whose pinyin
    initials start with the letters typed, or whose name contains the text."""
    if text.isascii() and text.isdigit():
        found = rows.filter(code__startswith=text)
    elif text.isascii() and text.isalpha():
        wanted = text.lower()
        keys = [
            pk for pk, name in rows.values_list("pk", "name") if initials(name).startswith(wanted)
        ]
        found = rows.filter(pk__in=keys[:limit])
    else:
        found = rows.filter(name__contains=text)
    return list(found.select_related(PATH_JOINS).order_by("code")[:limit])


class RegionCodePicker(PickerSelect):
    """The ``?within=`` filter of a list: a region chosen by name, sent as its code."""

    def __init__(self) -> None:
        super().__init__(
            "web:pick_regions", {"key": ["code"]}, attrs={"data-placeholder": "全部区划"}
        )

    def chosen_options(self, chosen: list[str]) -> list[tuple[str, str]]:
        rows = Region.objects.visible_to(self.user).filter(code__in=chosen)
        return [(r.code, region_path(r)) for r in rows.select_related(PATH_JOINS)]


def within_filter() -> django_filters.CharFilter:
    return django_filters.CharFilter(
        label="所属区划", method="filter_within", widget=RegionCodePicker()
    )


class RegionPickerField(forms.ModelChoiceField):
    """One region, chosen by type-ahead among those the queryset allows."""

    def __init__(self, *, levels: Iterable[str] = (), **kwargs: Any) -> None:
        filters = {"level": list(levels)} if levels else None
        kwargs.setdefault("widget", PickerSelect("web:pick_regions", filters))
        kwargs.setdefault("queryset", Region.objects.none())
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return region_path(obj)


class RegionPickerMultipleField(forms.ModelMultipleChoiceField):
    def __init__(self, *, levels: Iterable[str] = (), **kwargs: Any) -> None:
        filters = {"level": list(levels)} if levels else None
        kwargs.setdefault("widget", PickerSelectMultiple("web:pick_regions", filters))
        kwargs.setdefault("queryset", Region.objects.none())
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return region_path(obj)
