"""Screening API: rounds with their county summary, organisations, joint review, lists;
and the writes their pages make (open and close a round, an organisation's result,
joint review, adding to and removing from the list), through the same services and the
same policy."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, cast

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.accounts.models import User
from baolei.core.api import ApiViewMixin, ScopedReadOnlyViewSet, ScopedViewSetMixin, example
from baolei.core.filters import FilterSet, IdFilter
from baolei.core.views_base import require
from baolei.screening import queries, services
from baolei.screening.models import (
    NegativeList,
    NegativeListItem,
    Proposal,
    Screening,
    ScreeningRound,
    Standing,
)
from baolei.screening.serializers import (
    ChangeRequestSerializer,
    CloseRequestSerializer,
    OpenRoundSerializer,
    ResultRequestSerializer,
    ReviewSerializer,
)


class ScreeningRoundSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    negative_list = serializers.StringRelatedField()

    class Meta:
        model = ScreeningRound
        fields = [
            "id",
            "name",
            "region",
            "negative_list",
            "starts_on",
            "ends_on",
            "minimum_ratio",
            "required_reviewers",
            "status",
            "closed_on",
            "closing_justification",
        ]


class TallySerializer(serializers.Serializer):
    """A county's (or the total's) screening figures (schema only)."""

    code = serializers.CharField(help_text="县(区)代码前6位；合计为空")
    name = serializers.CharField()
    base = serializers.IntegerField()
    screened = serializers.IntegerField()
    proposed = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    ratio = serializers.FloatField()
    in_rectification = serializers.IntegerField()
    rectified = serializers.IntegerField()
    late = serializers.IntegerField()


class RoundSummarySerializer(serializers.Serializer):
    total = TallySerializer()
    counties = TallySerializer(many=True)
    minimum_ratio = serializers.FloatField()
    even_quota_warning = serializers.CharField(help_text="按指标平均分配的提示；无则为空")


class RoundViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """排查轮次；``summary`` 给出各县(区)与合计的排查对象、确定数、比例、整顿提升数。
    POST 启动排查（排查对象为范围内全部村(社区)党组织）；``close`` 结束本轮排查（未达最低比例的，
    须由领导填写书面说明），与页面相同，由同一规则把关。"""

    policy_actions: ClassVar[dict[str, str]] = {"close": "screening.close"}

    record_name = "round_"
    queryset = ScreeningRound.objects.select_related("region", "negative_list")
    serializer_class = ScreeningRoundSerializer
    filterset_fields = ["status"]
    ordering_fields = ["starts_on", "name"]
    ordering = ["-starts_on"]

    @extend_schema(responses=RoundSummarySerializer)
    @action(detail=True, methods=["get"])
    def summary(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        summary = queries.round_summary(self.get_object(), request.user)
        return Response(
            {
                "total": summary.total.as_dict(),
                "counties": [t.as_dict() for t in summary.counties],
                "minimum_ratio": float(self.get_object().minimum_ratio),
                "even_quota_warning": queries.even_quota_warning(self.get_object(), request.user),
            }
        )

    @extend_schema(
        request=OpenRoundSerializer,
        responses={201: ScreeningRoundSerializer},
        examples=example(
            "启动甲县第一轮排查",
            {
                "name": "2026年第二轮软弱涣散村党组织排查",
                "region": "510121000000",
                "negative_list": 1,
                "starts_on": "2026-12-01",
                "ends_on": "2027-02-28",
                "minimum_ratio": "0.100",
                "required_reviewers": ["discipline", "political_legal", "police", "organisation"],
                "plan_days": 180,
            },
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request, "screening.open")
        form = OpenRoundSerializer(data=request.data, context={"user": request.user})
        form.is_valid(raise_exception=True)
        round_ = services.open_round(actor=cast(User, request.user), **form.validated_data)
        return Response(
            ScreeningRoundSerializer(self.get_queryset().get(pk=round_.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=CloseRequestSerializer,
        responses={200: ScreeningRoundSerializer},
        examples=example("结束本轮排查", {"on": "2026-11-26", "justification": ""}),
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, **kwargs: Any) -> Response:
        round_ = self.act(request, CloseRequestSerializer, services.close_round)
        return Response(ScreeningRoundSerializer(self.get_queryset().get(pk=round_.pk)).data)


class ScreeningSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    hits = serializers.SerializerMethodField()
    plan = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Screening
        fields = [
            "id",
            "round",
            "region",
            "region_name",
            "proposal",
            "standing",
            "confirmed_on",
            "hits",
            "plan",
        ]

    def get_hits(self, screening: Screening) -> list[str]:
        return [h.item.code for h in screening.hits.all()]


class ScreeningApiFilter(FilterSet):
    standing = django_filters.ChoiceFilter(choices=Standing.choices)
    proposal = django_filters.ChoiceFilter(choices=Proposal.choices)
    round = IdFilter(field_name="round_id")

    class Meta:
        model = Screening
        fields = ["standing", "proposal", "round"]


def record_result(
    *,
    actor: User,
    screening: Screening,
    proposal: str,
    hits: list[tuple[NegativeListItem, str]],
    checked_by: str,
    checked_on: date | None,
    findings: str,
) -> Screening:
    """研判结果 as its page records it: the archive check only when one is described."""
    archive = None
    if checked_by or findings:
        assert checked_on is not None  # noqa: S101 - the request asks for it then
        archive = services.ArchiveRecord(checked_by, checked_on, findings)
    return services.record_result(
        actor=actor, screening=screening, proposal=proposal, hits=hits, archive=archive
    )


class ScreeningViewSet(ScopedReadOnlyViewSet):
    """排查对象（村、社区党组织）。``result`` 登记研判结果（命中的负面清单条目、处理建议、档案核查），
    ``review`` 联审意见，``add`` 动态增列，``remove`` 移出整顿名单，与页面相同，由同一规则把关。"""

    queryset = Screening.objects.select_related("region").prefetch_related("hits__item")
    serializer_class = ScreeningSerializer
    filterset_class = ScreeningApiFilter
    ordering_fields = ["region__code", "confirmed_on"]
    ordering = ["region__code"]
    search_fields = ["region__name", "region__code"]
    policy_actions: ClassVar[dict[str, str]] = {
        name: f"screening.{name}" for name in ("result", "review", "add", "remove")
    }

    record_name = "screening"

    def answer(self, screening: Screening) -> Response:
        return Response(ScreeningSerializer(self.get_queryset().get(pk=screening.pk)).data)

    @extend_schema(
        request=ResultRequestSerializer,
        responses={200: ScreeningSerializer},
        examples=example(
            "建议列入，命中两条负面清单",
            {
                "proposal": "flag",
                "hits": [
                    {"item": "1", "note": "村党支部书记长期空缺，由镇干部兼任"},
                    {"item": "4", "note": "近两年村干部多人受到党纪处分"},
                ],
                "checked_by": "张敏",
                "checked_on": "2026-11-20",
                "findings": "2019年以来档案记载信访问题三起，均已办结",
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def result(self, request: Request, **kwargs: Any) -> Response:
        return self.answer(self.act(request, ResultRequestSerializer, record_result))

    @extend_schema(
        request=ReviewSerializer,
        responses={200: ScreeningSerializer},
        examples=example("联审不同意", {"decision": "disagree", "reason": "所列问题已整改到位"}),
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, **kwargs: Any) -> Response:
        verdict = self.act(request, ReviewSerializer, services.review)
        return self.answer(verdict.screening)

    @extend_schema(
        request=ChangeRequestSerializer,
        responses={200: ScreeningSerializer},
        examples=example(
            "动态增列", {"on": "2026-11-24", "reason": "巡察发现村“两委”班子严重不团结"}
        ),
    )
    @action(detail=True, methods=["post"])
    def add(self, request: Request, **kwargs: Any) -> Response:
        return self.answer(self.act(request, ChangeRequestSerializer, services.add_to_list))

    @extend_schema(
        request=ChangeRequestSerializer,
        responses={200: ScreeningSerializer},
        examples=example("移出整顿名单", {"on": "2026-11-24", "reason": "经复核不属于软弱涣散"}),
    )
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, **kwargs: Any) -> Response:
        return self.answer(self.act(request, ChangeRequestSerializer, services.remove_from_list))


class NegativeListSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField()

    class Meta:
        model = NegativeList
        fields = ["id", "name", "version", "note", "items"]

    def get_items(self, negative_list: NegativeList) -> list[dict[str, str]]:
        return [
            {
                "code": i.code,
                "text": i.text,
                "category": i.category,
                "evidence_agency": i.evidence_agency,
            }
            for i in negative_list.items.all()
        ]


class NegativeListViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """负面清单（全市通用标准，不分区划）。"""

    scope_exempt = "负面清单是全市通用的标准，不属于任何区划"
    queryset = NegativeList.objects.prefetch_related("items")
    serializer_class = NegativeListSerializer
