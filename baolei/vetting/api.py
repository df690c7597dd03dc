from __future__ import annotations

from rest_framework import serializers

from baolei.vetting.models import Candidate, VettingRun
from baolei.web.api import ScopedReadOnlyViewSet


class RunSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = VettingRun
        fields = [
            "id",
            "region",
            "region_name",
            "sources",
            "threshold",
            "status",
            "progress",
            "cadres_total",
            "persons_total",
            "started_at",
            "finished_at",
        ]


class CandidateSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="appointment.person.name", read_only=True)
    village = serializers.CharField(source="appointment.region.name", read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "run",
            "appointment",
            "cadre_name",
            "village",
            "source",
            "matched_name",
            "matched_id_masked",
            "score",
            "evidence",
            "decision",
            "note",
            "decided_at",
            "clue",
        ]


class RunViewSet(ScopedReadOnlyViewSet):
    queryset = VettingRun.objects.select_related("region")
    serializer_class = RunSerializer


class CandidateViewSet(ScopedReadOnlyViewSet):
    queryset = Candidate.objects.select_related("appointment__person", "appointment__region")
    serializer_class = CandidateSerializer
