"""The requests and answers of the API's writes on candidates for the same person."""

from __future__ import annotations

from rest_framework import serializers

from baolei.network.models import Identity


class IdentitySerializer(serializers.ModelSerializer):
    """A candidate with both records named; the ID numbers stay on the person pages."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    other_name = serializers.CharField(source="other.name", read_only=True)
    evidence = serializers.ListField(child=serializers.CharField(), read_only=True)
    evidence_labels = serializers.CharField(read_only=True, help_text="比对依据的中文说明")
    decided_by = serializers.CharField(source="decided_by.name", read_only=True, allow_null=True)

    class Meta:
        model = Identity
        fields = [
            "id",
            "person",
            "person_name",
            "other",
            "other_name",
            "score",
            "evidence",
            "evidence_labels",
            "decision",
            "note",
            "found_at",
            "decided_by",
            "decided_at",
        ]


class ConfirmRequestSerializer(serializers.Serializer):
    """确认同一人: the two records are linked in the network, never merged."""

    note = serializers.CharField(
        label="研判意见", max_length=500, required=False, allow_blank=True, default=""
    )


class DismissRequestSerializer(serializers.Serializer):
    """排除 says why, as on the page."""

    note = serializers.CharField(label="排除理由", max_length=500)


class IdentitiesFoundSerializer(serializers.Serializer):
    added = serializers.IntegerField(help_text="新发现的同一人候选对数")
