"""One form style for every page, drawn by django-bootstrap5 (``{% bootstrap_form %}``).

Bootstrap's classes on every widget, the label above its field, the field's errors beside
it, a red mark on required fields (``.required`` in baolei.css). What the package cannot
know is the office's formats: a date field without help text says how to type a date, and
its box shows the pattern. Dates are shown as 2026-12-01 (the first of
``baolei.formats.zh_Hans.DATE_INPUT_FORMATS``) and are also accepted as 2026年12月1日,
2026/12/01, 2026.12.01 and 20261201.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django_bootstrap5.renderers import FieldRenderer as BootstrapFieldRenderer

#: The hint under every date field that has none of its own.
DATE_HINT = "格式：年-月-日，如 2026-12-01；也可填 2026年12月1日"
DATE_PLACEHOLDER = "年-月-日"


def date_field(field: forms.Field) -> bool:
    return isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField)


class FieldRenderer(BootstrapFieldRenderer):
    """Bootstrap's field, with the office's format hints for dates."""

    help_text: str
    placeholder: str

    def __init__(self, field: forms.BoundField, **kwargs: Any) -> None:
        super().__init__(field, **kwargs)
        if date_field(field.field):
            if self.show_help and not self.help_text:
                self.help_text = DATE_HINT
            self.placeholder = DATE_PLACEHOLDER

    def add_placeholder_attrs(self, widget: forms.Widget | None = None) -> None:
        """Only the format patterns; a label repeated inside its box says nothing new."""
        widget = widget or self.widget
        if self.placeholder and date_field(self.field.field):
            widget.attrs.setdefault("placeholder", self.placeholder)

    def get_server_side_validation_classes(self) -> str:
        """Red on the fields with errors; the others stay plain (no green on every field)."""
        return "is-invalid" if self.field_errors else ""


def compact(form: forms.BaseForm) -> forms.BaseForm:
    """A form drawn inside a table row or a toolbar: small widgets in the one style, each
    named for screen readers by ``aria-label`` (the label is not shown). Rows repeat the
    form, so its fields carry no ids."""
    form.auto_id = False
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            style = "form-check-input"
        elif isinstance(widget, forms.Select):
            style = "form-select form-select-sm"
        else:
            style = "form-control form-control-sm"
        widget.attrs["class"] = f"{style} {widget.attrs.get('class', '')}".strip()
        widget.attrs.setdefault("aria-label", str(field.label))
        if date_field(field):
            widget.attrs.setdefault("placeholder", DATE_PLACEHOLDER)
    return form
