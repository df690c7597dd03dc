"""Coordination API: meetings with counts by kind, mechanisms, assessment scores; and the
writes their pages make (a meeting, its decisions, a mechanism, a manual score), through
the same services and the same policy."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, cast

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.accounts.models import User
from baolei.coordination import queries, services
from baolei.coordination.models import (
    AssessmentScheme,
    Indicator,
    ManualScore,
    Mechanism,
    Meeting,
    MeetingKind,
)
from baolei.coordination.serializers import (
    CadenceRequestSerializer,
    CadenceSerializer,
    DecisionRequestSerializer,
    ManualScoreSerializer,
    MechanismRequestSerializer,
    MeetingRequestSerializer,
    SchemeRequestSerializer,
    ScoreRequestSerializer,
)
from baolei.core import params
from baolei.core.api import (
    PERIOD_PARAMETERS,
    ScopedViewSetMixin,
    counts_schema,
    example,
)
from baolei.core.views_base import require
from baolei.ledger.api import ItemSerializer
from baolei.ledger.models import LedgerItem
from baolei.ledger.queries import with_warning


class MeetingSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    decisions = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "kind", "held_on", "topic", "region", "convener", "attendees", "decisions"]

    def get_decisions(self, meeting: Meeting) -> list[int]:
        return [item.pk for item in meeting.decisions.all()]


class MeetingViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """会议；``decisions`` 只列出调用者可见的决定事项；``counts?from=&to=`` 按类型统计期间内召开的会议。
    POST 登记会议；``decide`` 登记会议决定事项（列入台账），与页面相同，由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {"decide": "coordination.decide"}

    record_name = "meeting"
    queryset = Meeting.objects.select_related("region").prefetch_related("attendees")
    serializer_class = MeetingSerializer
    filterset_fields = ["kind"]
    ordering_fields = ["held_on"]
    ordering = ["-held_on"]

    def get_queryset(self) -> Any:
        decisions = LedgerItem.objects.visible_to(self.request.user)
        return super().get_queryset().prefetch_related(Prefetch("decisions", queryset=decisions))

    @extend_schema(
        request=MeetingRequestSerializer,
        responses={201: MeetingSerializer},
        examples=example(
            "登记联席会议",
            {
                "kind": "joint_meeting",
                "held_on": "2026-11-20",
                "topic": "研究涉黑涉恶线索双向移送工作",
                "region": "510121000000",
                "convener": 4,
                "attendees": [5, 6],
            },
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, "coordination.record_meeting")
        form = MeetingRequestSerializer(data=request.data, context={"user": request.user})
        form.is_valid(raise_exception=True)
        meeting = services.record_meeting(actor=cast(User, request.user), **form.validated_data)
        return Response(
            MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=CadenceRequestSerializer,
        responses={201: CadenceSerializer},
        examples=example(
            "联席会议至少每季度召开一次",
            {
                "kind": "joint_meeting",
                "region": "510121000000",
                "every_days": 92,
                "since": "2026-01-01",
            },
        ),
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def cadence(self, request: Request, **kwargs: Any) -> Response:
        """会议频次要求 (a reviewer's): a gap longer than it is a warning on the meetings page."""
        require(request, "coordination.require_cadence")
        form = CadenceRequestSerializer(data=request.data, context={"user": request.user})
        form.is_valid(raise_exception=True)
        done = services.require_cadence(actor=cast(User, request.user), **form.validated_data)
        return Response(CadenceSerializer(done).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=DecisionRequestSerializer,
        responses={201: ItemSerializer},
        examples=example(
            "会议决定事项列入台账",
            {
                "title": "一个月内完成涉“伞”线索集中移送",
                "owner": 5,
                "responsible_person": "甲县公安局局长",
                "deadline": "2026-12-20",
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, **kwargs: Any) -> Response:
        item = self.act(request, DecisionRequestSerializer, services.add_decision)
        item = with_warning(LedgerItem.objects.filter(pk=item.pk)).get()
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)

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


class MechanismViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """制度机制。POST 登记制度机制（可多个单位联合印发），与页面相同，由同一规则把关。"""

    queryset = Mechanism.objects.prefetch_related("issuers")
    serializer_class = MechanismSerializer
    filterset_fields = ["kind", "status"]
    ordering = ["-issued_on"]

    @extend_schema(
        request=MechanismRequestSerializer,
        responses={201: MechanismSerializer},
        examples=example(
            "登记联合印发的线索移送制度",
            {
                "title": "涉黑涉恶问题线索双向移送工作办法",
                "document_number": "甲扫黑办〔2026〕8号",
                "region": "510121000000",
                "issuers": [4, 5],
                "issued_on": "2026-11-18",
                "kind": "system",
                "status": "in_force",
            },
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, "coordination.record_mechanism")
        form = MechanismRequestSerializer(data=request.data, context={"user": request.user})
        form.is_valid(raise_exception=True)
        mechanism = services.record_mechanism(actor=cast(User, request.user), **form.validated_data)
        return Response(
            MechanismSerializer(self.get_queryset().get(pk=mechanism.pk)).data,
            status=status.HTTP_201_CREATED,
        )


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


def score_indicator(
    *, actor: User, scheme: AssessmentScheme, indicator: Indicator, **data: Any
) -> ManualScore:
    """人工评分 of one of this scheme's indicators (the request chose among them)."""
    return services.score_by_hand(actor=actor, indicator=indicator, **data)


class SchemeViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """考核方案；``scores`` 给出调用者可见的各县(区)各项得分、计算过程，以及在全部县(区)中的排名。
    POST 制定考核方案（审核员）；``score`` 人工评分（本县(区)已有评分则改为新分），与页面相同，
    由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {"score": "coordination.score"}

    record_name = "scheme"
    queryset = AssessmentScheme.objects.all()
    serializer_class = SchemeSerializer
    ordering = ["-starts_on"]

    @extend_schema(
        request=SchemeRequestSerializer,
        responses={201: SchemeSerializer},
        examples=example(
            "制定年度考核方案",
            {
                "name": "2027年度甲县扫黑除恶考核",
                "region": "510121000000",
                "starts_on": "2027-01-01",
                "ends_on": "2027-12-31",
                "indicators": [
                    {"name": "台账整改完成率", "points": "30", "metric": "rectification_rate"},
                    {
                        "name": "逾期台账事项",
                        "points": "20",
                        "metric": "overdue_items",
                        "per_occurrence": "0.5",
                    },
                    {"name": "会议制度落实", "points": "10", "metric": "manual"},
                ],
            },
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, "coordination.create_scheme")
        form = SchemeRequestSerializer(data=request.data, context={"user": request.user})
        form.is_valid(raise_exception=True)
        scheme = services.create_scheme(actor=cast(User, request.user), **form.validated_data)
        return Response(SchemeSerializer(scheme).data, status=status.HTTP_201_CREATED)

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

    @extend_schema(
        request=ScoreRequestSerializer,
        responses={200: ManualScoreSerializer},
        examples=example(
            "人工评分",
            {
                "indicator": 12,
                "county": "510121000000",
                "score": "8.50",
                "reason": "联席会议制度落实较好，但会议纪要归档不全",
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def score(self, request: Request, **kwargs: Any) -> Response:
        return Response(
            ManualScoreSerializer(self.act(request, ScoreRequestSerializer, score_indicator)).data
        )
