"""Cases API: cases with their timeline, and the statistics for any period."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.utils import timezone
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.cases import queries
from baolei.cases.models import Case, CaseKind, Stage, StageEvent
from baolei.web.api import ScopedReadOnlyViewSet, query_date


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageEvent
        fields = ["stage", "on", "characterisation", "outcome", "agency", "note"]


class CaseSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    stage = serializers.CharField(read_only=True)
    events = EventSerializer(many=True, read_only=True)
    suspects = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "name",
            "kind",
            "region",
            "lead_agency",
            "opened_on",
            "summary",
            "stage",
            "events",
            "suspects",
        ]

    def get_suspects(self, case: Case) -> list[dict[str, Any]]:
        return [
            {
                "name": s.person.name,
                "id_number": s.person.id_number_masked,
                "role": s.role,
                "sentence": s.sentence,
            }
            for s in case.suspects.all()
        ]


class CaseApiFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=CaseKind.choices)
    stage = django_filters.ChoiceFilter(choices=Stage.choices)

    class Meta:
        model = Case
        fields = ["kind", "stage"]


class CaseViewSet(ScopedReadOnlyViewSet):
    """案件（含办案进程、嫌疑人，身份证号码脱敏）；``statistics?from=&to=`` 为期间统计。"""

    queryset = Case.objects.select_related("region").prefetch_related("events", "suspects__person")
    serializer_class = CaseSerializer
    filterset_class = CaseApiFilter
    ordering_fields = ["opened_on", "number"]
    ordering = ["-opened_on"]
    search_fields = ["number", "name"]

    def get_queryset(self) -> Any:
        return queries.with_current_stage(super().get_queryset())

    @action(detail=False, methods=["get"])
    def statistics(self, request: Request, **kwargs: Any) -> Response:
        today = timezone.localdate()
        start = query_date(request, "from", date(today.year, 1, 1))
        end = query_date(request, "to", today)
        if end < start:
            raise ValidationError({"to": "截止日期不能早于起始日期。"})
        return Response(queries.statistics(request.user, start, end))
