"""Screening API: rounds with their county summary, organisations, joint review, lists."""

from __future__ import annotations

from typing import Any, ClassVar, cast

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from baolei.accounts.models import User
from baolei.core.api import ApiViewMixin, ScopedReadOnlyViewSet
from baolei.core.filters import FilterSet, IdFilter
from baolei.screening import queries, services
from baolei.screening.models import (
    Decision,
    NegativeList,
    Proposal,
    Screening,
    ScreeningRound,
    Standing,
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


class RoundViewSet(ScopedReadOnlyViewSet):
    """排查轮次；``summary`` 给出各县(区)与合计的排查对象、确定数、比例、整顿提升数。"""

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


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ScreeningViewSet(ScopedReadOnlyViewSet):
    """排查对象（村、社区党组织）；``review`` 为联审意见。"""

    queryset = Screening.objects.select_related("region").prefetch_related("hits__item")
    serializer_class = ScreeningSerializer
    filterset_class = ScreeningApiFilter
    ordering_fields = ["region__code", "confirmed_on"]
    ordering = ["region__code"]
    search_fields = ["region__name", "region__code"]
    policy_actions: ClassVar[dict[str, str]] = {"review": "screening.review"}

    @action(detail=True, methods=["post"], serializer_class=ReviewSerializer)
    def review(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        screening = self.get_object()
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.review(actor=cast(User, request.user), screening=screening, **body.validated_data)
        return Response(ScreeningSerializer(self.get_queryset().get(pk=screening.pk)).data)


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
