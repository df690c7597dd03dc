"""Type-ahead pickers: a select that renders only its chosen option(s) and names the
search endpoint that offers the others (``data-picker``; baolei.js wires Tom Select to
it). The field behind it keeps its scoped queryset, so a submitted key outside the
user's scope is refused with the field's own message, as with a full list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.forms.models import ModelChoiceIterator
from django.urls import reverse


class PickerSelect(forms.Select):
    """A ``<select data-picker="…">`` holding the selected option only."""

    #: The user whose scope labels a chosen value that no scoped queryset names (a
    #: list filter's region code); set by ``baolei.core.filters.FilterSet``.
    user: Any = None

    def __init__(
        self,
        endpoint: str,
        filters: Mapping[str, Iterable[str]] | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.endpoint = endpoint
        self.filters = {name: ",".join(values) for name, values in (filters or {}).items()}

    def url(self) -> str:
        query = urlencode(self.filters)
        return reverse(self.endpoint) + (f"?{query}" if query else "")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = {"data-placeholder": "输入名称检索", **(attrs or {}), "data-picker": self.url()}
        return super().get_context(name, value, attrs)

    def chosen_options(self, chosen: list[str]) -> list[tuple[str, str]]:
        """(value, label) of the chosen records, read through the field's scoped queryset."""
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator) or not chosen:
            return []
        key = choices.field.to_field_name or "pk"
        wanted = [v for v in chosen if v.isdigit()] if key == "pk" else chosen
        rows = choices.queryset.filter(**{f"{key}__in": wanted})
        label = choices.field.label_from_instance
        return [(str(getattr(row, key)), label(row)) for row in rows]

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> Any:
        chosen = [str(v) for v in value if v not in (None, "")]
        options = [] if self.allow_multiple_selected else [("", "")]
        options += self.chosen_options(chosen)
        groups = []
        for index, (key, label) in enumerate(options):
            selected = key in chosen or (not key and not chosen)
            option = self.create_option(name, key, label, selected, index, attrs=attrs)
            groups.append((None, [option], index))
        return groups


class PickerSelectMultiple(PickerSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)  # type: ignore[arg-type]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False
