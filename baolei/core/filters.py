"""The one base of every FilterSet, page and API: bounded numbers, ids and days, and a
400 with the form's Chinese messages when a filter value is malformed or out of range
(a page used to ignore it silently; a number past the database's integer answered 500)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django_filters import rest_framework as drf_filters

from baolei.core import params
from baolei.core.pickers import PickerSelect

INTEGER_MESSAGE = f"应为 {params.INTEGER_MIN} 到 {params.INTEGER_MAX} 之间的整数。"
ID_MESSAGE = f"应为 1 到 {params.INTEGER_MAX} 之间的整数编号。"
NUMBER_MESSAGE = "应为数值，且绝对值不超过 9223372036854775807。"
#: The schema's pattern for a day within params.FIRST_DAY..LAST_DAY (days 29-31 are
#: left to the server, which refuses an impossible one with a 400).
DAY_PATTERN = r"^(19[5-9][0-9]|20[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$"


class IdField(forms.IntegerField):
    """A record number: a whole number from 1 to the database's largest integer."""

    default_error_messages = {"invalid": ID_MESSAGE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", params.INTEGER_MAX)
        kwargs.setdefault("error_messages", {"min_value": ID_MESSAGE, "max_value": ID_MESSAGE})
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        try:
            return params.check_integer("", str(value).strip(), minimum=1)
        except params.BadQuery:
            raise ValidationError(ID_MESSAGE, code="invalid") from None


class NumberField(forms.DecimalField):
    """django-filter's NumberFilter field, bounded to what a database column can compare."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal(params.INTEGER_MIN))
        kwargs.setdefault("max_value", Decimal(params.INTEGER_MAX))
        kwargs.setdefault("error_messages", {})
        for code in ("invalid", "min_value", "max_value"):
            kwargs["error_messages"].setdefault(code, NUMBER_MESSAGE)
        super().__init__(*args, **kwargs)


class DayField(forms.DateField):
    """A day within params.FIRST_DAY..LAST_DAY."""

    default_error_messages = {"invalid": params.DAY_RANGE_MESSAGE}

    def to_python(self, value: Any) -> Any:
        day = super().to_python(value)
        if day is not None and not params.FIRST_DAY <= day <= params.LAST_DAY:
            raise ValidationError(params.DAY_RANGE_MESSAGE, code="invalid")
        return day


def integer_key(field: forms.ModelChoiceField) -> bool:
    if field.queryset is None:
        return False
    model = field.queryset.model
    key = field.to_field_name or model._meta.pk.name
    model_field = model._meta.get_field(key)
    if isinstance(model_field, models.ForeignKey):
        model_field = model_field.target_field
    return isinstance(model_field, models.IntegerField | models.AutoField)


class ModelChoiceField(django_filters.fields.ModelChoiceField):
    """A record chosen by number: a number past the database's integers is no choice."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and integer_key(self):
            try:
                params.check_integer("", str(value).strip())
            except params.BadQuery:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                ) from None
        return super().to_python(value)


class ModelMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        if value and integer_key(self):
            for item in value if isinstance(value, list | tuple) else [value]:
                try:
                    params.check_integer("", str(item).strip())
                except params.BadQuery:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": str(item)[:40]},
                    ) from None
        return super().clean(value)


class IdFilter(django_filters.NumberFilter):
    """A filter on a record number (``?round=12``)."""

    field_class = IdField


def offer_records(
    form: forms.Form, name: str, rows: Any, empty_label: str, label: Any = str
) -> None:
    """Offer an ``IdFilter`` of a page as a list of the records the user sees, by name:
    a round is chosen by its name, not typed as its number (the API still takes it)."""
    field = form.fields[name]
    if not isinstance(field.widget, forms.Select):
        field.widget = forms.Select(choices=[("", empty_label), *((r.pk, label(r)) for r in rows)])


#: The bounded field that replaces django-filter's default for each filter kind.
BOUNDED_FIELDS: dict[type, type] = {
    forms.DecimalField: NumberField,
    forms.DateField: DayField,
    django_filters.fields.ModelChoiceField: ModelChoiceField,
    django_filters.fields.ModelMultipleChoiceField: ModelMultipleChoiceField,
}
SCHEMAS: dict[type, dict[str, Any]] = {
    IdField: {"type": "integer", "format": "int64", "minimum": 1, "maximum": params.INTEGER_MAX},
    NumberField: {
        "type": "number",
        "minimum": params.INTEGER_MIN,
        "maximum": params.INTEGER_MAX,
    },
    DayField: {"type": "string", "format": "date", "pattern": DAY_PATTERN},
}


def bound(item: django_filters.Filter) -> None:
    """Give one filter the bounded field of its kind, and the schema that states the bounds."""
    field_class = BOUNDED_FIELDS.get(item.field_class, item.field_class)
    item.field_class = field_class
    schema = SCHEMAS.get(field_class)
    if schema is not None and not hasattr(item, "_spectacular_annotation"):
        item._spectacular_annotation = {"field": dict(schema)}


class FilterSet(drf_filters.FilterSet):
    """Every list's filters, on pages and in the API."""

    @classmethod
    def get_filters(cls) -> dict[str, Any]:
        filters = super().get_filters()
        for item in filters.values():
            bound(item)
        return filters

    @property
    def form(self) -> Any:
        form = super().form
        for field in form.fields.values():
            if isinstance(field.widget, PickerSelect):
                field.widget.user = getattr(self.request, "user", None)
        return form

    @property
    def qs(self) -> Any:
        if self.is_bound and not self.is_valid():
            raise params.BadQuery(self.errors)
        return super().qs


class FilterBackend(drf_filters.DjangoFilterBackend):
    """The API's filter backend: lists declared with ``filterset_fields`` get the same base."""

    filterset_base = FilterSet
