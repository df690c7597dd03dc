"""Coordination API: meetings with counts by kind, mechanisms, assessment scores."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.coordination import queries
from baolei.coordination.models import AssessmentScheme, Mechanism, Meeting, MeetingKind
from baolei.core import params
from baolei.core.api import PERIOD_PARAMETERS, ScopedReadOnlyViewSet, counts_schema
from baolei.ledger.models import LedgerItem


class MeetingSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    decisions = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "kind", "held_on", "topic", "region", "convener", "attendees", "decisions"]

    def get_decisions(self, meeting: Meeting) -> list[int]:
        return [item.pk for item in meeting.decisions.all()]


class MeetingViewSet(ScopedReadOnlyViewSet):
    """会议；``decisions`` 只列出调用者可见的决定事项；``counts?from=&to=`` 按类型统计期间内召开的会议。"""

    queryset = Meeting.objects.select_related("region").prefetch_related("attendees")
    serializer_class = MeetingSerializer
    filterset_fields = ["kind"]
    ordering_fields = ["held_on"]
    ordering = ["-held_on"]

    def get_queryset(self) -> Any:
        decisions = LedgerItem.objects.visible_to(self.request.user)
        return super().get_queryset().prefetch_related(Prefetch("decisions", queryset=decisions))

    @extend_schema(
        parameters=PERIOD_PARAMETERS, responses=counts_schema("MeetingCounts", MeetingKind.values)
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def counts(self, request: Request, **kwargs: Any) -> Response:
        today = timezone.localdate()
        start, end = params.period(request, "from", "to", date(today.year, 1, 1), today)
        return Response(queries.meeting_counts(request.user, start, end))


class MechanismSerializer(serializers.ModelSerializer):
    issuers = serializers.StringRelatedField(many=True)

    class Meta:
        model = Mechanism
        fields = ["id", "title", "document_number", "issuers", "issued_on", "kind", "status"]


class MechanismViewSet(ScopedReadOnlyViewSet):
    """制度机制。"""

    queryset = Mechanism.objects.prefetch_related("issuers")
    serializer_class = MechanismSerializer
    filterset_fields = ["kind", "status"]
    ordering = ["-issued_on"]


class SchemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentScheme
        fields = ["id", "name", "starts_on", "ends_on"]


class CountyScoreSerializer(serializers.Serializer):
    """One county's assessment: rank, total and each indicator's score (schema only)."""

    rank = serializers.IntegerField(help_text="在方案范围内全部县(区)中的名次")
    of = serializers.IntegerField(help_text="参加排名的县(区)总数")
    county = serializers.CharField(help_text="县(区)区划代码")
    name = serializers.CharField()
    total = serializers.DecimalField(max_digits=8, decimal_places=2)
    scores = inline_serializer(
        name="IndicatorScore",
        many=True,
        fields={
            "indicator": serializers.CharField(),
            "score": serializers.DecimalField(max_digits=8, decimal_places=2),
            "explanation": serializers.CharField(),
        },
    )


class SchemeViewSet(ScopedReadOnlyViewSet):
    """考核方案；``scores`` 给出调用者可见的各县(区)各项得分、计算过程，以及在全部县(区)中的排名。"""

    queryset = AssessmentScheme.objects.all()
    serializer_class = SchemeSerializer
    ordering = ["-starts_on"]

    @extend_schema(responses=CountyScoreSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def scores(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        results = queries.assess(self.get_object(), request.user)
        return Response(
            [
                {
                    "rank": r.rank,
                    "of": r.of,
                    "county": r.county.code,
                    "name": r.county.name,
                    "total": str(r.total),
                    "scores": [
                        {
                            "indicator": s.indicator.name,
                            "score": str(s.score),
                            "explanation": s.explanation,
                        }
                        for s in r.scores
                    ],
                }
                for r in results
            ]
        )
