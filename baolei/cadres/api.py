"""Cadre API (read-only): roster, evaluation campaigns and results, adjustments with
their summary by reason and county, education upgrade, training bases and sessions."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.utils import timezone
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.cadres import queries
from baolei.cadres.models import (
    Adjustment,
    Appointment,
    Enrolment,
    Evaluation,
    EvaluationCampaign,
    Post,
    Reason,
    TrainingBase,
    TrainingSession,
)
from baolei.web.api import ScopedReadOnlyViewSet, query_date


class AppointmentSerializer(serializers.ModelSerializer):
    """Numbers only masked, as everywhere."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number_masked = serializers.CharField(source="person.id_number_masked", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "person",
            "person_name",
            "id_number_masked",
            "region",
            "region_name",
            "post",
            "started_on",
            "term_starts_on",
            "term_ends_on",
            "state",
        ]


class AppointmentApiFilter(django_filters.FilterSet):
    post = django_filters.ChoiceFilter(choices=Post.choices)
    state = django_filters.ChoiceFilter(choices=list(queries.STATE_LABELS.items()))
    region = django_filters.CharFilter(field_name="region__code")

    class Meta:
        model = Appointment
        fields = ["post", "state", "region"]


class AppointmentViewSet(ScopedReadOnlyViewSet):
    """村干部名册（任职）；``state`` 为今天的状态：serving 在任、expired 届满待换届、removed 已调整离任。"""

    queryset = Appointment.objects.select_related("person", "region")
    serializer_class = AppointmentSerializer
    filterset_class = AppointmentApiFilter
    ordering_fields = ["started_on", "region__code"]
    ordering = ["region__code", "post"]
    search_fields = ["person__name", "region__name"]

    def get_queryset(self) -> Any:
        return queries.with_state(super().get_queryset())


class CampaignSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = EvaluationCampaign
        fields = ["id", "name", "region", "period_starts_on", "period_ends_on"]


class CampaignViewSet(ScopedReadOnlyViewSet):
    """履职研判；``coverage`` 给出各县(区)已研判 / 范围内全部书记。"""

    queryset = EvaluationCampaign.objects.select_related("region")
    serializer_class = CampaignSerializer
    ordering = ["-period_starts_on"]

    @action(detail=True, methods=["get"])
    def coverage(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        total, counties = queries.campaign_coverage(self.get_object(), request.user)
        return Response({"total": total.as_dict(), "counties": [c.as_dict() for c in counties]})


class EvaluationSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="appointment.person.name", read_only=True)
    region = serializers.CharField(source="appointment.region.code", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "campaign",
            "appointment",
            "person_name",
            "region",
            "rating",
            "flagged_incompetent",
            "findings",
            "evaluator",
            "evaluated_on",
        ]


class EvaluationViewSet(ScopedReadOnlyViewSet):
    """研判结果。"""

    queryset = Evaluation.objects.select_related("appointment__person", "appointment__region")
    serializer_class = EvaluationSerializer
    filterset_fields = ["campaign", "rating"]
    ordering = ["campaign", "appointment__region__code"]


class AdjustmentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="appointment.person.name", read_only=True)
    region = serializers.CharField(source="appointment.region.code", read_only=True)
    post = serializers.CharField(source="appointment.post", read_only=True)
    status = serializers.CharField(read_only=True)
    successor_name = serializers.SerializerMethodField()

    class Meta:
        model = Adjustment
        fields = [
            "id",
            "appointment",
            "person_name",
            "region",
            "post",
            "reason",
            "details",
            "evaluation",
            "proposed_on",
            "decision",
            "decided_on",
            "executed_on",
            "successor",
            "successor_name",
            "status",
        ]

    def get_successor_name(self, adjustment: Adjustment) -> str:
        return adjustment.successor.person.name if adjustment.successor else ""


class AdjustmentApiFilter(django_filters.FilterSet):
    reason = django_filters.ChoiceFilter(choices=Reason.choices)
    executed_from = django_filters.DateFilter(field_name="executed_on", lookup_expr="gte")
    executed_to = django_filters.DateFilter(field_name="executed_on", lookup_expr="lte")

    class Meta:
        model = Adjustment
        fields = ["reason", "executed_from", "executed_to"]


class AdjustmentViewSet(ScopedReadOnlyViewSet):
    """村干部调整；``summary?from=YYYY-MM-DD&to=YYYY-MM-DD`` 按原因和县(区)统计该期间执行的调整。"""

    queryset = Adjustment.objects.select_related(
        "appointment__person", "appointment__region", "successor__person"
    )
    serializer_class = AdjustmentSerializer
    filterset_class = AdjustmentApiFilter
    ordering_fields = ["proposed_on", "executed_on"]
    ordering = ["-proposed_on", "-id"]

    @action(detail=False, methods=["get"])
    def summary(self, request: Request, **kwargs: Any) -> Response:
        today = timezone.localdate()
        start = query_date(request, "from", date(today.year, 1, 1))
        end = query_date(request, "to", today)
        if end < start:
            raise ApiValidationError({"to": "截止日期不能早于起始日期。"})
        return Response(queries.adjustment_summary(request.user, start, end))


class EnrolmentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    status = serializers.CharField(source="status_label", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "person",
            "person_name",
            "target_level",
            "institution",
            "enrolled_on",
            "expected_on",
            "graduated_on",
            "withdrawn_on",
            "status",
        ]


class EnrolmentViewSet(ScopedReadOnlyViewSet):
    """学历提升；``progress`` 给出各县(区)入学、在读、毕业、退学人数。"""

    queryset = Enrolment.objects.select_related("person")
    serializer_class = EnrolmentSerializer
    ordering = ["-enrolled_on", "id"]

    @action(detail=False, methods=["get"])
    def progress(self, request: Request, **kwargs: Any) -> Response:
        return Response(queries.education_progress(request.user))


class TrainingBaseSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TrainingBase
        fields = ["id", "name", "region", "level", "opened_on"]


class TrainingBaseViewSet(ScopedReadOnlyViewSet):
    """实训基地；``counts`` 给出各县(区)、各基地的培训人数。"""

    queryset = TrainingBase.objects.select_related("region")
    serializer_class = TrainingBaseSerializer
    ordering = ["region__code", "name"]

    @action(detail=False, methods=["get"])
    def counts(self, request: Request, **kwargs: Any) -> Response:
        return Response(queries.training_counts(request.user))


class TrainingSessionSerializer(serializers.ModelSerializer):
    attendees = serializers.SerializerMethodField()

    class Meta:
        model = TrainingSession
        fields = ["id", "base", "title", "kind", "starts_on", "ends_on", "attendees"]

    def get_attendees(self, session: TrainingSession) -> int:
        return len(session.attendances.all())


class TrainingSessionViewSet(ScopedReadOnlyViewSet):
    """培训班次。"""

    queryset = TrainingSession.objects.prefetch_related("attendances")
    serializer_class = TrainingSessionSerializer
    filterset_fields = ["base", "kind"]
    ordering = ["-starts_on", "id"]
