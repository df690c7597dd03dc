"""Search endpoints behind the type-ahead pickers: ``GET …?q=`` answers
``{"results": [{"id": …, "text": …}]}`` with at most ``LIMIT`` records, read only
through ``visible_to(user)``. A malformed query is a 400 with a Chinese message."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpRequest, JsonResponse
from django.views import View

from baolei.accounts.models import Agency, AgencyKind
from baolei.accounts.pickers import search_agencies
from baolei.cadres.models import Appointment, Post
from baolei.cadres.pickers import cadre_label, search_cadres
from baolei.cases.models import Case
from baolei.cases.pickers import case_label, search_cases
from baolei.clues.models import Clue
from baolei.clues.pickers import clue_label, search_clues
from baolei.core import params
from baolei.core.views_base import ScopedViewMixin
from baolei.people.models import Person
from baolei.people.pickers import person_label, search_people
from baolei.regions.models import Level, Region
from baolei.regions.pickers import region_path, search_regions
from baolei.screening.models import Screening, Standing
from baolei.screening.pickers import organisation_label, search_organisations

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


class CluePickerView(PickerView):
    """Clues by number or summary, only those the user sees (umbrella clues included only
    for whom the clue queryset reveals them); ``?key=number`` answers with the number."""

    model = Clue

    def narrow(self, rows: Any) -> Any:
        self.by_number = params.choice(self.request, "key", ["pk", "number"]) == "number"
        return rows

    def search(self, rows: Any, text: str) -> list[Any]:
        return search_clues(rows, text, LIMIT)

    def label(self, row: Any) -> str:
        return clue_label(row)

    def key(self, row: Any) -> Any:
        return row.number if self.by_number else row.pk


class CasePickerView(PickerView):
    """Cases by number, name or the pinyin initials of the name."""

    model = Case

    def search(self, rows: Any, text: str) -> list[Any]:
        return search_cases(rows, text, LIMIT)

    def label(self, row: Any) -> str:
        return case_label(row)


class CadrePickerView(PickerView):
    """Village cadres by name, initials or village; ``?post=`` narrows to some posts."""

    model = Appointment

    def narrow(self, rows: Any) -> Any:
        posts = listed(self.request, "post", Post.values)
        return rows.filter(post__in=posts) if posts else rows

    def search(self, rows: Any, text: str) -> list[Any]:
        return search_cadres(rows, text, LIMIT)

    def label(self, row: Any) -> str:
        return cadre_label(row)


class OrganisationPickerView(PickerView):
    """Screened village Party organisations by village name or initials; ``?standing=``
    narrows to some standings (``confirmed`` for the weak-and-lax ones)."""

    model = Screening

    def narrow(self, rows: Any) -> Any:
        standings = listed(self.request, "standing", Standing.values)
        return rows.filter(standing__in=standings) if standings else rows

    def search(self, rows: Any, text: str) -> list[Any]:
        return search_organisations(rows, text, LIMIT)

    def label(self, row: Any) -> str:
        return organisation_label(row)
