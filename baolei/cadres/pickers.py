"""Finding a village cadre (an appointment) by name, the pinyin initials of the name or
the village's name; each shown with the post and the village's path, since names repeat."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from baolei.cadres.models import Appointment
from baolei.core.pickers import PickerSelect
from baolei.regions.pickers import by_initials, region_path

PATH_JOINS = "region__parent__parent__parent"


def cadre_label(appointment: Appointment) -> str:
    """张三（村党组织书记，2021年任职）· 白河县 › 锦坡镇 › 锦坡村."""
    facts = f"{appointment.get_post_display()}，{appointment.started_on.year}年任职"
    return f"{appointment.person.name}（{facts}）· {region_path(appointment.region)}"


def search_cadres(rows: QuerySet[Appointment], text: str, limit: int) -> list[Appointment]:
    if text.isascii() and text.isalpha():
        found = by_initials(rows, "person__name", text, limit)
    else:
        found = rows.filter(Q(person__name__contains=text) | Q(region__name__contains=text))
    found = found.select_related("person", PATH_JOINS)
    return list(found.order_by("region__code", "post", "-started_on")[:limit])


def cadre_widget(posts: list[str] | None = None) -> PickerSelect:
    """For a field that takes an appointment's key and leaves the scoped look-up to its view."""
    return PickerSelect("web:pick_cadres", {"post": posts} if posts else None)


class CadrePickerField(forms.ModelChoiceField):
    def __init__(self, *, posts: list[str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", cadre_widget(posts))
        kwargs.setdefault("queryset", Appointment.objects.none())
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return cadre_label(obj)
