"""Supervision API: plans, teams, rounds, lagging counties and problem lists, scoped."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.core import params
from baolei.core.api import ScopedReadOnlyViewSet
from baolei.core.filters import FilterSet
from baolei.regions.models import Region
from baolei.supervision import queries
from baolei.supervision.models import (
    LaggingCounty,
    LeaderAssignment,
    Problem,
    ProblemScope,
    ProblemSource,
    ProblemStatus,
    SupervisionPlan,
    SupervisionRound,
    Team,
)


class PlanSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SupervisionPlan
        fields = ["id", "title", "region", "document_number", "starts_on", "ends_on"]


class PlanViewSet(ScopedReadOnlyViewSet):
    """督导方案。"""

    queryset = SupervisionPlan.objects.select_related("region")
    serializer_class = PlanSerializer
    ordering = ["-starts_on"]


class AssignmentSerializer(serializers.ModelSerializer):
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = LeaderAssignment
        fields = ["id", "plan", "leader", "leader_title", "county"]


class AssignmentViewSet(ScopedReadOnlyViewSet):
    """联系督导（市领导联系县区）。"""

    queryset = LeaderAssignment.objects.select_related("county")
    serializer_class = AssignmentSerializer
    filterset_fields = ["plan"]
    ordering = ["county__code"]


class TeamSerializer(serializers.ModelSerializer):
    counties = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "plan", "name", "leader", "deputy", "members", "counties"]


def seen_counties(user: Any) -> Prefetch:
    """A team or round lists only the counties the user sees among those it covers."""
    return Prefetch("counties", queryset=Region.objects.visible_to(user))


class TeamViewSet(ScopedReadOnlyViewSet):
    """督导组；``counties`` 只列出调用者可见的县(区)。"""

    queryset = Team.objects.all()
    serializer_class = TeamSerializer
    filterset_fields = ["plan"]
    ordering = ["name"]

    def get_queryset(self) -> Any:
        return super().get_queryset().prefetch_related(seen_counties(self.request.user))


class SupervisionRoundSerializer(serializers.ModelSerializer):
    counties = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = SupervisionRound
        fields = ["id", "plan", "number", "starts_on", "ends_on", "teams", "counties"]


class RoundViewSet(ScopedReadOnlyViewSet):
    """督导轮次；``teams`` 与 ``counties`` 只列出调用者可见的督导组和县(区)。"""

    queryset = SupervisionRound.objects.all()
    serializer_class = SupervisionRoundSerializer
    filterset_fields = ["plan"]
    ordering = ["number"]

    def get_queryset(self) -> Any:
        user = self.request.user
        return (
            super()
            .get_queryset()
            .prefetch_related(
                seen_counties(user), Prefetch("teams", queryset=Team.objects.visible_to(user))
            )
        )


class LaggingSerializer(serializers.ModelSerializer):
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = LaggingCounty
        fields = ["id", "plan", "county", "designated_on", "reason", "remediation_plan"]


class LaggingViewSet(ScopedReadOnlyViewSet):
    """后进地区。"""

    queryset = LaggingCounty.objects.select_related("county")
    serializer_class = LaggingSerializer
    ordering = ["-designated_on"]


class ProblemSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(read_only=True, help_text="整改状态，按调用者可见的台账事项计算")
    items = serializers.SerializerMethodField()
    partial = serializers.BooleanField(
        read_only=True,
        help_text="问题范围超出调用者的区划：items 与 status 只含调用者可见的事项",
    )

    class Meta:
        model = Problem
        fields = [
            "id",
            "source",
            "round",
            "scope",
            "number",
            "region",
            "description",
            "measures",
            "deadline",
            "received_on",
            "status",
            "items",
            "partial",
        ]

    def get_items(self, problem: Problem) -> list[int]:
        return [item.pk for item in problem.items.all()]


class ProblemFilter(FilterSet):
    source = django_filters.ChoiceFilter(choices=ProblemSource.choices)
    scope = django_filters.ChoiceFilter(choices=ProblemScope.choices)
    status = django_filters.ChoiceFilter(choices=ProblemStatus.choices)

    class Meta:
        model = Problem
        fields = ["source", "scope", "status", "round"]


class ProblemSummarySerializer(serializers.Serializer):
    """One row of the problem summary: a source and scope with its counts (schema only)."""

    source = serializers.ChoiceField(choices=ProblemSource.choices)
    source_display = serializers.CharField()
    scope = serializers.ChoiceField(choices=ProblemScope.choices)
    scope_display = serializers.CharField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    done_long_term = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    recurred = serializers.IntegerField()
    sentence = serializers.CharField()


class ProblemViewSet(ScopedReadOnlyViewSet):
    """问题清单；状态由其台账事项推导。``summary`` 按来源与类型统计。"""

    queryset = Problem.objects.select_related("region")
    serializer_class = ProblemSerializer
    filterset_class = ProblemFilter
    ordering_fields = ["number", "deadline"]
    ordering = ["source", "scope", "number"]
    search_fields = ["number", "description"]

    def get_queryset(self) -> Any:
        user = self.request.user
        return queries.with_items(queries.with_status(super().get_queryset(), user=user), user)

    @extend_schema(
        parameters=[
            OpenApiParameter("source", enum=ProblemSource.values, description="只统计该来源")
        ],
        responses=ProblemSummarySerializer(many=True),
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def summary(self, request: Request, **kwargs: Any) -> Response:
        source = params.choice(request, "source", ProblemSource.values) or None
        rows = queries.problem_summary(request.user, source)
        return Response([row | {"sentence": queries.summary_sentence(row)} for row in rows])
