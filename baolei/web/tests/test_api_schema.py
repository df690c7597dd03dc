"""The schema states what the API can answer, field by field: a value the database may
hold empty (NULL, or "" for a choice) is allowed by the serializer, and so by the schema.
The fuzz run (test_fuzz.py) checks the answers themselves; this checks every field of
every serializer, whatever rows a test happens to hold."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import serializers

from baolei.web.api_urls import router


def api_serializers() -> list[type[serializers.Serializer]]:
    found = []
    for _, viewset, _ in router.registry:
        cls = getattr(viewset, "serializer_class", None)
        if cls is not None and issubclass(cls, serializers.ModelSerializer):
            found.append(cls)
    return found


def model_path(model: type[models.Model], source: str) -> list[models.Field]:
    """The model fields a dotted source walks through ([] when it is no field path)."""
    fields = []
    for name in source.split("."):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return []
        fields.append(field)
        if not field.is_relation or field.related_model is None:
            break
        model = field.related_model
    return fields


SERIALIZERS = api_serializers()


def test_the_walk_finds_the_serializers() -> None:
    assert len(SERIALIZERS) > 25


@pytest.mark.parametrize("serializer", SERIALIZERS, ids=lambda s: s.__name__)
def test_every_field_allows_what_its_column_may_hold(serializer: Any) -> None:
    model = serializer.Meta.model
    for name, field in serializer().fields.items():
        many = serializers.ManyRelatedField | serializers.ListSerializer
        if field.source == "*" or isinstance(field, serializers.SerializerMethodField | many):
            continue
        path = model_path(model, field.source)
        if not path or len(path) < len(field.source.split(".")):
            continue
        if any(isinstance(f, models.Field) and f.null for f in path):
            assert field.allow_null, f"{serializer.__name__}.{name} may be null in the database"
        last = path[-1]
        choice = isinstance(field, serializers.ChoiceField)
        if choice and getattr(last, "choices", None) and getattr(last, "blank", False):
            assert field.allow_blank, f"{serializer.__name__}.{name} may be '' in the database"
