"""Cases API: cases with their timeline, and the statistics for any period."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.cases import queries
from baolei.cases.models import Case, CaseKind, Characterisation, Stage, StageEvent
from baolei.core import params
from baolei.core.api import PERIOD_PARAMETERS, ScopedReadOnlyViewSet, counts_schema
from baolei.core.filters import FilterSet


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageEvent
        fields = ["stage", "on", "characterisation", "outcome", "agency", "note"]


class CaseSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    stage = serializers.ChoiceField(
        choices=Stage.choices, read_only=True, allow_null=True, help_text="当前阶段"
    )
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


class CaseApiFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=CaseKind.choices)
    stage = django_filters.ChoiceFilter(choices=Stage.choices)

    class Meta:
        model = Case
        fields = ["kind", "stage"]


RECOGNISED = [c for c in Characterisation.values if c != Characterisation.NONE]
#: The statistics of a period (schema only): the seed's chain of figures.
STATISTICS = inline_serializer(
    name="CaseStatistics",
    fields={
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "police": inline_serializer(
            name="PoliceStatistics",
            fields={
                "filed": counts_schema("FiledByKind", CaseKind.values),
                "suspects_caught": serializers.IntegerField(),
            },
        ),
        "procuratorate": inline_serializer(
            name="ProcuratorateStatistics",
            fields={
                "prosecuted": counts_schema("ProsecutedByCharacterisation", Characterisation.values)
            },
        ),
        "courts": inline_serializer(
            name="CourtStatistics",
            fields={
                "first_instance_recognised": counts_schema("FirstInstanceRecognised", RECOGNISED),
                "first_instance_not_recognised": serializers.IntegerField(),
                "second_instance_concluded": counts_schema("SecondInstanceConcluded", RECOGNISED),
            },
        ),
        "assets": inline_serializer(
            name="AssetStatistics",
            fields={
                "held_at_from": serializers.DecimalField(max_digits=20, decimal_places=2),
                "held_at_to": serializers.DecimalField(max_digits=20, decimal_places=2),
                "change": serializers.DecimalField(max_digits=20, decimal_places=2),
            },
        ),
    },
)


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

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=STATISTICS)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def statistics(self, request: Request, **kwargs: Any) -> Response:
        today = timezone.localdate()
        start, end = params.period(request, "from", "to", date(today.year, 1, 1), today)
        return Response(queries.statistics(request.user, start, end))
