"""Supervision API: plans, teams, rounds, lagging counties and problem lists, scoped;
and the writes their pages make (a plan and its parts, a problem, its recurrence),
through the same services and the same policy."""

from __future__ import annotations

from typing import Any, ClassVar, cast

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.accounts.models import User
from baolei.core import params
from baolei.core.api import ScopedReadOnlyViewSet, ScopedViewSetMixin, example
from baolei.core.filters import FilterSet
from baolei.core.views_base import require
from baolei.regions.models import Region
from baolei.regions.queries import scope_root
from baolei.supervision import queries, services
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
from baolei.supervision.serializers import (
    AssignmentRequestSerializer,
    LaggingRequestSerializer,
    PlanRequestSerializer,
    ProblemRequestSerializer,
    ReopenRequestSerializer,
    SupervisionRoundRequestSerializer,
    TeamRequestSerializer,
)


class PlanSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SupervisionPlan
        fields = ["id", "title", "region", "document_number", "starts_on", "ends_on"]


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


class PlanViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """督导方案。POST 制定方案；``assign`` 明确市领导联系县(区)，``team`` 组建督导组，
    ``round`` 安排督导轮次，``lagging`` 确定后进地区，与方案页面相同，由同一规则把关
    （只有能看到整个方案的扫黑办录入员、审核员）。"""

    policy_actions: ClassVar[dict[str, str]] = {
        name: f"supervision.{name}" for name in ("assign", "team", "round", "lagging")
    }

    record_name = "plan"
    queryset = SupervisionPlan.objects.select_related("region")
    serializer_class = PlanSerializer
    ordering = ["-starts_on"]

    @extend_schema(
        request=PlanRequestSerializer,
        responses={201: PlanSerializer},
        examples=example(
            "制定全市督导工作方案",
            {
                "title": "某市扫黑除恶常态化督导工作方案",
                "document_number": "市扫黑办〔2026〕12号",
                "region": "510100000000",
                "starts_on": "2026-12-01",
                "ends_on": "2027-11-30",
            },
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, "supervision.create_plan")
        form = PlanRequestSerializer(data=request.data, context={"user": request.user})
        form.is_valid(raise_exception=True)
        plan = services.create_plan(actor=cast(User, request.user), **form.validated_data)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AssignmentRequestSerializer,
        responses={201: AssignmentSerializer},
        examples=example(
            "市领导联系甲县",
            {"leader": "韩立明", "leader_title": "市委常委、政法委书记", "county": "510121000000"},
        ),
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, **kwargs: Any) -> Response:
        done = self.act(request, AssignmentRequestSerializer, services.assign_leader)
        return Response(AssignmentSerializer(done).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=TeamRequestSerializer,
        responses={201: TeamSerializer},
        examples=example(
            "组建第一督导组",
            {
                "name": "第一督导组",
                "leader": "卫正华",
                "deputy": "林晓东",
                "members": ["周敏", "陈刚"],
                "counties": ["510121000000"],
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def team(self, request: Request, **kwargs: Any) -> Response:
        done = self.act(request, TeamRequestSerializer, services.create_team)
        return Response(TeamSerializer(done).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SupervisionRoundRequestSerializer,
        responses={201: SupervisionRoundSerializer},
        examples=example(
            "安排第一轮专项督导",
            {
                "number": 1,
                "starts_on": "2026-12-05",
                "ends_on": "2026-12-25",
                "teams": [3],
                "counties": ["510121000000"],
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def round(self, request: Request, **kwargs: Any) -> Response:
        done = self.act(request, SupervisionRoundRequestSerializer, services.create_round)
        return Response(SupervisionRoundSerializer(done).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=LaggingRequestSerializer,
        responses={201: LaggingSerializer},
        examples=example(
            "确定甲县为后进地区",
            {
                "county": "510121000000",
                "on": "2026-12-01",
                "reason": "线索核查进度滞后，问题整改完成率全市末位",
                "remediation_plan": "甲县扫黑除恶整改提升方案",
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def lagging(self, request: Request, **kwargs: Any) -> Response:
        done = self.act(request, LaggingRequestSerializer, services.designate_lagging)
        return Response(LaggingSerializer(done).data, status=status.HTTP_201_CREATED)


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


def reopen_problem(
    *, actor: User, problem: Problem, responsible_person: str, units: Any, **data: Any
) -> Any:
    """反弹, as its page calls it: every unit named answers with the one responsible person."""
    return services.reopen_problem(
        actor=actor, problem=problem, units=[(a, responsible_person) for a in units], **data
    )


class ProblemViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """问题清单；状态由其台账事项推导。``summary`` 按来源与类型统计。
    POST 登记问题（每个责任单位生成一条台账事项）；``reopen`` 登记反弹，问题重新进入整改，
    与页面相同，由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {"reopen": "supervision.reopen"}

    record_name = "problem"
    queryset = Problem.objects.select_related("region")
    serializer_class = ProblemSerializer
    filterset_class = ProblemFilter
    ordering_fields = ["number", "deadline"]
    ordering = ["source", "scope", "number"]
    search_fields = ["number", "description"]

    def get_queryset(self) -> Any:
        user = self.request.user
        return queries.with_items(queries.with_status(super().get_queryset(), user=user), user)

    def answer(self, problem: Problem, code: int = status.HTTP_200_OK) -> Response:
        return Response(ProblemSerializer(self.get_queryset().get(pk=problem.pk)).data, status=code)

    @extend_schema(
        request=ProblemRequestSerializer,
        responses={201: ProblemSerializer},
        examples=example(
            "登记中央督导组反馈的共性问题",
            {
                "source": "central",
                "scope": "common",
                "number": "G03",
                "description": "部分县区打伞破网力度不够，线索移送不及时",
                "measures": ["逐条梳理涉“伞”线索", "限期移送纪委监委"],
                "units": [5, 6],
                "responsible_person": "主要负责人",
                "received_on": "2026-11-20",
                "deadline": "2027-03-31",
            },
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, "supervision.create_problem")
        form = ProblemRequestSerializer(data=request.data, context={"user": request.user})
        form.is_valid(raise_exception=True)
        actor = cast(User, request.user)
        region = scope_root(actor)
        if region is None:
            raise ValidationError("您的账户尚未分配单位。")
        data = dict(form.validated_data)
        person = data.pop("responsible_person")
        problem = services.create_problem(
            actor=actor,
            region=region,
            round_=data.pop("round"),
            units=[(agency, person) for agency in data.pop("units")],
            **data,
        )
        return self.answer(problem, status.HTTP_201_CREATED)

    @extend_schema(
        request=ReopenRequestSerializer,
        responses={200: ProblemSerializer},
        examples=example(
            "整改后反弹，重新交办",
            {
                "on": "2026-11-24",
                "reason": "村霸问题整改后反弹，群众再次举报",
                "units": [5],
                "responsible_person": "甲县扫黑办主任",
                "deadline": "2027-01-31",
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, **kwargs: Any) -> Response:
        recurrence = self.act(request, ReopenRequestSerializer, reopen_problem)
        return self.answer(recurrence.problem)

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
