"""Clues API: clues (umbrella clues only for those allowed), referrals and their summary."""

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

from baolei.clues import queries
from baolei.clues.models import Category, Clue, ClueStatus, Direction, Referral, Source
from baolei.core import params
from baolei.core.api import PERIOD_PARAMETERS, ScopedReadOnlyViewSet
from baolei.core.filters import FilterSet


class ClueSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    warning = serializers.CharField(read_only=True)

    class Meta:
        model = Clue
        fields = [
            "id",
            "number",
            "received_on",
            "source",
            "category",
            "summary",
            "region",
            "handling_agency",
            "status",
            "conclusion",
            "concluded_on",
            "deadline",
            "case",
            "merged_into",
            "warning",
        ]


class ClueApiFilter(FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices)
    source = django_filters.ChoiceFilter(choices=Source.choices)
    status = django_filters.ChoiceFilter(choices=ClueStatus.choices)
    warning = django_filters.ChoiceFilter(choices=[("red", "red"), ("blue", "blue")])

    class Meta:
        model = Clue
        fields = ["category", "source", "status", "warning"]


class ClueViewSet(ScopedReadOnlyViewSet):
    """问题线索（“保护伞”类仅纪委监委与扫黑办领导可见）；举报人信息不经接口提供。"""

    queryset = Clue.objects.select_related("region")
    serializer_class = ClueSerializer
    filterset_class = ClueApiFilter
    ordering_fields = ["received_on", "deadline", "sequence"]
    ordering = ["-received_on"]
    search_fields = ["number", "summary"]

    def get_queryset(self) -> Any:
        return queries.with_warning(super().get_queryset())


class ReferralSerializer(serializers.ModelSerializer):
    clue = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "clue",
            "from_agency",
            "to_agency",
            "direction",
            "sent_on",
            "reason",
            "acknowledge_by",
            "acknowledged_on",
            "feedback_by",
            "feedback_on",
            "feedback",
        ]


class TimelinessSerializer(serializers.Serializer):
    """Referrals of one direction: acknowledged and fed back on time, late, open (schema only)."""

    label = serializers.CharField()
    total = serializers.IntegerField()
    ack_on_time = serializers.IntegerField()
    ack_late = serializers.IntegerField()
    ack_open = serializers.IntegerField()
    ack_open_overdue = serializers.IntegerField()
    feedback_on_time = serializers.IntegerField()
    feedback_late = serializers.IntegerField()
    feedback_open = serializers.IntegerField()
    feedback_open_overdue = serializers.IntegerField()


REFERRAL_SUMMARY = inline_serializer(
    name="ReferralSummary",
    fields={
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "directions": inline_serializer(
            name="ReferralDirections",
            fields={d: TimelinessSerializer() for d in Direction.values},
        ),
    },
)


class ReferralViewSet(ScopedReadOnlyViewSet):
    """线索移送；``summary?from=&to=`` 为各方向移送数及按时、逾期签收反馈数。"""

    queryset = Referral.objects.select_related("clue")
    serializer_class = ReferralSerializer
    filterset_fields = ["direction"]
    ordering = ["-sent_on"]

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=REFERRAL_SUMMARY)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def summary(self, request: Request, **kwargs: Any) -> Response:
        today = timezone.localdate()
        start, end = params.period(request, "from", "to", date(today.year, 1, 1), today)
        return Response(queries.referral_summary(request.user, start, end))
