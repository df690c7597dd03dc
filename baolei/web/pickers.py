"""Search endpoints behind the type-ahead pickers: ``GET …?q=`` answers
``{"results": [{"id": …, "text": …}]}`` with at most ``LIMIT`` records, read only
through ``visible_to(user)``. A malformed query is a 400 with a Chinese message."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpRequest, JsonResponse
from django.views import View

from baolei.accounts.models import Agency, AgencyKind
from baolei.accounts.pickers import search_agencies
from baolei.core import params
from baolei.core.views_base import ScopedViewMixin
from baolei.people.models import Person
from baolei.people.pickers import person_label, search_people
from baolei.regions.models import Level, Region
from baolei.regions.pickers import region_path, search_regions

LIMIT = 20


def listed(request: HttpRequest, name: str, allowed: list[str]) -> list[str]:
    """A comma-separated list of allowed values (``?level=village,community``)."""
    values = [v for v in params.raw(request, name).split(",") if v]
    wrong = [v for v in values if v not in allowed]
    if wrong:
        raise params.BadQuery({name: "可选值为：" + "、".join(allowed) + "。"})
    return values


class PickerView(ScopedViewMixin, View):
    http_method_names: ClassVar[list[str]] = ["get"]  # type: ignore[misc]

    def get(self, request: HttpRequest) -> JsonResponse:
        try:
            text = params.text(request, "q")
            rows = self.narrow(self.get_queryset())
            found = self.search(rows, text) if text else []
            results = [{"id": self.key(r), "text": self.label(r)} for r in found]
        except params.BadQuery as error:
            return JsonResponse({"errors": error.messages()}, status=400)
        return JsonResponse({"results": results})

    def narrow(self, rows: Any) -> Any:
        return rows

    def search(self, rows: Any, text: str) -> list[Any]:
        raise NotImplementedError

    def label(self, row: Any) -> str:
        return str(row)

    def key(self, row: Any) -> Any:
        return row.pk


class RegionPickerView(PickerView):
    """Regions by name, pinyin initials or code; ``?level=`` narrows to some levels."""

    model = Region

    def narrow(self, rows: Any) -> Any:
        self.by_code = params.choice(self.request, "key", ["pk", "code"]) == "code"
        levels = listed(self.request, "level", Level.values)
        return rows.filter(level__in=levels) if levels else rows

    def search(self, rows: Any, text: str) -> list[Any]:
        return search_regions(rows, text, LIMIT)

    def label(self, row: Any) -> str:
        return region_path(row)

    def key(self, row: Any) -> Any:
        """The code instead of the record number for ``?key=code`` (list filters)."""
        return row.code if self.by_code else row.pk


class PersonPickerView(PickerView):
    """People by name, or by the whole ID number (never a part of one)."""

    model = Person

    def search(self, rows: Any, text: str) -> list[Any]:
        return search_people(rows, text, LIMIT)

    def label(self, row: Any) -> str:
        return person_label(row)


class AgencyPickerView(PickerView):
    """Agencies by name; ``?kind=`` narrows to some kinds."""

    model = Agency

    def narrow(self, rows: Any) -> Any:
        kinds = listed(self.request, "kind", AgencyKind.values)
        return rows.filter(kind__in=kinds) if kinds else rows

    def search(self, rows: Any, text: str) -> list[Any]:
        return search_agencies(rows, text, LIMIT)
