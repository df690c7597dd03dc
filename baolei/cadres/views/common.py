"""Helpers shared by the cadre pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form

from baolei.regions.models import Region


def errors_of(form: Form) -> list[str]:
    return [
        f"{form.fields[f].label if f in form.fields else ''}：{'；'.join(str(m) for m in e)}"
        for f, e in form.errors.items()
    ]


def failure(exc: ValidationError | PermissionDenied) -> str:
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def county_of(region: Region) -> str:
    township = region.parent
    return township.parent.name if township and township.parent else ""


#: The import layout (身份证号码 masked): an export edited and uploaded is an import.
