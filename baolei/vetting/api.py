"""The background review through the API: runs, candidates and decision records, scoped;
a failed run is run again and a confirmed hit followed up through the pages' services and
rules."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.accounts.models import User
from baolei.cadres.models import Reason
from baolei.core.api import ScopedReadOnlyViewSet, ScopedViewSetMixin, example
from baolei.core.views_base import require
from baolei.regions.models import Region
from baolei.vetting import filters, services
from baolei.vetting.models import Candidate, Decision, DecisionRecord, Source, VettingRun
from matching import engine


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


class RunRequestSerializer(serializers.Serializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    sources = serializers.ListField(
        child=serializers.ChoiceField(choices=Source.choices),
        allow_empty=False,
        help_text="比对来源，每个来源只列一次。",
    )
    threshold = serializers.FloatField(required=False, default=engine.REVIEW)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    change = serializers.BooleanField(required=False, default=False)
    open_clue = serializers.BooleanField(required=False, default=False)
    propose_adjustment = serializers.BooleanField(required=False, default=False)
    adjustment_reason = serializers.ChoiceField(
        choices=Reason.choices, required=False, default=Reason.GANG_EVIL
    )


class FollowUpRequestSerializer(serializers.Serializer):
    """The follow-up of a hit confirmed earlier: its clue, its adjustment proposal, or both."""

    open_clue = serializers.BooleanField(
        required=False, default=False, help_text="生成问题线索（背景审查发现）"
    )
    propose_adjustment = serializers.BooleanField(
        required=False, default=False, help_text="提出村干部调整建议"
    )
    adjustment_reason = serializers.ChoiceField(
        choices=Reason.choices, required=False, default=Reason.GANG_EVIL, help_text="调整原因"
    )


class BulkDecisionSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    decision = serializers.ChoiceField(choices=Decision.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    change = serializers.BooleanField(required=False, default=False)


class RunViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """背景审查比对批次，含状态与进度；POST 发起一次比对（进入后台队列）；``rerun`` 以相同的
    审查范围、比对来源和分数线重新运行失败的批次（另起一个批次），与页面相同，由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {"rerun": "vetting.rerun"}
    record_name = "run"
    queryset = VettingRun.objects.select_related("region")
    serializer_class = RunSerializer
    filterset_class = filters.RunFilter

    @extend_schema(request=RunRequestSerializer, responses={201: RunSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, "vetting.start")  # as the page: the rule before the body is read
        form = RunRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        run = services.start_run(actor=cast(User, request.user), **form.validated_data)
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={201: RunSerializer},
        description="重新运行失败的比对批次（请求不带正文），答复为新的批次。",
    )
    @action(detail=True, methods=["post"])
    def rerun(self, request: Request, **kwargs: Any) -> Response:
        run = self.act(request, serializers.Serializer, services.rerun)
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)


class CandidateViewSet(ScopedReadOnlyViewSet):
    """疑似命中（研判队列）；``decide`` 研判一条，``bulk_decide`` 批量研判，``decisions`` 列出研判记录；
    ``follow-up`` 对此前确认的命中生成线索或提出调整建议（各只一次），与页面相同，由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {
        "decide": "vetting.decide",
        "follow_up": "vetting.follow_up",
    }
    record_name = "candidate"

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

    @extend_schema(request=DecisionSerializer, responses=CandidateSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, **kwargs: Any) -> Response:
        candidate = self.get_object()
        form = DecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        decided = services.decide_candidate(
            actor=cast(User, request.user),
            candidate=candidate,
            **form.validated_data,
        )
        return Response(CandidateSerializer(decided).data)

    @extend_schema(
        request=FollowUpRequestSerializer,
        responses={200: CandidateSerializer},
        examples=example(
            "确认命中后生成线索并提出调整建议",
            {"open_clue": True, "propose_adjustment": True, "adjustment_reason": "gang_evil"},
        ),
    )
    @action(detail=True, methods=["post"], url_path="follow-up", url_name="follow-up")
    def follow_up(self, request: Request, **kwargs: Any) -> Response:
        return Response(
            CandidateSerializer(
                self.act(request, FollowUpRequestSerializer, services.follow_up_hit)
            ).data
        )

    @extend_schema(
        request=BulkDecisionSerializer,
        responses=inline_serializer(
            name="BulkDecisionResult", fields={"decided": serializers.IntegerField()}
        ),
    )
    @action(detail=False, methods=["post"], url_path="bulk-decide", filterset_class=None)
    def bulk_decide(self, request: Request, **kwargs: Any) -> Response:
        form = BulkDecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        count = services.decide_candidates(
            actor=cast(User, request.user),
            candidates=self.get_queryset().filter(pk__in=data["ids"]),
            decision=data["decision"],
            note=data["note"],
            change=data["change"],
        )
        return Response({"decided": count})
