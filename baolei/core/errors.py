"""Errors a service raises besides Django's ValidationError and PermissionDenied
(mapped to responses by ``baolei.core.outcomes``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class StaleVersion(ValidationError):
    """The record was changed by someone else since the user read it."""
