"""Finding a screened village or community Party organisation by its village's name or
the pinyin initials of it; shown with the round and the village's path."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from baolei.core.pickers import PickerSelect
from baolei.regions.pickers import by_initials, region_path
from baolei.screening.models import Screening

PATH_JOINS = "region__parent__parent__parent"


def organisation_label(screening: Screening) -> str:
    """锦坡村党组织（2026年第一轮排查）· 白河县 › 锦坡镇 › 锦坡村."""
    return (
        f"{screening.region.name}党组织（{screening.round.name}）· {region_path(screening.region)}"
    )


def search_organisations(rows: QuerySet[Screening], text: str, limit: int) -> list[Screening]:
    if text.isascii() and text.isalpha():
        found = by_initials(rows, "region__name", text, limit)
    else:
        found = rows.filter(region__name__contains=text)
    found = found.select_related("round", PATH_JOINS)
    return list(found.order_by("-round__starts_on", "region__code")[:limit])


class OrganisationPickerField(forms.ModelChoiceField):
    def __init__(self, *, standings: list[str] | None = None, **kwargs: Any) -> None:
        filters = {"standing": standings} if standings else None
        kwargs.setdefault("widget", PickerSelect("web:pick_organisations", filters))
        kwargs.setdefault("queryset", Screening.objects.none())
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return organisation_label(obj)
