"""The background review through the API: runs, candidates and decision records, scoped."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.vetting import filters
from baolei.vetting.models import Candidate, DecisionRecord, VettingRun
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
            "error",
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
            "adjustment",
        ]


class DecisionRecordSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="candidate.appointment.person.name", read_only=True)
    village = serializers.CharField(source="candidate.appointment.region.name", read_only=True)
    decided_by = serializers.CharField(source="decided_by.name", read_only=True)

    class Meta:
        model = DecisionRecord
        fields = [
            "id",
            "candidate",
            "cadre_name",
            "village",
            "previous",
            "decision",
            "note",
            "decided_by",
            "decided_at",
        ]


class RunViewSet(ScopedReadOnlyViewSet):
    """背景审查比对批次，含状态与进度。"""

    queryset = VettingRun.objects.select_related("region")
    serializer_class = RunSerializer
    filterset_class = filters.RunFilter


class CandidateViewSet(ScopedReadOnlyViewSet):
    """疑似命中（研判队列）；``decisions`` 列出研判记录。"""

    queryset = Candidate.objects.select_related("appointment__person", "appointment__region")
    serializer_class = CandidateSerializer
    filterset_class = filters.CandidateFilter

    @extend_schema(responses=DecisionRecordSerializer(many=True))
    @action(detail=False, methods=["get"], filterset_class=None)
    def decisions(self, request: Request, **kwargs: Any) -> Response:
        rows = DecisionRecord.objects.visible_to(request.user).select_related(
            "candidate__appointment__person", "candidate__appointment__region", "decided_by"
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DecisionRecordSerializer(page, many=True).data)
