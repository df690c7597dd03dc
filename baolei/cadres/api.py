"""Cadre API (read-only): roster, evaluation campaigns and results, adjustments with
their summary by reason and county, education upgrade, training bases and sessions."""

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

from baolei.cadres import queries
from baolei.cadres.models import (
    Adjustment,
    Appointment,
    Enrolment,
    Evaluation,
    EvaluationCampaign,
    Post,
    Rating,
    Reason,
    TrainingBase,
    TrainingSession,
)
from baolei.core import params
from baolei.core.api import PERIOD_PARAMETERS, ScopedReadOnlyViewSet, counts_schema
from baolei.core.filters import FilterSet


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


class AppointmentApiFilter(FilterSet):
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


class CoverageSerializer(serializers.Serializer):
    """Evaluated secretaries over all in scope, for a county or in total (schema only)."""

    code = serializers.CharField(help_text="县(区)代码前6位；合计为空")
    name = serializers.CharField()
    secretaries = serializers.IntegerField()
    evaluated = serializers.IntegerField()
    ratings = counts_schema("RatingCounts", Rating.values)


class CampaignCoverageSerializer(serializers.Serializer):
    total = CoverageSerializer()
    counties = CoverageSerializer(many=True)


class CampaignViewSet(ScopedReadOnlyViewSet):
    """履职研判；``coverage`` 给出各县(区)已研判 / 范围内全部书记。"""

    queryset = EvaluationCampaign.objects.select_related("region")
    serializer_class = CampaignSerializer
    ordering = ["-period_starts_on"]

    @extend_schema(responses=CampaignCoverageSerializer)
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


class AdjustmentApiFilter(FilterSet):
    reason = django_filters.ChoiceFilter(choices=Reason.choices)
    executed_from = django_filters.DateFilter(field_name="executed_on", lookup_expr="gte")
    executed_to = django_filters.DateFilter(field_name="executed_on", lookup_expr="lte")

    class Meta:
        model = Adjustment
        fields = ["reason", "executed_from", "executed_to"]


class CountyAdjustmentsSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="县(区)代码前6位")
    name = serializers.CharField()
    total = serializers.IntegerField()
    by_reason = counts_schema("AdjustmentReasonCounts", Reason.values)


#: Executed adjustments of a period by reason and county (schema only).
ADJUSTMENT_SUMMARY = inline_serializer(
    name="AdjustmentSummary",
    fields={
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "total": serializers.IntegerField(),
        "by_reason": counts_schema("AdjustmentReasonCounts", Reason.values),
        "reasons": inline_serializer(
            name="AdjustmentReasonLabels",
            fields={reason: serializers.CharField() for reason in Reason.values},
        ),
        "counties": CountyAdjustmentsSerializer(many=True),
    },
)


class AdjustmentViewSet(ScopedReadOnlyViewSet):
    """村干部调整；``summary?from=YYYY-MM-DD&to=YYYY-MM-DD`` 按原因和县(区)统计该期间执行的调整。"""

    queryset = Adjustment.objects.select_related(
        "appointment__person", "appointment__region", "successor__person"
    )
    serializer_class = AdjustmentSerializer
    filterset_class = AdjustmentApiFilter
    ordering_fields = ["proposed_on", "executed_on"]
    ordering = ["-proposed_on", "-id"]

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses=ADJUSTMENT_SUMMARY,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def summary(self, request: Request, **kwargs: Any) -> Response:
        today = timezone.localdate()
        start, end = params.period(request, "from", "to", date(today.year, 1, 1), today)
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


class EducationProgressSerializer(serializers.Serializer):
    """One county's education upgrade (schema only)."""

    county = serializers.CharField(help_text="县(区)代码前6位")
    name = serializers.CharField()
    enrolled = serializers.IntegerField()
    studying = serializers.IntegerField()
    graduated = serializers.IntegerField()
    withdrawn = serializers.IntegerField()


class EnrolmentViewSet(ScopedReadOnlyViewSet):
    """学历提升；``progress`` 给出各县(区)入学、在读、毕业、退学人数。"""

    queryset = Enrolment.objects.select_related("person")
    serializer_class = EnrolmentSerializer
    ordering = ["-enrolled_on", "id"]

    @extend_schema(responses=EducationProgressSerializer(many=True))
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def progress(self, request: Request, **kwargs: Any) -> Response:
        return Response(queries.education_progress(request.user))


class TrainingBaseSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TrainingBase
        fields = ["id", "name", "region", "level", "opened_on"]


class TrainingCountsSerializer(serializers.Serializer):
    """Trained cadres by county and by base (schema only)."""

    counties = inline_serializer(
        name="TrainedByCounty",
        many=True,
        fields={
            "county": serializers.CharField(help_text="县(区)代码前6位"),
            "name": serializers.CharField(),
            "trained": serializers.IntegerField(),
            "attendances": serializers.IntegerField(),
        },
    )
    bases = inline_serializer(
        name="TrainedByBase",
        many=True,
        fields={
            "session__base_id": serializers.IntegerField(),
            "session__base__name": serializers.CharField(),
            "trained": serializers.IntegerField(),
            "sessions": serializers.IntegerField(),
        },
    )


class TrainingBaseViewSet(ScopedReadOnlyViewSet):
    """实训基地；``counts`` 给出各县(区)、各基地的培训人数。"""

    queryset = TrainingBase.objects.select_related("region")
    serializer_class = TrainingBaseSerializer
    ordering = ["region__code", "name"]

    @extend_schema(responses=TrainingCountsSerializer)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
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
